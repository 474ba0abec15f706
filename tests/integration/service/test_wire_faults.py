"""Injected faults that only a real connection shows: a dropped connection and a slow answer."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.service import LocalService


def push(service: LocalService, **kwargs: object) -> httpx.Response:
    return service.api("POST", "/push-notification", json={"title": "x"}, **kwargs)  # type: ignore[arg-type]


def pushes(service: LocalService) -> int:
    return len(service.devices()["devices"][0]["pushes"])


def test_drop_before_gives_a_transport_error_and_no_state_change(service: LocalService) -> None:
    service.fault(path="/api/push-notification", drop=True)
    with pytest.raises(httpx.TransportError):
        push(service)
    assert pushes(service) == 0
    entry = service.requests()[-1]
    assert entry["status"] is None and entry["fault"] == "drop"
    assert push(service).status_code == 200


def test_drop_after_processes_then_drops(service: LocalService) -> None:
    service.fault(path="/api/push-notification", drop=True, phase="after")
    with pytest.raises(httpx.TransportError):
        push(service)
    assert pushes(service) == 1


def test_delay_only_slows_the_answer(service: LocalService) -> None:
    service.fault(path="/api/push-notification", delay_seconds=1.0)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{service.base_url}/push-notification",
            json={"title": "x"},
            timeout=0.2,
            headers={"Authorization": f"Bearer {service.api_key}"},
        )
    service.fault(path="/api/push-notification", delay_seconds=0.1)
    response = push(service)
    assert response.status_code == 200
    assert service.requests()[-1]["fault"] == "delay"
    # The first request is still being answered after the client gave up: let it finish, so its push does
    # not land in the next test (after that test's reset).
    for _ in range(100):
        if all(entry["status"] is not None for entry in service.requests()):
            break
        time.sleep(0.05)
    assert [entry["status"] for entry in service.requests()] == [200, 200]
