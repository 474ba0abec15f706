"""Request-rate limits: RateLimit headers, 429 + Retry-After, windows on the service clock."""

from __future__ import annotations

import pytest

from tests.support.service_api import ServiceApi

ALERT = {"title": "a", "type": "alert", "message": "m"}


def small_limits(service: ServiceApi, **limits: int) -> None:
    service.reset({"settings": {"rate_limits": limits}})


def test_headers_on_every_limited_endpoint(service: ServiceApi) -> None:
    response = service.api("POST", "/push-notification", json={"title": "x"})
    assert response.headers["RateLimit"] == (
        '"public-api-ip:notifications"; r=599; t=60, "account:notifications"; r=59; t=60'
    )
    assert response.headers["RateLimit-Policy"] == (
        '"public-api-ip:notifications"; q=600; w=60, "account:notifications"; q=60; w=60'
    )
    cases = [
        ("PUT", "/live-activity/stream/s", {"content_state": ALERT}, "live-activities", 300),
        ("POST", "/live-activity/start", {"content_state": ALERT}, "live-activities", 300),
        ("POST", "/metrics/queue.depth/value", {"value": 1}, "metrics", 300),
        ("POST", "/badge", {"badge": 1}, "badges", 60),
    ]
    for method, path, body, feature, quota in cases:
        response = service.api(method, path, json=body)
        assert response.status_code == 200
        assert f'"account:{feature}"; q={quota}; w=60' in response.headers["RateLimit-Policy"]
    assert "RateLimit" not in service.api("GET", "/health").headers


def test_headers_are_also_on_errors(service: ServiceApi) -> None:
    response = service.api("POST", "/push-notification", json={})
    assert response.status_code == 400 and "account:notifications" in response.headers["RateLimit"]
    response = service.api("POST", "/push-notification", key="", json={"title": "x"})
    assert response.status_code == 401
    assert response.headers["RateLimit"].startswith('"public-api-ip:notifications"; r=')
    assert "account:" not in response.headers["RateLimit"]


def test_account_limit_gives_429_with_retry_after_and_resets_with_the_clock(service: ServiceApi) -> None:
    small_limits(service, notifications=3)
    for remaining in (2, 1, 0):
        response = service.api("POST", "/push-notification", json={"title": "x"})
        assert response.status_code == 200
        assert f'"account:notifications"; r={remaining}; t=60' in response.headers["RateLimit"]
    service.advance_clock(20)
    response = service.api("POST", "/push-notification", json={"title": "x"})
    assert response.status_code == 429
    assert response.json() == {
        "error": "Rate limit exceeded",
        "message": "Too many requests, please try again later.",
        "code": "rate_limited",
    }
    assert response.headers["Retry-After"] == "40"
    assert '"account:notifications"; r=0; t=40' in response.headers["RateLimit"]
    assert len(service.devices()["devices"][0]["pushes"]) == 3
    # Other features have their own allowance.
    assert service.api("POST", "/badge", json={"badge": 1}).status_code == 200
    service.advance_clock(40)
    assert service.api("POST", "/push-notification", json={"title": "x"}).status_code == 200


def test_ip_limit_applies_per_feature(service: ServiceApi) -> None:
    small_limits(service, ip=2, notifications=50)
    assert service.api("POST", "/push-notification", json={"title": "x"}).status_code == 200
    assert service.api("POST", "/push-notification", key="", json={"title": "x"}).status_code == 401
    response = service.api("POST", "/push-notification", json={"title": "x"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert service.api("POST", "/metrics/queue.depth/value", json={"value": 1}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "limit"),
    [
        ("PUT", "/live-activity/stream/s", {"content_state": ALERT}, "live_activities"),
        ("POST", "/metrics/queue.depth/value", {"value": 1}, "metrics"),
        ("POST", "/badge", {"badge": 1}, "badges"),
    ],
)
def test_each_feature_is_limited(service: ServiceApi, method: str, path: str, body: dict, limit: str) -> None:
    small_limits(service, **{limit: 1})
    assert service.api(method, path, json=body).status_code == 200
    response = service.api(method, path, json=body)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) == 60
