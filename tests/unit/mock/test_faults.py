"""Injected faults (status, body, matching, both phases) and the request log, in-process.

Dropped connections and delays need a real wire: tests/integration/service/test_wire_faults.py.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support.service_api import ServiceApi


def push(service: ServiceApi, **kwargs: object) -> httpx.Response:
    return service.api("POST", "/push-notification", json={"title": "x"}, **kwargs)  # type: ignore[arg-type]


def pushes(service: ServiceApi) -> int:
    return len(service.devices()["devices"][0]["pushes"])


def test_status_fault_before_is_not_processed_and_counts_down(service: ServiceApi) -> None:
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


def test_status_fault_after_is_processed(service: ServiceApi) -> None:
    service.fault(path="/api/push-notification", status=500, phase="after")
    assert push(service).status_code == 500
    assert pushes(service) == 1


def test_429_fault_has_the_documented_body_and_retry_after(service: ServiceApi) -> None:
    service.fault(path="/api/push-notification", status=429, retry_after=2)
    response = push(service)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert response.json()["error"] == "Rate limit exceeded"


def test_raw_body_fault(service: ServiceApi) -> None:
    service.fault(
        method="POST", path="/api/*", status=502, body="<html>bad gateway</html>", content_type="text/html"
    )
    response = push(service)
    assert response.status_code == 502 and response.text == "<html>bad gateway</html>"
    assert response.headers["content-type"] == "text/html"
    assert service.requests()[-1]["fault"] == "body"


def test_method_and_prefix_matching(service: ServiceApi) -> None:
    service.fault(method="PUT", path="/api/live-activity/*", status=503)
    assert push(service).status_code == 200
    body = {"content_state": {"title": "a", "type": "alert", "message": "m"}}
    assert service.api("POST", "/live-activity/start", json=body).status_code == 200
    assert service.api("PUT", "/live-activity/stream/s", json=body).status_code == 503
    assert service.faults() == []


def test_faults_list_and_clear(service: ServiceApi) -> None:
    first = service.fault(path="/api/badge", status=500, count=3)
    assert isinstance(first["id"], int)
    (pending,) = service.faults()
    assert pending["remaining"] == 3 and pending["status"] == 500
    service.clear_faults()
    assert service.faults() == []


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
def test_bad_fault_spec_is_400_naming_the_field(service: ServiceApi, spec: dict, message: str) -> None:
    response = service.operator("POST", "faults", spec)
    assert response.status_code == 400
    assert response.json()["message"] == message.replace("Value error, ", "")


def test_request_log_shape_and_no_authorization(service: ServiceApi) -> None:
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


def test_rejected_requests_are_logged_too(service: ServiceApi) -> None:
    service.api("POST", "/push-notification", key="", json={"title": "x"})
    service.api("POST", "/push-notification", content=b"{bad")
    assert [(e["status"], e["body"]) for e in service.requests()] == [(401, {"title": "x"}), (400, None)]
