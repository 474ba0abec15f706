"""The operator API in-process: taps that hit nothing, uncalled webhooks, the clock, reset, the devices view.

Taps whose webhooks are really called are in tests/integration/service/test_webhooks.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.service_api import ServiceApi


def test_webhook_without_redirect_is_not_called(service: ServiceApi) -> None:
    actions = [{"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/retry"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    outcome = service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["status"] is None
    assert outcome["error"] == (
        "not called: no settings.webhook_redirects entry covers this origin "
        "(add one, or set settings.webhook_allow_network: true)"
    )


@pytest.mark.parametrize(
    ("tap", "status", "message"),
    [
        ({"device": "nope", "push": 0, "action": 0}, 404, "device: no device 'nope'"),
        ({"device": "iphone", "push": 5, "action": 0}, 404, "push: iphone has 1 pushes"),
        ({"device": "iphone", "push": 0, "action": 3}, 404, "action: that push has 1 actions"),
        ({"device": "iphone"}, 400, "body: give push and action, or activity_id and button"),
        (
            {"device": "iphone", "activity_id": "zzz", "button": "action"},
            404,
            "activity_id: zzz is not on iphone",
        ),
    ],
)
def test_bad_taps(service: ServiceApi, tap: dict, status: int, message: str) -> None:
    actions = [{"title": "Open", "type": "open_url", "url": "https://x.io"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    response = service.operator("POST", "tap", tap)
    assert response.status_code == status and response.json()["message"] == message


def test_reset_with_config_then_empty_reset_restores_the_startup_seed(service: ServiceApi) -> None:
    config = {
        "accounts": [
            {
                "name": "solo",
                "api_keys": [{"key": service.api_key}],
                "members": [{"name": "me", "devices": [{"id": "pixel", "capacity": 1}]}],
            }
        ]
    }
    service.reset(config)
    assert [d["id"] for d in service.devices()["devices"]] == ["pixel"]
    service.api("POST", "/push-notification", json={"title": "x"})
    service.fault(path="/api/badge", status=500)
    service.advance_clock(1000)
    service.reset()
    devices = service.devices()["devices"]
    assert [d["id"] for d in devices] == ["iphone"] and devices[0]["pushes"] == []
    assert service.requests() == [] and service.faults() == []
    assert service.metrics() == {"local": {}}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"settings": {"no_recipients_status": 500}},
            "config: settings.no_recipients_status: Input should be 404 or 422",
        ),
        (
            {"settings": {"rate_limits": {"ip": 0}}},
            "config: settings.rate_limits.ip: Input should be greater than or equal to 1",
        ),
        (
            {"accounts": [{"name": "a", "api_keys": []}]},
            "config: accounts.0.api_keys: List should have at least 1 item after validation, not 0",
        ),
        (
            {"settings": {"webhook_redirects": {"http://x.io": "http://127.0.0.1:1"}}},
            "config: settings.webhook_redirects: 'http://x.io': the key must be an https origin such as "
            "https://hooks.example.com",
        ),
        ([1], "config: the config must be a mapping with 'settings' and/or 'accounts', got list"),
    ],
)
def test_reset_with_a_bad_config_is_400_naming_the_field(
    service: ServiceApi, config: Any, message: str
) -> None:
    response = service.operator("POST", "reset", config)
    assert response.status_code == 400 and response.json()["message"] == message
    assert [d["id"] for d in service.devices()["devices"]] == ["iphone"]


def test_clock_rejects_going_back(service: ServiceApi) -> None:
    response = service.operator("POST", "clock", {"advance_seconds": -1})
    assert response.status_code == 400
    assert response.json()["message"] == "advance_seconds: Input should be greater than or equal to 0"
    before = service.operator("POST", "clock", {"advance_seconds": 0}).json()["now"]
    after = service.operator("POST", "clock", {"advance_seconds": 3600}).json()["now"]
    assert after > before


def test_devices_view_shape(service: ServiceApi) -> None:
    body = {
        "content_state": {"title": "D", "type": "progress", "percentage": 10},
        "alert": {"title": "Started"},
    }
    service.api("POST", "/live-activity/start", json=body)
    service.api("POST", "/badge", json={"badge": 2})
    (device,) = service.devices()["devices"]
    assert {
        "id",
        "name",
        "member",
        "account",
        "channels",
        "connected",
        "badge",
        "pushes",
        "live_activities",
    } <= set(device)
    assert (device["id"], device["member"], device["account"], device["channels"]) == (
        "iphone",
        "you",
        "local",
        ["ops", "deploys"],
    )
    assert device["connected"] is True and device["badge"] == 2
    (activity,) = device["live_activities"]
    assert {
        "activity_id",
        "stream_key",
        "status",
        "content_state",
        "action",
        "secondary_action",
        "alert",
        "started_at",
        "updated_at",
        "ended_at",
        "dismiss_at",
    } <= set(activity)
    assert activity["alert"] == {"title": "Started"} and activity["stream_key"] is None
