"""The steps every Live Activity goes through, whichever lifecycle drives it (legacy or stream).

`launch`, `apply` and `end` are the only places that change what an activity shows, so anything that must
follow each change (a per-activity history, say) belongs next to them. `sweep` removes ended activities
from the devices once their auto-dismiss time has come on the service clock.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.content_rules import Phase, check_content_state
from activitysmith_mock.domain.entities import Activity, ApiKey, Device, new_activity_id
from activitysmith_mock.domain.world import World
from activitysmith_mock.schemas import Action, AlertPayload

DISMISS_ONLY_FIELDS = ("auto_dismiss_minutes", "auto_dismiss_seconds")
EXTRA_FIELDS = ("action", "secondary_action", "alert", "tags", "metadata")


def extras_of(request: Any, tags: list[str] | None, metadata: dict[str, Any] | None) -> dict[str, Any]:
    """The non-content parts a Live Activity keeps: buttons, alert, tags, metadata (None = keep as is)."""
    action: Action | None = getattr(request, "action", None)
    secondary: Action | None = getattr(request, "secondary_action", None)
    alert: AlertPayload | None = getattr(request, "alert", None)
    return {
        "action": _dump(action),
        "secondary_action": _dump(secondary),
        "alert": _dump(alert),
        "tags": tags,
        "metadata": metadata,
    }


def launch(
    world: World,
    key: ApiKey,
    state: dict[str, Any],
    devices: list[Device],
    *,
    stream_key: str | None,
    extras: dict[str, Any],
) -> Activity:
    """A new active Live Activity on `devices`; a timer starts now (frozen when `is_running` is false)."""
    now = world.now()
    timer = state.get("type") == "timer"
    activity = Activity(
        id=new_activity_id(),
        account=key.account,
        api_key=key.key,
        stream_key=stream_key,
        content_state=_strip_dismiss(state),
        device_ids=[device.id for device in devices],
        started_at=now,
        updated_at=now,
        timer_started_at=now if timer else None,
        timer_paused_at=now if timer and state.get("is_running") is False else None,
        **extras,
    )
    world.activities[activity.id] = activity
    return activity


def apply(world: World, activity: Activity, incoming: dict[str, Any], extras: dict[str, Any]) -> bool:
    """Merge an update into the activity; True when anything the device shows changed."""
    merged = {**activity.content_state, **_strip_dismiss(incoming)}
    changed = merged != activity.content_state
    if merged.get("type") == "timer":
        changed = _move_timer(world, activity, incoming, merged) or changed
    for name, value in extras.items():
        if value is not None and getattr(activity, name) != value:
            setattr(activity, name, value)
            changed = True
    activity.content_state = merged
    if changed:
        activity.updated_at = world.now()
    return changed


def _move_timer(world: World, activity: Activity, incoming: dict[str, Any], merged: dict[str, Any]) -> bool:
    """`duration_seconds` restarts the window; `is_running` false freezes it, true resumes it."""
    now = world.now()
    restarted = "duration_seconds" in incoming or activity.timer_started_at is None
    if restarted:
        activity.timer_started_at = now
        activity.timer_paused_at = None
    running = merged.get("is_running") is not False
    if not running and activity.timer_paused_at is None:
        activity.timer_paused_at = now
    elif running and activity.timer_paused_at is not None:
        activity.timer_started_at = (activity.timer_started_at or now) + (now - activity.timer_paused_at)
        activity.timer_paused_at = None
    return restarted


def end(world: World, activity: Activity, incoming: dict[str, Any] | None) -> None:
    """Mark it ended and set its dismissal: seconds win over minutes, else the configured default."""
    incoming = incoming or {}
    now = world.now()
    activity.status = "ended"
    activity.ended_at = now
    activity.updated_at = now
    if incoming.get("auto_dismiss_seconds") is not None:
        delay = float(incoming["auto_dismiss_seconds"])
    elif incoming.get("auto_dismiss_minutes") is not None:
        delay = float(incoming["auto_dismiss_minutes"]) * 60
    else:
        delay = world.settings.auto_dismiss_minutes * 60.0
    activity.dismiss_at = now + delay


def sweep(world: World) -> None:
    """Dismiss ended activities whose auto-dismiss time has come (on the service clock)."""
    now = world.now()
    for activity in world.activities.values():
        if activity.dismiss_at is not None and activity.dismiss_at <= now:
            activity.dismissed = True


def check_phase(phase: Phase, activity: Activity, incoming: dict[str, Any]) -> None:
    """An update or end follows the rules of the activity's type unless it changes the type."""
    kind = incoming.get("type") or activity.content_state.get("type")
    check_content_state(phase, incoming, kind)


def delivery_counts(world: World, activity: Activity) -> dict[str, int]:
    """Connected devices are notified now; the others get it queued for when they reconnect."""
    devices = [world.devices[device_id] for device_id in activity.device_ids]
    connected = [device for device in devices if device.connected]
    return {"devices_notified": len(connected), "devices_queued": len(devices) - len(connected)}


def _strip_dismiss(state: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in state.items() if name not in DISMISS_ONLY_FIELDS}


def _dump(model: Any) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(exclude_none=True)
