"""The legacy manual lifecycle: POST /api/live-activity/start, /update and /end.

The caller keeps the activity_id. Only the key that started an activity may change it; ending twice answers
200 again, so a retry after a lost answer is safe.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.content_rules import check_content_state
from activitysmith_mock.domain import capacity, lifecycle
from activitysmith_mock.domain.accounts import check_billing
from activitysmith_mock.domain.entities import Activity, ApiKey, Device
from activitysmith_mock.domain.targeting import count_users, resolve
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import bad_request, forbidden, not_found
from activitysmith_mock.schemas import (
    LiveActivityEndRequest,
    LiveActivityStartRequest,
    LiveActivityUpdateRequest,
)


def start(
    world: World,
    key: ApiKey,
    request: LiveActivityStartRequest,
    channels: list[str] | None,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """A connected target that is full gets room (its oldest Live Activity ends, `ended_activity_id`), or the
    429 with `capacity_policy: refuse`; disconnected targets get it queued."""
    lifecycle.sweep(world)
    check_billing(world, key)
    state = request.content_state.model_dump(exclude_none=True)
    check_content_state("start", state, state["type"])
    recipients = resolve(world, key, channels, live_activity=True)
    blocked = capacity.full(world, recipients.connected)
    ended: list[str] = []
    if blocked and world.settings.capacity_policy == "refuse":
        raise capacity.limit_error(world, recipients.connected, blocked)
    if blocked:
        ended = _make_room(world, blocked)
    extras = lifecycle.extras_of(request, tags, metadata)
    activity = lifecycle.launch(world, key, state, recipients.devices, stream_key=None, extras=extras)
    counts = lifecycle.delivery_counts(world, activity)
    response: dict[str, Any] = {
        "success": True,
        "activity_id": activity.id,
        "devices_notified": counts["devices_notified"],
        "users_notified": count_users(recipients.connected),
        "effective_channel_slugs": recipients.effective_channel_slugs,
        "timestamp": world.stamp(),
    }
    if tags is not None:
        response["tags"] = tags
    if ended:
        response["ended_activity_id"] = ended[0]
    return response


def _make_room(world: World, devices: list[Device]) -> list[str]:
    """End the oldest Live Activity on each full device (dismissed at once), as the API does to stay within
    the iOS limit; the ids ended, oldest first."""
    ended: list[Activity] = []
    for device in devices:
        active = capacity.active_on(world, device)
        for activity in active[: len(active) - device.capacity + 1]:
            lifecycle.end(world, activity, {"auto_dismiss_seconds": 0})
            _end_stream_of(world, activity)
            ended.append(activity)
    lifecycle.sweep(world)
    return [activity.id for activity in sorted(ended, key=lambda activity: activity.started_at)]


def update(
    world: World,
    key: ApiKey,
    request: LiveActivityUpdateRequest,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    lifecycle.sweep(world)
    activity = owned(world, key, request.activity_id, "update")
    if activity.status == "ended":
        raise bad_request(
            "Live Activity ended",
            f"activity_id: the Live Activity {activity.id} has already ended",
            "live_activity_ended",
        )
    incoming = request.content_state.model_dump(exclude_none=True)
    lifecycle.check_phase("update", activity, incoming)
    lifecycle.apply(world, activity, incoming, lifecycle.extras_of(request, tags, metadata))
    return {
        "success": True,
        "activity_id": activity.id,
        **lifecycle.delivery_counts(world, activity),
        "timestamp": world.stamp(),
    }


def end(
    world: World,
    key: ApiKey,
    request: LiveActivityEndRequest,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """Ending twice answers 200 again (nothing notified): a retry after a lost answer is safe."""
    lifecycle.sweep(world)
    activity = owned(world, key, request.activity_id, "end")
    if activity.status == "ended":
        return {
            "success": True,
            "activity_id": activity.id,
            "devices_notified": 0,
            "devices_queued": 0,
            "timestamp": world.stamp(),
            "ignored": True,
            "message": "The Live Activity had already ended; nothing was sent.",
        }
    incoming = request.content_state.model_dump(exclude_none=True)
    lifecycle.check_phase("end", activity, incoming)
    lifecycle.apply(world, activity, incoming, lifecycle.extras_of(request, tags, metadata))
    lifecycle.end(world, activity, incoming)
    _end_stream_of(world, activity)
    return {
        "success": True,
        "activity_id": activity.id,
        **lifecycle.delivery_counts(world, activity),
        "timestamp": world.stamp(),
    }


def owned(world: World, key: ApiKey, activity_id: str, verb: str) -> Activity:
    """The activity, if this account has it (404) and this key started it (403)."""
    activity = world.activities.get(activity_id)
    if activity is None or activity.account != key.account:
        raise not_found(
            "Live Activity not found", f"activity_id: no Live Activity {activity_id} in this account"
        )
    if activity.api_key != key.key:
        raise forbidden(f"This API key cannot {verb} this Live Activity")
    return activity


def _end_stream_of(world: World, activity: Activity) -> None:
    """A legacy end of a stream's activity ends the stream too, so its next PUT starts afresh."""
    if activity.stream_key is None:
        return
    stream = world.streams.get((activity.account, activity.stream_key))
    if stream is not None and stream.activity_id == activity.id:
        stream.status = "ended"
