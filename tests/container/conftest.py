"""Container fixtures: the action's image, built once per session on the local stand-in base image."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.container.docker_runner import RunnerSandbox, build_image, docker_available


@pytest.fixture(scope="session")
def action_image() -> str:
    """The repository's Dockerfile built once per test session (docker's layer cache makes rebuilds cheap)."""
    if not docker_available():
        pytest.skip("no Docker engine answers (run ./scripts/setup-docker)")
    return build_image()


@pytest.fixture
def sandbox(tmp_path: Path) -> RunnerSandbox:
    return RunnerSandbox(tmp_path / "runner")
