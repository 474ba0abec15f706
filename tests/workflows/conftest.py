"""Fixtures for running the examples through act: skipped (failed under CI=true) without Docker or act."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.container.docker_runner import STANDIN_BASE, docker_available
from tests.support.service import LocalService

REPO_ROOT = Path(__file__).resolve().parents[2]
# act builds the action from the Dockerfile's FROM; it must exist locally (no registry is reachable offline).
DOCKERFILE_BASE = "python:3.11-slim-bookworm"
RUN_EXAMPLE = REPO_ROOT / "scripts" / "run-example"


@dataclass
class ExampleRun:
    """One example run through act: its exit code, act's full log, and the service's view afterwards."""

    exit_code: int
    log: str
    stdout: str
    requests: list[dict]
    devices: list[dict]

    def api_calls(self) -> list[tuple[str, str]]:
        return [(r["method"], r["path"]) for r in self.requests]


@pytest.fixture(scope="session")
def act_ready() -> None:
    """Docker answers, the stand-in job image exists, act is installed: what scripts/setup-docker provides."""
    if not docker_available():
        pytest.skip("no Docker engine answers (run ./scripts/setup-docker)")
    for image in (STANDIN_BASE, DOCKERFILE_BASE):
        if subprocess.run(["docker", "image", "inspect", image], capture_output=True, check=False).returncode:
            pytest.skip(f"image {image} is missing (run ./scripts/setup-docker)")
    if not (Path(sys.executable).parent / "act").exists() and shutil.which("act") is None:
        pytest.skip("act is not installed (run ./scripts/setup-docker)")


@pytest.fixture
def run_example(act_ready: None, service: LocalService, tmp_path: Path) -> Callable[..., ExampleRun]:
    """Runs examples/<name> with scripts/run-example (the demo's command) against the local service."""

    def run(name: str, *extra: str) -> ExampleRun:
        log_file = tmp_path / f"{Path(name).name}.log"  # a name may be an absolute path: keep the log here
        completed = subprocess.run(
            [
                str(RUN_EXAMPLE),
                str(REPO_ROOT / "examples" / name),
                "--base-url",
                service.base_url,
                "--api-key",
                service.api_key,
                "--log-file",
                str(log_file),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=240,
        )
        log = log_file.read_text() if log_file.exists() else completed.stdout + completed.stderr
        requests = [r for r in service.requests() if r["path"] != "/api/health"]
        return ExampleRun(completed.returncode, log, completed.stdout, requests, service.devices()["devices"])

    return run
