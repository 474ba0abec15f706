"""Taps on webhook actions: the service calls the URL over real HTTP (a tiny local receiver answers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.service import LocalService, free_port
from tests.support.webhook_receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


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
    outcome = service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 1}).json()
    assert receiver.calls == [{"method": "POST", "path": "/build/retry?x=1", "body": {"build_id": "8842"}}]
    assert outcome["url"] == "https://hooks.example.com/build/retry?x=1"
    assert (outcome["method"], outcome["status"], outcome["error"]) == ("POST", 204, None)
    opened = service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert opened["kind"] == "open_url" and opened["opened"] is True and opened["status"] is None
    log = service.operator("GET", "webhooks").json()
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
    outcome = service.operator("POST", "tap", tap).json()
    assert receiver.calls == [{"method": "GET", "path": "/approve", "body": None}]
    assert outcome["status"] == 500 and outcome["method"] == "GET"


def test_webhook_to_nobody_records_the_error(service: LocalService) -> None:
    base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    service.reset({"settings": {"webhook_redirects": {"https://hooks.example.com": base}}})
    actions = [{"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/retry"}]
    service.api("POST", "/push-notification", json={"title": "x", "actions": actions})
    outcome = service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["status"] is None and outcome["error"].startswith("ConnectError")


def test_webhook_allow_network_calls_the_url_as_written(service: LocalService) -> None:
    service.reset({"settings": {"webhook_allow_network": True}})
    url = f"https://127.0.0.1:{free_port()}/retry"  # as written, on loopback, where nothing listens
    service.api(
        "POST",
        "/push-notification",
        json={"title": "x", "actions": [{"title": "Retry", "type": "webhook", "url": url}]},
    )
    outcome = service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 0}).json()
    assert outcome["url"] == url and outcome["error"].startswith("ConnectError")
