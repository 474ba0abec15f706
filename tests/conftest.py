"""Shared fixtures: a scrubbed runner environment, the local service, and "no skips under CI".

`service` here is a real `python -m activitysmith_mock` process; tests/unit/mock/conftest.py replaces it with
an in-process one for the service's own tests that do not need the wire.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.service import LocalService

_SCRUBBED_PREFIXES = ("INPUT_", "GITHUB_", "RUNNER_", "STATE_", "ACTIONS_")
_SCRUBBED_NAMES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@pytest.fixture(autouse=True)
def _clean_runner_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's shell (or an outer GitHub job) must not leak runner variables or proxies into tests."""
    for name in list(os.environ):
        if name.startswith(_SCRUBBED_PREFIXES) or name.lower() in _SCRUBBED_NAMES:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def service_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalService]:
    service = LocalService().start(tmp_path_factory.mktemp("service"))
    yield service
    service.stop()


@pytest.fixture
def service(service_process: LocalService) -> LocalService:
    """The session's local service, reset to its seed state (and default settings) for every test."""
    service_process.reset()
    return service_process


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI=true a skipped test is a failed test: Docker and runner tests must really run there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {reason}"
