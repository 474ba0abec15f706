"""The local service in-process for every test here: `service` is an `InProcessService`, reset per test.

It shadows the real-process `service` fixture of tests/conftest.py; tests here use only what both offer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.in_process import InProcessService


@pytest.fixture(scope="session")
def in_process_service() -> Iterator[InProcessService]:
    with InProcessService() as service:
        yield service


@pytest.fixture
def service(in_process_service: InProcessService) -> InProcessService:
    """The session's in-process service, reset to its seed state (and default settings) for every test."""
    in_process_service.reset()
    return in_process_service
