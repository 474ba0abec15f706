"""POST /api/metrics/{key}/value and POST /api/badge (in-process)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.configs import team
from tests.support.service_api import ServiceApi


def metric(service: ServiceApi, metric_key: str, body: Any, **kwargs: Any):
    return service.api("POST", f"/metrics/{metric_key}/value", json=body, **kwargs)


def test_metric_values_are_stored(service: ServiceApi) -> None:
    assert metric(service, "deploy.success_rate", {"value": 99.9}).json() == {"success": True}
    assert (
        metric(service, "queue.depth", {"value": "12 jobs", "timestamp": "2026-07-10T12:00:00Z"}).status_code
        == 200
    )
    metrics = service.metrics()
    assert metrics["local"]["deploy.success_rate"]["value"] == 99.9
    assert metrics["local"]["deploy.success_rate"]["timestamp"].endswith("Z")
    assert metrics["local"]["queue.depth"] == {"value": "12 jobs", "timestamp": "2026-07-10T12:00:00Z"}
    for stamp in ("2026-07-10T12:00:00.000+02:00", "2026-07-10 12:00:00Z"):
        assert metric(service, "queue.depth", {"value": 3, "timestamp": stamp}).status_code == 200


def test_unknown_metric_is_404(service: ServiceApi) -> None:
    response = metric(service, "nope", {"value": 1})
    assert response.status_code == 404 and response.json() == {"error": "Metric not found"}


@pytest.mark.parametrize("raw", [b'{"value": NaN}', b'{"value": Infinity}', b'{"value": -Infinity}'])
def test_non_finite_metric_is_400(service: ServiceApi, raw: bytes) -> None:
    response = service.api("POST", "/metrics/queue.depth/value", content=raw)
    assert response.status_code == 400 and response.json() == {"error": "value must be a finite number"}


@pytest.mark.parametrize(
    ("key", "body", "error"),
    [
        ("queue.depth", {"value": True}, "value must be a number or a string"),
        ("queue.depth", {"value": None}, "value must be a number or a string"),
        ("queue.depth", {"value": ""}, "value must be a string of 1-64 characters"),
        ("queue.depth", {"value": "x" * 65}, "value must be a string of 1-64 characters"),
        ("queue.depth", {"value": 1, "timestamp": "yesterday"}, "timestamp must be an ISO-8601 date-time"),
        ("queue.depth", {"value": 1, "timestamp": "2026-07-10"}, "timestamp must be an ISO-8601 date-time"),
        ("queue.depth", {"value": 1, "timestamp": "20260710"}, "timestamp must be an ISO-8601 date-time"),
        ("Queue", {"value": 1}, "Invalid metric key"),
        ("queue.depth", {"value": 1, "unit": "jobs"}, "Invalid request"),
        ("queue.depth", {}, "Invalid request"),
    ],
)
def test_metric_errors(service: ServiceApi, key: str, body: Any, error: str) -> None:
    response = metric(service, key, body)
    assert response.status_code == 400 and response.json()["error"] == error


@pytest.mark.parametrize("key", ["queue/depth", "queue%2Fdepth", ""])
def test_metric_key_with_a_slash_or_empty_is_400_not_a_bare_404(service: ServiceApi, key: str) -> None:
    response = metric(service, key, {"value": 1})
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid metric key"
    assert response.headers["RateLimit-Policy"].startswith('"public-api-ip:metrics"')
    assert service.metrics()["local"] == {}


def test_metrics_endpoint_needs_a_key(service: ServiceApi) -> None:
    assert metric(service, "queue.depth", {"value": 1}, key="").status_code == 401


def test_badge_is_set_on_the_targeted_devices(service: ServiceApi) -> None:
    service.reset(team())
    response = service.api("POST", "/badge", json={"badge": 3, "target": {"channels": ["ops"]}})
    assert response.status_code == 200
    body = response.json()
    assert {
        k: body[k]
        for k in ("success", "badge", "devices_updated", "users_updated", "effective_channel_slugs")
    } == {
        "success": True,
        "badge": 3,
        "devices_updated": 2,
        "users_updated": 1,
        "effective_channel_slugs": ["ops"],
    }
    badges = {d["id"]: d["badge"] for d in service.devices()["devices"]}
    assert badges == {"iphone-a": 3, "ipad-a": 3, "iphone-b": None, "eve-phone": None}
    untargeted = service.api("POST", "/badge", json={"badge": 0}).json()
    # always a list (the badge answer's schema requires one): untargeted, no channel narrowed it
    assert untargeted["effective_channel_slugs"] == [] and untargeted["devices_updated"] == 3
    assert (untargeted["devices_targeted"], untargeted["devices_deactivated"]) == (3, 0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"badge": -1}, "badge: Input should be greater than or equal to 0"),
        ({"badge": 2147483648}, "badge: Input should be less than or equal to 2147483647"),
        ({"badge": "3"}, "badge: Input should be a valid integer"),
        ({"badge": 1.5}, "badge: Input should be a valid integer"),
        ({}, "badge: Field required"),
        ({"badge": 1, "channels": ["ops"]}, "channels: unknown field (not allowed)"),
    ],
)
def test_badge_validation(service: ServiceApi, body: Any, message: str) -> None:
    response = service.api("POST", "/badge", json=body)
    assert response.status_code == 400 and response.json()["message"] == message


def test_badge_upper_bound_is_accepted(service: ServiceApi) -> None:
    assert service.api("POST", "/badge", json={"badge": 2147483647}).status_code == 200


def test_badge_with_disconnected_device_is_422(service: ServiceApi) -> None:
    config = team()
    config["accounts"][0]["members"][0]["devices"][1]["connected"] = False
    service.reset(config)
    response = service.api("POST", "/badge", json={"badge": 5, "target": {"channels": ["ops"]}})
    assert response.status_code == 422
    assert response.json() == {
        "error": "App Icon Badge Count could not be updated",
        "code": "badge_device_disconnected",
        "message": "A targeted device needs to reconnect before its App Icon Badge Count can be updated.",
        "badge": 5,
        "devices_updated": 1,
        "users_updated": 1,
        "effective_channel_slugs": ["ops"],
        "devices_targeted": 2,
    }


def test_badge_no_recipients_is_422(service: ServiceApi) -> None:
    service.reset(team())
    response = service.api("POST", "/badge", json={"badge": 1, "target": {"channels": ["marketing"]}})
    assert response.status_code == 422 and response.json()["error"] == "No recipients found"
