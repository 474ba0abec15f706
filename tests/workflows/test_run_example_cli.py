"""scripts/run-example refuses bad arguments with one clear line (no act run, no Docker needed), and a run
that times out is interrupted and leaves no container behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tools.act_process import containers_of_run

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_EXAMPLE = REPO_ROOT / "scripts" / "run-example"
KEY = ["--api-key", "ask_cli_test_0123456789abcdef0123"]
URL = ["--base-url", "http://127.0.0.1:9/api"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUN_EXAMPLE), *args], capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["examples/no-such.yml", *URL, *KEY], "workflow file not found"),
        (["examples/progress.yml", *URL, "--api-key", " "], "--api-key is empty"),
        (
            ["examples/progress.yml", "--base-url", "127.0.0.1:8787", *KEY],
            "--base-url must be an http(s) URL",
        ),
        (["examples/progress.yml", *URL, *KEY, "--event", "push"], "listens to workflow_dispatch only"),
        (["examples/progress.yml", *URL, *KEY, "--schedule", "0 0 * * *"], "--schedule only applies"),
        (["examples/server-metrics-stream.yml", *URL, *KEY, "--schedule", "1 2 3 4 5"], "is not one of"),
        (
            ["examples/deployment.yml", *URL, *KEY, "--event", "refs/tags/v1.4.0"],
            "a push to refs/tags/v1.4.0 would not start deployment.yml: its push trigger filters branches",
        ),
        (["examples/deployment.yml", *URL, *KEY, "--ref", "main"], "give a full ref, e.g. refs/tags/main"),
        (["examples/progress.yml", *URL, *KEY, "--input", "size=10"], "it declares none"),
        (["examples/deployment.yml", *URL, *KEY, "--input", "a=b"], "--input only applies"),
        (["examples/deployment.yml", *URL, *KEY, "--event-path", "/nonexistent.json"], "No such file"),
        (["examples/deployment.yml", *URL, *KEY, "--repository", "no-slash"], "expected OWNER/NAME"),
        (["examples/deployment.yml", *URL, *KEY, "--work-dir", str(RUN_EXAMPLE)], "not an empty directory"),
        (["examples/deployment.yml", *URL, *KEY, "--repository-files", "/nonexistent"], "is not a directory"),
        (
            ["examples/deployment.yml", *URL, *KEY, "--work-dir", str(REPO_ROOT / "tests")],
            "not an empty directory",
        ),
    ],
)
def test_bad_arguments_are_refused_clearly(args: list[str], message: str) -> None:
    completed = run(*[str(REPO_ROOT / a) if a.startswith("examples/") else a for a in args])
    assert completed.returncode == 2
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


def test_missing_required_option_is_an_argparse_error() -> None:
    completed = run(str(REPO_ROOT / "examples" / "progress.yml"), *URL)
    assert completed.returncode == 2
    assert "--api-key" in completed.stderr


@pytest.mark.docker
def test_timeout_stops_act_and_removes_its_job_container(act_ready: None, tmp_path: Path) -> None:
    work = tmp_path / "run"
    log_file = tmp_path / "act.log"
    completed = run(
        str(REPO_ROOT / "examples" / "progress.yml"),
        *URL,
        *KEY,
        "--timeout",
        "1",
        "--work-dir",
        str(work),
        "--log-file",
        str(log_file),
    )
    assert completed.returncode == 2
    assert f"act did not finish within 1 s (interrupted; the whole log: {log_file})" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert containers_of_run(work / "workspace") == []
