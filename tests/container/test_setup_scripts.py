"""scripts/setup-docker and scripts/make-base-image.sh are idempotent, and quiet once all is in place."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.container.docker_runner import STANDIN_BASE, docker_available

pytestmark = pytest.mark.docker

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine() -> None:
    if not docker_available():
        pytest.skip("no Docker engine answers (run ./scripts/setup-docker)")


def test_setup_docker_is_quiet_and_idempotent(engine: None, tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    for _ in range(2):
        completed = subprocess.run(
            [str(REPO_ROOT / "scripts" / "setup-docker")],
            capture_output=True,
            text=True,
            check=False,
            env={
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SETUP_DOCKER_LOG": str(log),
            },
            timeout=600,
        )
        assert completed.returncode == 0, completed.stderr
        assert (completed.stdout, completed.stderr) == ("", "")
    assert "act version" in log.read_text()
    for image in (STANDIN_BASE, "python:3.11-slim-bookworm"):
        assert (
            subprocess.run(["docker", "image", "inspect", image], capture_output=True, check=False).returncode
            == 0
        )


def test_make_base_image_keeps_an_existing_image(engine: None) -> None:
    completed = subprocess.run(
        [str(REPO_ROOT / "scripts" / "make-base-image.sh"), STANDIN_BASE],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == STANDIN_BASE
