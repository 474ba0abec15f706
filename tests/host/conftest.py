"""Fixtures for the host-variant tests: the action as a checkout at @v1, and act's prerequisites."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.host.act_workflow import copy_action
from tests.workflows.conftest import act_ready

__all__ = ["act_ready", "action_checkout"]


@pytest.fixture(scope="session")
def action_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's action files, as GitHub would check them out for `uses: <owner>/<repo>[/host]@v1`."""
    return copy_action(tmp_path_factory.mktemp("action-at-v1"))
