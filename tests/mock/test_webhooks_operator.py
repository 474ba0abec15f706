"""Taps and webhooks (with a tiny local receiver), the clock, reset with a config, and the devices view."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.support.service import LocalService, free_port


class Receiver:
    """A local HTTP server that records every request and answers with a set status."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                receiver.calls.append(
                    {"method": self.command, "path": self.path, "body": json.loads(raw) if raw else None}
                )
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _handle

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def operator(service: LocalService, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{service.root}/_mock/{path}", json=body, timeout=10)


def redirect_to(service: LocalService, receiver: Receiver) -> None:
    service.reset({"settings": {"webhook_redirects": {"https://hooks.example.com": receiver.base}}})


def test_push_webhook_action_calls_the_redirected_url(service: LocalService, receiver: Receiver) -> None:
    redirect_to(service, receiver)
    actions = [
        {"title": "Open", "type": "open_url", "url": "https://ci.example.com/1"},
        {
            "title": "Retry",
            "type": "webhook",
            "url": "https://hooks.example.com/build/retry?x=1",
            "body": {"build_id": "8842"},
        },
    ]
    assert (
        service.api(
            "POST", "/push-notification", json={"title": "Build failed", "actions": actions}
        ).status_code
        == 200
    )
    outcome = operator(service, "POST", "tap", {"device": "iphone", "push": 0, "action": 1}).json()
    assert receiver.calls == [{"method": "POST", "path": "/build/retry?x=1", "body": {"build_id": "8842"}}]
    assert outcome["url"] == "https://hooks.example.com/build/retry?x=1"
    assert (outcome["method"], outcome["status"], outcome["error"]) == ("POST", 204, None)
    opened = operator(service, "POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert opened["kind"] == "open_url" and opened["opened"] is True and opened["status"] is None
    log = operator(service, "GET", "webhooks").json()
    assert [entry["url"] for entry in log] == [
        "https://hooks.example.com/build/retry?x=1",
        "https://ci.example.com/1",
    ]
    assert set(log[0]) >= {"url", "method", "body", "status", "error", "at"}


def test_live_activity_button_webhook_with_get(service: LocalService, receiver: Receiver) -> None:
    redirect_to(service, receiver)
    receiver.status = 500
    body = {
        "content_state": {"title": "Deploy", "type": "alert", "message": "Approve?"},
        "action": {"title": "Open", "type": "open_url", "url": "https://ci.example.com"},
        "secondary_action": {
            "title": "Approve",
            "type": "webhook",
            "url": "https://hooks.example.com/approve",
            "method": "GET",
        },
    }
    activity_id = service.api("POST", "/live-activity/start", json=body).json()["activity_id"]
    tap = {"device": "iphone", "activity_id": activity_id, "button": "secondary_action"}
    outcome = operator(service, "POST", "tap", tap).json()
    assert receiver.calls == [{"method": "GET", "path": "/approve", "body": None}]
    assert outcome["status"] == 500 and outcome["method"] == "GET"


def test_webhook_to_nobody_records_the_error(service: LocalService) -> None:
    base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    service.reset({"settings": {"webhook_redirects": {"https://hooks.example.com": base}}})
    actions = [{"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/retry"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    outcome = operator(service, "POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["status"] is None and outcome["error"].startswith("ConnectError")


def test_webhook_without_redirect_is_not_called(service: LocalService) -> None:
    actions = [{"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/retry"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    outcome = operator(service, "POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["status"] is None
    assert outcome["error"] == (
        "not called: no settings.webhook_redirects entry covers this origin "
        "(add one, or set settings.webhook_allow_network: true)"
    )


def test_webhook_allow_network_calls_the_url_as_written(service: LocalService) -> None:
    service.reset({"settings": {"webhook_allow_network": True}})
    url = f"https://127.0.0.1:{free_port()}/retry"  # as written, on loopback, where nothing listens
    service.api(
        "POST",
        "/push-notification",
        json={"title": "x", "actions": [{"title": "Retry", "type": "webhook", "url": url}]},
    )
    outcome = operator(service, "POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["url"] == url and outcome["error"].startswith("ConnectError")


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
def test_bad_taps(service: LocalService, tap: dict, status: int, message: str) -> None:
    actions = [{"title": "Open", "type": "open_url", "url": "https://x.io"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    response = operator(service, "POST", "tap", tap)
    assert response.status_code == status and response.json()["message"] == message


def test_reset_with_config_then_empty_reset_restores_the_startup_seed(service: LocalService) -> None:
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
    assert service.requests() == [] and service._call("GET", "faults") == []
    assert service._call("GET", "metrics") == {"local": {}}


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
    service: LocalService, config: Any, message: str
) -> None:
    response = operator(service, "POST", "reset", config)
    assert response.status_code == 400 and response.json()["message"] == message
    assert [d["id"] for d in service.devices()["devices"]] == ["iphone"]


def test_clock_rejects_going_back(service: LocalService) -> None:
    response = operator(service, "POST", "clock", {"advance_seconds": -1})
    assert response.status_code == 400
    assert response.json()["message"] == "advance_seconds: Input should be greater than or equal to 0"
    before = operator(service, "POST", "clock", {"advance_seconds": 0}).json()["now"]
    after = operator(service, "POST", "clock", {"advance_seconds": 3600}).json()["now"]
    assert after > before


def test_devices_view_shape(service: LocalService) -> None:
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
