"""The managed stream lifecycle: PUT and DELETE /api/live-activity/stream/{stream_key}.

A stream is a stable key the caller names; the service decides what each PUT does with it:

  no live activity   start one (first PUT, after DELETE or a legacy end), or pause when every connected
                     target is full (the next PUT with room starts it, from the paused state)
  live activity      update it, or `noop` when nothing shown changes, or rotate it when it is past the
                     iOS age limit (end the old activity now, continue on a new one)

DELETE ends the live activity (if any) and the stream.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.clock import iso
from activitysmith_mock.content_rules import check_content_state
from activitysmith_mock.domain import capacity, lifecycle
from activitysmith_mock.domain.accounts import check_billing
from activitysmith_mock.domain.entities import Activity, ApiKey, Recipients, Stream
from activitysmith_mock.domain.targeting import count_users, resolve
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import not_found
from activitysmith_mock.schemas import StreamDeleteRequest, StreamPutRequest


def put(
    world: World,
    key: ApiKey,
    stream_key: str,
    request: StreamPutRequest,
    channels: list[str] | None,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    lifecycle.sweep(world)
    check_billing(world, key)
    incoming = request.content_state.model_dump(exclude_none=True)
    recipients = resolve(world, key, channels, live_activity=True)
    stream = world.streams.get((key.account, stream_key))
    live = world.activities.get(stream.activity_id) if stream and stream.activity_id else None
    extras = lifecycle.extras_of(request, tags, metadata)
    base: dict[str, Any] = {"success": True, "stream_key": stream_key}
    extra: dict[str, Any] = {"effective_channel_slugs": recipients.effective_channel_slugs}
    if tags is not None:
        extra["tags"] = tags

    if stream is not None and live is not None and live.status == "active":
        if world.now() - live.started_at >= world.settings.activity_max_age_hours * 3600:
            return _rotate(world, key, stream, live, incoming, recipients, extras, base, extra)
        return _update(world, stream, live, incoming, extras, base, extra)
    return _start(world, key, stream_key, stream, incoming, recipients, extras, base, extra)


def _update(
    world: World,
    stream: Stream,
    activity: Activity,
    incoming: dict[str, Any],
    extras: dict[str, Any],
    base: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    lifecycle.check_phase("update", activity, incoming)
    if not lifecycle.apply(world, activity, incoming, extras):
        return {**base, "operation": "noop", "activity_id": activity.id, "timestamp": world.stamp()}
    stream.content_state = dict(activity.content_state)
    return {
        **base,
        "operation": "updated",
        "activity_id": activity.id,
        **lifecycle.delivery_counts(world, activity),
        **extra,
        # When the write was applied, as the device's `updated_at` says: reading the clock again could cross
        # a millisecond and make a concurrent later write look older.
        "timestamp": iso(activity.updated_at),
    }


def _start(
    world: World,
    key: ApiKey,
    stream_key: str,
    stream: Stream | None,
    incoming: dict[str, Any],
    recipients: Recipients,
    extras: dict[str, Any],
    base: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """No live activity for this key: start one (first PUT, after DELETE/end, or after a pause)."""
    previous = stream.content_state if stream and stream.status == "paused" else {}
    if stream is not None and "type" not in incoming:
        incoming = {"type": stream.content_state.get("type"), **incoming}
    state = {**previous, **incoming}
    check_content_state("start", state, state.get("type"))
    room = [device for device in recipients.connected if capacity.has_room(world, device)]
    if recipients.connected and not room:
        world.streams[(key.account, stream_key)] = Stream(stream_key, key.account, None, state, "paused")
        return {**base, "operation": "paused", "activity_id": None, **extra, "timestamp": world.stamp()}
    targets = room + [device for device in recipients.devices if not device.connected]
    activity = lifecycle.launch(world, key, state, targets, stream_key=stream_key, extras=extras)
    world.streams[(key.account, stream_key)] = Stream(
        stream_key, key.account, activity.id, dict(activity.content_state), "active"
    )
    return {
        **base,
        "operation": "started",
        "activity_id": activity.id,
        **lifecycle.delivery_counts(world, activity),
        "users_notified": count_users(room),
        **extra,
        "timestamp": iso(activity.updated_at),
    }


def _rotate(
    world: World,
    key: ApiKey,
    stream: Stream,
    old: Activity,
    incoming: dict[str, Any],
    recipients: Recipients,
    extras: dict[str, Any],
    base: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Past the iOS age limit: end the old activity now and continue the stream on a new one."""
    lifecycle.check_phase("update", old, incoming)
    lifecycle.end(world, old, {"auto_dismiss_seconds": 0})
    state = {**old.content_state, **incoming}
    carried = {name: getattr(old, name) for name in lifecycle.EXTRA_FIELDS}
    carried.update({name: value for name, value in extras.items() if value is not None})
    targets = [d for d in recipients.devices if not d.connected or capacity.has_room(world, d)]
    activity = lifecycle.launch(world, key, state, targets, stream_key=old.stream_key, extras=carried)
    stream.activity_id = activity.id
    stream.content_state = dict(activity.content_state)
    stream.status = "active"
    lifecycle.sweep(world)
    return {
        **base,
        "operation": "rotated",
        "activity_id": activity.id,
        "previous_activity_id": old.id,
        **lifecycle.delivery_counts(world, activity),
        **extra,
        "timestamp": world.stamp(),
    }


def delete(
    world: World,
    key: ApiKey,
    stream_key: str,
    request: StreamDeleteRequest | None,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """404 for a key never used; a stream without a live activity (paused, ended) just ends again."""
    lifecycle.sweep(world)
    stream = world.streams.get((key.account, stream_key))
    if stream is None:
        raise not_found(
            "Live Activity stream not found",
            f"No Live Activity stream found in this account for stream_key: {stream_key}. "
            "The stream may have already ended or been deleted.",
        )
    base = {"success": True, "operation": "ended", "stream_key": stream_key}
    activity = world.activities.get(stream.activity_id) if stream.activity_id else None
    if activity is None or activity.status != "active":
        already = stream.status == "ended"
        stream.status = "ended"
        stream.activity_id = None
        response = {**base, "activity_id": None, "timestamp": world.stamp()}
        if already:  # a paused stream had something to end (its pending state); an ended one had nothing
            response |= {"ignored": True, "message": "The stream had already ended; nothing was sent."}
        return response
    incoming: dict[str, Any] = {}
    if request is not None and request.content_state is not None:
        incoming = request.content_state.model_dump(exclude_none=True)
        lifecycle.check_phase("end", activity, incoming)
    extras = lifecycle.extras_of(request, tags, metadata) if request is not None else {}
    lifecycle.apply(world, activity, incoming, extras)
    lifecycle.end(world, activity, incoming)
    stream.status = "ended"
    lifecycle.sweep(world)
    return {
        **base,
        "activity_id": activity.id,
        **lifecycle.delivery_counts(world, activity),
        "timestamp": world.stamp(),
    }
