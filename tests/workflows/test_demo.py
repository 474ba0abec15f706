"""`./scripts/demo path/to/your-workflow.yml [options]`: a user's own workflow, run from wherever they are,
against a local service the demo starts, then what the phone shows, also when the run failed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "scripts" / "demo"


def demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DEMO_PORT"}
    return subprocess.run(
        [str(DEMO), *args], capture_output=True, text=True, check=False, timeout=600, cwd=cwd, env=env
    )


@pytest.mark.docker
def test_your_own_workflow_with_options_from_your_own_directory(act_ready: None, tmp_path: Path) -> None:
    own = tmp_path / "my-app" / ".github" / "workflows"
    own.mkdir(parents=True)
    (own / "release.yml").write_text((Path(__file__).parent / "workflows" / "release-notify.yml").read_text())
    completed = demo(".github/workflows/release.yml", "--event", "refs/tags/v1.4.0", cwd=tmp_path / "my-app")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    assert "== running .github/workflows/release.yml through act" in out
    assert "[Release/release] 🏁  Job succeeded" in out
    phone = out.split("== what the phone shows now", 1)[1]
    assert "Released v1.4.0 — push to production" in phone


@pytest.mark.docker
def test_a_failed_run_still_shows_the_phone_and_returns_its_exit_code(
    act_ready: None, tmp_path: Path
) -> None:
    completed = demo("examples/ci-failure-alert.yml", "--log-file", str(tmp_path / "act.log"), cwd=REPO_ROOT)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "✗ step 'Test' failed" in completed.stdout
    assert f"the whole log: {tmp_path / 'act.log'}" in completed.stdout
    phone = completed.stdout.split("== what the phone shows now", 1)[1]
    assert "CI failed: your-org/your-app" in phone


def test_help_and_a_missing_workflow(tmp_path: Path) -> None:
    helped = demo("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert "./scripts/demo path/to/your-workflow.yml" in helped.stdout
    assert "--event refs/tags/v1.4.0" in helped.stdout
    missing = demo("no-such-workflow.yml", "--event", "push", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "scripts/demo: workflow file not found: no-such-workflow.yml\n"
