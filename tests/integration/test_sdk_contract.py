"""The official Python SDK (activitysmith 1.14.0, generated from the API's own OpenAPI document) against the
local service, over real HTTP.

Every endpoint and every Live Activity type is driven through the SDK's high-level client; a 2xx answer is
parsed by the SDK itself into its response model (a field of the wrong type or a missing required one raises),
and error answers are parsed with the SDK's error models. Then every body the SDK sent, as the service logged
it, goes through the action's own validation (`build_request`): the action must accept all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from activitysmith import ActivitySmith, action, alert_badge, alert_icon, content_state, metric
from activitysmith_openapi import models
from activitysmith_openapi.exceptions import ApiException
from pydantic import BaseModel

from activitysmith_action.inputs import Inputs
from activitysmith_action.redact import Redactor
from activitysmith_action.request import build_request
from tests.support.service import LocalService

HOOK = "https://hooks.example.com/activitysmith"


@pytest.fixture
def sdk(service: LocalService) -> Iterator[ActivitySmith]:
    client = ActivitySmith(api_key=service.api_key)
    # Every resource shares one ApiClient, so one configuration change points them all at the service.
    client.notifications._api.api_client.configuration.host = service.base_url
    yield client
    client.notifications._api.api_client.rest_client.pool_manager.clear()


def error_of(call: Any, model: type[BaseModel], status: int) -> BaseModel:
    """Make the failing call; its answer must have `status` and parse as `model` (the SDK's error schema)."""
    with pytest.raises(ApiException) as raised:
        call()
    assert raised.value.status == status, raised.value.body
    assert raised.value.body is not None
    return model.model_validate_json(raised.value.body, strict=False)


# --- every Live Activity type: a start state, an update and an end (SDK keyword form) ---------------------
TYPES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "segmented_progress": (
        {"type": "segmented_progress", "number_of_steps": 3, "current_step": 1, "step_color": "green"},
        {"current_step": 2},
        {"current_step": 3, "number_of_steps": 3, "auto_dismiss_minutes": 1},
    ),
    "progress": ({"type": "progress", "percentage": 10}, {"percentage": 60}, {"percentage": 100}),
    "progress_value": (
        {"type": "progress", "value": 2, "upper_limit": 10},
        {"value": 5, "upper_limit": 10},
        {"value": 10, "upper_limit": 10},
    ),
    "metrics": (
        {"type": "metrics", "metrics": [metric("CPU", 27, unit="%"), metric("MEM", "64%", color="red")]},
        {"metrics": [metric("CPU", 30, unit="%"), metric("MEM", "70%")]},
        {"metrics": [metric("CPU", 0, unit="%")]},
    ),
    "stats": (
        {"type": "stats", "metrics": [metric("Orders", 12), metric("Revenue", "$1,240")]},
        {"metrics": [metric("Orders", 13)]},
        {"metrics": [metric("Orders", 20)]},
    ),
    "alert": (
        {"type": "alert", "message": "db is slow", "badge": alert_badge("P1", color="red")},
        {"message": "still slow"},
        {"message": "resolved"},
    ),
    "timer": ({"type": "timer", "duration_seconds": 600}, {"duration_seconds": 300}, {}),
    "timer_open_elapsed": ({"type": "timer", "counts_down": False}, {}, {}),
    "timer_bounded_elapsed": ({"type": "timer", "counts_down": False, "duration_seconds": 900}, {}, {}),
    "value": ({"type": "value", "value": "$1,240", "color": "cyan"}, {"value": 1300.5}, {"value": "$1,400"}),
}
SHOWS_SECONDARY = {"segmented_progress", "progress", "alert", "value"}


def buttons(kind: str) -> dict[str, Any]:
    """`action` on every type; `secondary_action` (a webhook) where the API shows it. The SDK's `action()`
    helper leaves `method` out, but its model adds the default (POST) to every button it sends."""
    chosen: dict[str, Any] = {"action": action("Open", "open_url", "https://example.com/run/1")}
    if kind in SHOWS_SECONDARY:
        chosen["secondary_action"] = action("Retry", "webhook", HOOK, method="POST", body={"run": 1})
    return chosen


def test_push_send_and_replace(sdk: ActivitySmith, service: LocalService) -> None:
    sent = sdk.notifications.send(
        title="Build started",
        message="main @ 1a2b3c",
        subtitle="CI",
        redirection="https://ci.example.com/run/1",
        icon="https://example.com/icon.png",
        interruption_level="time-sensitive",
        actions=[
            action("Open run", "open_url", "https://ci.example.com/run/1"),
            action("Re-run", "webhook", HOOK, method="POST", body={"run": 1}),
        ],
        channels=["ops"],
        tags=["build", "env:prod"],
        metadata={"sha": "1a2b3c", "attempt": 1, "main": True},
    )
    assert isinstance(sent, models.PushNotificationResponse)
    assert sent.success and sent.notification_id and sent.effective_channel_slugs == ["ops"]
    assert (sent.devices_targeted, sent.devices_notified, sent.devices_deactivated) == (1, 1, 0)
    assert sent.devices_unregistered == 0 and sent.tags == ["build", "env:prod"]

    replaced = sdk.notifications.replace(
        sent.notification_id, title="Build passed", message="2m 14s", media="https://example.com/shot.png"
    )
    assert isinstance(replaced, models.PushNotificationReplaceResponse)
    assert replaced.notification_id == sent.notification_id and replaced.tags == ["build", "env:prod"]
    cleared = sdk.notifications.replace(sent.notification_id, title="Build passed", tags=[], metadata={})
    assert cleared.tags == []
    (device,) = service.devices()["devices"]
    (shown,) = device["pushes"]
    assert (shown["title"], shown["replaced"], shown["silent"]) == ("Build passed", True, True)

    plain = sdk.notifications.send(title="No channels")
    assert plain.effective_channel_slugs is None and plain.notification_id != sent.notification_id
    missing = error_of(lambda: sdk.notifications.replace("nope", title="t"), models.NotFoundError, 404)
    assert missing.error == "Push Notification not found"
    invalid = error_of(
        lambda: sdk.notifications.send(title="t", redirection="javascript:alert(1)"),
        models.BadRequestError,
        400,
    )
    assert invalid.message.startswith("redirection:")
    nobody = error_of(
        lambda: sdk.notifications.send(title="t", channels=["nobody"]), models.NoRecipientsError, 422
    )
    assert nobody.effective_channel_slugs == ["nobody"]


def test_replace_past_its_window_is_the_409(sdk: ActivitySmith, service: LocalService) -> None:
    service.reset({"settings": {"push_replace_window_seconds": 30}})
    sent = sdk.notifications.send(title="Incident")
    service.advance_clock(31)
    # The SDK documents its 409 with the NotFoundError schema.
    late = error_of(
        lambda: sdk.notifications.replace(sent.notification_id, title="x"), models.NotFoundError, 409
    )
    assert late.error == "Push Notification can no longer be replaced"


@pytest.mark.parametrize("kind", list(TYPES))
def test_legacy_lifecycle_of_every_type(sdk: ActivitySmith, kind: str) -> None:
    start_state, update_state, end_state = TYPES[kind]
    title = f"{kind} activity"
    started = sdk.live_activities.start(
        content_state=content_state(title, icon=alert_icon("bolt", color="blue"), **start_state),
        alert={"title": "Started", "body": "go"},
        channels=["ops"],
        tags=["deploy"],
        metadata={"sha": "1a2b"},
        **buttons(kind),
    )
    assert isinstance(started, models.LiveActivityStartResponse)
    assert (
        started.activity_id
        and started.effective_channel_slugs == ["ops"]
        and started.ended_activity_id is None
    )
    updated = sdk.live_activities.update(
        activity_id=started.activity_id, title=title, tags=["deploy", "half"], **update_state
    )
    assert isinstance(updated, models.LiveActivityUpdateResponse)
    assert updated.activity_id == started.activity_id
    ended = sdk.live_activities.end(activity_id=started.activity_id, title=title, metadata={}, **end_state)
    assert isinstance(ended, models.LiveActivityEndResponse) and not ended.ignored
    again = sdk.live_activities.end(activity_id=started.activity_id, title=title, **end_state)
    assert again.ignored is True


@pytest.mark.parametrize("kind", list(TYPES))
def test_stream_lifecycle_of_every_type(sdk: ActivitySmith, kind: str) -> None:
    start_state, update_state, end_state = TYPES[kind]
    key = f"sdk-{kind}".replace("_", "-")
    title = f"{kind} stream"
    first = sdk.live_activities.stream(
        key, content_state=content_state(title, **start_state), channels=["ops"]
    )
    assert isinstance(first, models.LiveActivityStreamPutResponse)
    assert first.operation == "started" and first.activity_id
    changed = {**start_state, **update_state, "subtitle": "changed"}
    second = sdk.live_activities.stream(key, content_state=content_state(title, **changed), **buttons(kind))
    assert second.operation == "updated" and second.activity_id == first.activity_id
    # the same state again changes nothing (a timer's duration_seconds would restart its window: left out)
    again = {name: value for name, value in changed.items() if name != "duration_seconds"}
    same = sdk.live_activities.stream(key, content_state=content_state(title, **again), **buttons(kind))
    assert same.operation == "noop"
    ended = sdk.live_activities.end_stream(
        key, content_state=content_state(title, **end_state), tags=["done"]
    )
    assert isinstance(ended, models.LiveActivityStreamDeleteResponse)
    assert ended.operation == "ended" and ended.activity_id == first.activity_id and not ended.ignored
    repeated = sdk.live_activities.end_stream(key)
    assert repeated.ignored is True and repeated.activity_id is None


def test_stream_rotation_and_errors(sdk: ActivitySmith, service: LocalService) -> None:
    state = content_state("Server", type="value", value="ok")
    first = sdk.live_activities.stream("rotating", content_state=state)
    service.advance_clock(8 * 3600 + 1)  # past the iOS age limit: the next PUT rotates
    rotated = sdk.live_activities.stream("rotating", content_state=content_state("Server", value="still ok"))
    assert rotated.operation == "rotated" and rotated.previous_activity_id == first.activity_id
    assert rotated.activity_id and rotated.activity_id != first.activity_id
    unknown = error_of(lambda: sdk.live_activities.end_stream("never-used"), models.NotFoundError, 404)
    assert unknown.error == "Live Activity stream not found"
    bad_key = error_of(
        lambda: sdk.live_activities.stream("a.b", content_state=state), models.BadRequestError, 400
    )
    assert bad_key.error == "Invalid stream_key"


def test_a_full_device_ends_its_oldest_activity(sdk: ActivitySmith, service: LocalService) -> None:
    service.reset({"accounts": [_one_device(service.api_key, capacity=1)]})
    older = sdk.live_activities.start(content_state=content_state("Old", type="value", value=1))
    newer = sdk.live_activities.start(content_state=content_state("New", type="value", value=2))
    assert newer.ended_activity_id == older.activity_id
    service.reset(
        {"settings": {"capacity_policy": "refuse"}, "accounts": [_one_device(service.api_key, capacity=1)]}
    )
    sdk.live_activities.start(content_state=content_state("Old", type="value", value=1))
    full = error_of(
        lambda: sdk.live_activities.start(content_state=content_state("New", type="value", value=2)),
        models.LiveActivityLimitError,
        429,
    )
    assert (full.limit, full.active) == (1, 1)


def test_metrics_and_badge(sdk: ActivitySmith, service: LocalService) -> None:
    assert sdk.metrics.update("deploy.success_rate", 99.9).success is True
    assert sdk.metrics.update("queue.depth", "12 jobs", timestamp="2026-01-28T09:57:22Z").success is True
    unknown = error_of(lambda: sdk.metrics.update("no.such.metric", 1), models.MetricError, 404)
    assert unknown.error == "Metric not found"
    untargeted = sdk.badge_count(3)
    assert isinstance(untargeted, models.AppIconBadgeCountUpdateResponse)
    assert untargeted.effective_channel_slugs == [] and untargeted.devices_targeted == 1
    targeted = sdk.badge_count(0, channels=["ops", "deploys"])
    assert targeted.effective_channel_slugs == ["ops", "deploys"] and targeted.badge == 0


def test_a_badge_for_a_disconnected_device_is_the_documented_422(
    sdk: ActivitySmith, service: LocalService
) -> None:
    service.reset({"accounts": [_one_device(service.api_key, connected=False)]})
    stuck = error_of(lambda: sdk.badge_count(1), models.AppIconBadgeCountUpdateError, 422)
    assert (stuck.code, stuck.devices_updated) == ("badge_device_disconnected", 0)


def _one_device(key: str, *, capacity: int = 5, connected: bool = True) -> dict[str, Any]:
    device = {"id": "phone", "capacity": capacity, "connected": connected}
    return {"name": "solo", "api_keys": [{"key": key}], "members": [{"name": "me", "devices": [device]}]}


# --- every body the SDK sent is one the action accepts ------------------------------------------------------
_ROUTES: list[tuple[str, re.Pattern[str], str, str | None]] = [
    ("POST", re.compile(r"/api/push-notification"), "send_push_notification", None),
    ("PUT", re.compile(r"/api/push-notification/(.+)"), "replace_push_notification", "notification_id"),
    ("POST", re.compile(r"/api/live-activity/start"), "start_live_activity", None),
    ("POST", re.compile(r"/api/live-activity/update"), "update_live_activity", None),
    ("POST", re.compile(r"/api/live-activity/end"), "end_live_activity", None),
    ("PUT", re.compile(r"/api/live-activity/stream/(.+)"), "stream_live_activity", "stream_key"),
    ("DELETE", re.compile(r"/api/live-activity/stream/(.+)"), "end_live_activity_stream", "stream_key"),
    ("POST", re.compile(r"/api/metrics/(.+)/value"), "update_metric_value", "metric_key"),
    ("POST", re.compile(r"/api/badge"), "update_app_icon_badge_count", None),
]


def action_inputs(method: str, path: str, body: Any) -> Inputs:
    for verb, pattern, name, id_field in _ROUTES:
        match = pattern.fullmatch(path)
        if verb == method and match:
            ids: dict[str, str] = {id_field: match.group(1)} if id_field else {}
            if name in ("update_live_activity", "end_live_activity"):
                ids["live_activity_id"] = body["activity_id"]
            return Inputs(action=name, api_key="k", **ids)
    raise AssertionError(f"no action sends {method} {path}")


def test_the_action_accepts_every_body_the_sdk_sends(sdk: ActivitySmith, service: LocalService) -> None:
    logged: list[dict[str, Any]] = []
    service.reset()
    test_push_send_and_replace(sdk, service)
    logged += service.requests()
    service.reset()
    for kind in TYPES:
        test_legacy_lifecycle_of_every_type(sdk, kind)
        test_stream_lifecycle_of_every_type(sdk, kind)
    test_stream_rotation_and_errors(sdk, service)
    logged += service.requests()
    service.reset()
    test_metrics_and_badge(sdk, service)
    logged += service.requests()

    sent = [entry for entry in logged if entry["status"] is not None and entry["status"] < 300]
    assert len(sent) >= 80, "the SDK pass covers every endpoint and every type"
    assert {action_inputs(e["method"], e["path"], e["body"]).action for e in sent} == {
        name for _, _, name, _ in _ROUTES
    }
    buttons_sent = [b for e in sent for b in _buttons_of(e["body"])]
    assert buttons_sent and all(b.get("method") == "POST" for b in buttons_sent), "the SDK adds method: POST"
    refused = []
    for entry in sent:
        try:
            build_request(
                action_inputs(entry["method"], entry["path"], entry["body"]), entry["body"], Redactor("")
            )
        except Exception as exc:  # the report lists every body the action refused
            refused.append(f"{entry['method']} {entry['path']} {entry['body']}: {exc}")
    assert not refused, "\n".join(refused)


def _buttons_of(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    found = [body[name] for name in ("action", "secondary_action") if isinstance(body.get(name), dict)]
    return found + [b for b in body.get("actions") or [] if isinstance(b, dict)]
