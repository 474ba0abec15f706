"""scripts/run-example refuses bad arguments with one clear line (no act run, no Docker needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

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
def test_timeout_stops_act_and_removes_its_job_container(act_ready: None) -> None:
    completed = run(str(REPO_ROOT / "examples" / "progress.yml"), *URL, *KEY, "--timeout", "1")
    assert completed.returncode == 2
    assert "act did not finish within 1 s" in completed.stderr
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [name for name in names if name.startswith("act-Backfill-backfill")]
