"""Fixtures for the release tests: a registry of their own on 127.0.0.1, and act's prerequisites."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.container.docker_runner import docker_available
from tests.release.registry import LocalRegistry, registry_binary
from tests.workflows.conftest import act_ready

__all__ = ["act_ready", "registry"]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    """docker-registry on a free port of 127.0.0.1 with its own storage, stopped by its pid afterwards."""
    if not docker_available():
        pytest.skip("no Docker engine answers (run ./scripts/setup-docker)")
    binary = registry_binary()
    if binary is None:
        pytest.skip("docker-registry is not installed (run ./scripts/setup-docker)")
    local = LocalRegistry(tmp_path_factory.mktemp("registry"), binary).start()
    yield local
    local.stop()
