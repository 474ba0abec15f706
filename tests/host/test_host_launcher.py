"""The host variant's launcher (host/run.sh, host/install_runtime.py) run as the runner runs its step.

Which Python it takes and the error when there is none new enough, where the runtime is kept, that a second
use installs nothing, that an interrupted or concurrent install never leaves a runtime that is trusted but
incomplete, and that the runtime holds exactly the lock. The whole flow through a real runner is in
test_host_workflows.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from activitysmith_action.outcome import OUTPUT_NAMES
from tests.host.host_step import HostStep, run_host_step
from tests.lint.test_runtime_lock import locked

DRY_PUSH = {
    "action": "send_push_notification",
    "api-key": "ask_host_launcher_0123456789abcdef",
    "dry-run": "true",
    "payload": "title: from the host variant",
}
ERROR_TITLE = "::error title=ActivitySmith (host variant)::"


def runtimes(cache_root: Path) -> list[Path]:
    return sorted((cache_root / "activitysmith-action").iterdir())


def assert_dry_run_passed(step: HostStep) -> None:
    assert step.exit_code == 0, step.log
    assert step.outputs["ok"] == "true"
    assert json.loads(step.outputs["response"])["body"] == {"title": "from the host variant"}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tool cache in which one first use has installed the runtime (shared, read-mostly)."""
    root = tmp_path_factory.mktemp("host-installed")
    cache = root / "toolcache"
    first = run_host_step(root, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(cache)})
    assert_dry_run_passed(first)
    assert "ActivitySmith: installing the locked runtime into" in first.stdout
    return cache


def fake_interpreter(directory: Path, name: str, script: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(f"#!/bin/sh\n{script}\n")
    (directory / name).chmod(0o755)


def bare_path(directory: Path) -> str:
    """A PATH with the given directory and only the tools the launcher itself calls (date, mkdir)."""
    tools = directory.parent / "tools"
    tools.mkdir(exist_ok=True)
    for tool in ("date", "mkdir"):
        (tools / tool).symlink_to(
            subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
        )
    return f"{directory}:{tools}"


def test_first_use_installs_and_a_second_use_reuses_without_pip(installed: Path, tmp_path: Path) -> None:
    (runtime,) = runtimes(installed)
    marker = (runtime / ".complete").stat()
    again = run_host_step(tmp_path, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(installed)})
    assert_dry_run_passed(again)
    assert f"ActivitySmith: reusing the runtime in {runtime}" in again.stdout
    assert "installing" not in again.log and "Successfully installed" not in again.log
    assert runtimes(installed) == [runtime]
    assert (runtime / ".complete").stat().st_mtime_ns == marker.st_mtime_ns


def test_the_runtime_holds_exactly_the_locked_packages(installed: Path) -> None:
    (runtime,) = runtimes(installed)
    listing = subprocess.run(
        [
            str(runtime / "bin" / "python"),
            "-I",  # not the working directory's packages: only the runtime's
            "-c",
            "import importlib.metadata as m, json; print(json.dumps("
            "{d.metadata['Name'].lower().replace('_', '-'): d.version for d in m.distributions()}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    installed_versions = json.loads(listing.stdout)
    installed_versions.pop("pip", None)  # only when the runner's Python had no pip of its own to lend
    assert installed_versions == {name: str(version) for name, (version, _) in locked().items()}


def test_the_runtime_key_names_python_platform_and_the_lock(installed: Path) -> None:
    (runtime,) = runtimes(installed)
    version = ".".join(map(str, sys.version_info[:3]))
    assert runtime.name.startswith(f"cpython{version}-{sys.platform}-")
    assert len(runtime.name.rsplit("-", 1)[1]) == 16


def test_too_old_pythons_are_a_clear_error_naming_what_was_found(tmp_path: Path) -> None:
    fakes = tmp_path / "fakes"
    fake_interpreter(fakes, "python3", 'echo "3.9.18 "')
    fake_interpreter(fakes, "python", 'echo "2.7.18 "')
    cache = tmp_path / "toolcache"
    step = run_host_step(
        tmp_path, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(cache)}, path=bare_path(fakes)
    )
    assert step.exit_code == 1
    message = (
        "the host variant needs Python 3.11 or newer on PATH (python3 or python); python3 is 3.9.18, "
        "python is 2.7.18. Add actions/setup-python with python-version: '3.13' (any 3.11 or newer) "
        "before this step."
    )
    assert step.stdout.startswith(ERROR_TITLE + message)
    assert step.outputs["ok"] == "false" and step.outputs["error"] == message
    assert step.outputs["attempts"] == "0" and step.outputs["time"].isdigit()
    assert set(step.outputs) == set(OUTPUT_NAMES), "every output the action declares is written"
    assert not cache.exists(), "nothing is installed for a Python that cannot run the action"


def test_no_python_at_all_says_so(tmp_path: Path) -> None:
    step = run_host_step(
        tmp_path, DRY_PUSH, runner_env={"RUNNER_TEMP": str(tmp_path)}, path=bare_path(tmp_path / "empty")
    )
    assert step.exit_code == 1
    assert "on PATH (python3 or python); found none. Add actions/setup-python" in step.outputs["error"]


def test_a_python3_that_does_not_answer_is_skipped_for_python(installed: Path, tmp_path: Path) -> None:
    """Windows runners may have a python3 that is only the Store's stub; `python` is then the real one."""
    fakes = tmp_path / "fakes"
    fake_interpreter(fakes, "python3", 'echo "Python was not found; install it from the Store" >&2; exit 49')
    (fakes / "python").symlink_to(getattr(sys, "_base_executable", sys.executable))
    step = run_host_step(
        tmp_path, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(installed)}, path=bare_path(fakes)
    )
    assert_dry_run_passed(step)
    assert "ActivitySmith: reusing the runtime in" in step.stdout


def test_without_a_tool_cache_the_runtime_lives_in_runner_temp(installed: Path, tmp_path: Path) -> None:
    step = run_host_step(tmp_path, DRY_PUSH, runner_env={"RUNNER_TEMP": str(installed)})
    assert_dry_run_passed(step)
    (runtime,) = runtimes(installed)
    assert f"ActivitySmith: reusing the runtime in {runtime}" in step.stdout


def test_neither_tool_cache_nor_temp_is_an_error(tmp_path: Path) -> None:
    step = run_host_step(tmp_path, DRY_PUSH, runner_env={})
    assert step.exit_code == 1
    assert step.outputs["error"].startswith(
        "neither RUNNER_TOOL_CACHE nor RUNNER_TEMP is a writable directory"
    )


def test_the_image_interpreter_flags_keep_python_variables_out(installed: Path, tmp_path: Path) -> None:
    """-E: a PYTHONPATH left in the job's environment cannot inject code (here: a sitecustomize)."""
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "sitecustomize.py").write_text("print('INJECTED')\n")
    (hostile / "yaml.py").write_text("raise SystemExit('shadowed yaml imported')\n")
    step = run_host_step(
        tmp_path,
        DRY_PUSH,
        runner_env={"RUNNER_TOOL_CACHE": str(installed), "PYTHONPATH": str(hostile), "PYTHONSTARTUP": "x"},
    )
    assert_dry_run_passed(step)
    assert "INJECTED" not in step.log


def test_an_interrupted_install_is_not_trusted(installed: Path, tmp_path: Path) -> None:
    """A runtime directory without its completion marker (a cancelled job) is replaced, not used."""
    (runtime,) = runtimes(installed)
    cache = tmp_path / "toolcache"
    partial = cache / "activitysmith-action" / runtime.name
    (partial / "bin").mkdir(parents=True)
    (partial / "bin" / "python").write_text("#!/bin/sh\necho half-installed; exit 3\n")
    step = run_host_step(tmp_path, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(cache)})
    assert_dry_run_passed(step)
    assert "ActivitySmith: installing the locked runtime into" in step.stdout
    assert (partial / ".complete").is_file() and "half-installed" not in step.log


def test_two_first_uses_at_once_end_with_one_complete_runtime(tmp_path: Path) -> None:
    """Two jobs of a self-hosted runner installing together: both succeed, one runtime, no leftovers."""
    cache = tmp_path / "toolcache"
    results: list[HostStep] = []

    def use(index: int) -> None:
        results.append(
            run_host_step(tmp_path / f"job{index}", DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(cache)})
        )

    threads = [threading.Thread(target=use, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    for result in results:
        assert_dry_run_passed(result)
    (runtime,) = runtimes(cache)  # no staging directory is left behind
    assert (runtime / ".complete").is_file()
