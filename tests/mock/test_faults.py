"""Injected faults (each kind, both phases) and the request log, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.support.service import LocalService


def push(service: LocalService, **kwargs: object) -> httpx.Response:
    return service.api("POST", "/push-notification", json={"title": "x"}, **kwargs)  # type: ignore[arg-type]


def pushes(service: LocalService) -> int:
    return len(service.devices()["devices"][0]["pushes"])


def test_status_fault_before_is_not_processed_and_counts_down(service: LocalService) -> None:
    service.fault(path="/api/push-notification", status=503, count=2)
    for _ in range(2):
        response = push(service)
        assert response.status_code == 503
        assert response.json() == {
            "error": "Service Unavailable",
            "message": "The local service injected a 503 fault.",
        }
    assert pushes(service) == 0
    assert push(service).status_code == 200
    log = service.requests()
    assert [(e["status"], e["fault"]) for e in log] == [(503, "status"), (503, "status"), (200, None)]


def test_status_fault_after_is_processed(service: LocalService) -> None:
    service.fault(path="/api/push-notification", status=500, phase="after")
    assert push(service).status_code == 500
    assert pushes(service) == 1


def test_429_fault_has_the_documented_body_and_retry_after(service: LocalService) -> None:
    service.fault(path="/api/push-notification", status=429, retry_after=2)
    response = push(service)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert response.json()["error"] == "Rate limit exceeded"


def test_raw_body_fault(service: LocalService) -> None:
    service.fault(
        method="POST", path="/api/*", status=502, body="<html>bad gateway</html>", content_type="text/html"
    )
    response = push(service)
    assert response.status_code == 502 and response.text == "<html>bad gateway</html>"
    assert response.headers["content-type"] == "text/html"
    assert service.requests()[-1]["fault"] == "body"


def test_method_and_prefix_matching(service: LocalService) -> None:
    service.fault(method="PUT", path="/api/live-activity/*", status=503)
    assert push(service).status_code == 200
    body = {"content_state": {"title": "a", "type": "alert", "message": "m"}}
    assert service.api("POST", "/live-activity/start", json=body).status_code == 200
    assert service.api("PUT", "/live-activity/stream/s", json=body).status_code == 503
    assert service._call("GET", "faults") == []


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


def test_faults_list_and_clear(service: LocalService) -> None:
    first = service.fault(path="/api/badge", status=500, count=3)
    assert isinstance(first["id"], int)
    (pending,) = service._call("GET", "faults")
    assert pending["remaining"] == 3 and pending["status"] == 500
    service._call("DELETE", "faults")
    assert service._call("GET", "faults") == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({}, "body: Value error, give at least one of status, body, drop or delay_seconds"),
        ({"status": 99}, "status: Input should be greater than or equal to 100"),
        ({"status": 500, "colour": 1}, "colour: unknown field (not allowed)"),
        (
            {"drop": True, "status": 500},
            "body: Value error, drop closes the connection, so it cannot be combined with status or body",
        ),
        ({"status": 500, "phase": "during"}, "phase: Input should be 'before' or 'after'"),
    ],
)
def test_bad_fault_spec_is_400_naming_the_field(service: LocalService, spec: dict, message: str) -> None:
    response = httpx.post(f"{service.root}/_mock/faults", json=spec)
    assert response.status_code == 400
    assert response.json()["message"] == message.replace("Value error, ", "")


def test_request_log_shape_and_no_authorization(service: LocalService) -> None:
    service.api(
        "POST",
        "/push-notification",
        json={"title": "x"},
        params={"a": "1"},
        headers={"X-ActivitySmith-SDK": "python-v1.12.0"},
    )
    (entry,) = service.requests()
    assert set(entry) == {"method", "path", "query", "body", "headers", "status", "fault", "received_at"}
    assert (entry["method"], entry["path"], entry["query"], entry["body"]) == (
        "POST",
        "/api/push-notification",
        "a=1",
        {"title": "x"},
    )
    assert entry["headers"]["x-activitysmith-sdk"] == "python-v1.12.0"
    assert "authorization" not in {name.lower() for name in entry["headers"]}
    assert service.api_key not in str(service.requests())
    assert entry["status"] == 200 and entry["fault"] is None and entry["received_at"].endswith("Z")


def test_rejected_requests_are_logged_too(service: LocalService) -> None:
    service.api("POST", "/push-notification", key="", json={"title": "x"})
    service.api("POST", "/push-notification", content=b"{bad")
    assert [(e["status"], e["body"]) for e in service.requests()] == [(401, {"title": "x"}), (400, None)]
