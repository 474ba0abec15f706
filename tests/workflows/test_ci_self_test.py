"""The repository's own CI self-test job (`uses: ./`, image built from the Dockerfile) passes under act."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_ci_self_test_job_passes(act_ready: None, tmp_path: Path) -> None:
    log_file = tmp_path / "self-test.log"
    completed = subprocess.run(
        [
            str(REPO_ROOT / "scripts" / "run-example"),
            str(REPO_ROOT / ".github" / "workflows" / "ci.yml"),
            "--job",
            "self-test",
            "--base-url",
            "http://127.0.0.1:9/api",
            "--api-key",
            "ask_unused_by_a_dry_run_0123456789",
            "--log-file",
            str(log_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    log = log_file.read_text()
    assert completed.returncode == 0, log
    assert "Success - Main Dry run" in log
    assert "Failure - Main A bad payload must fail the step" in log
    assert "Success - Main Check the outputs" in log
    assert "Job succeeded" in log
