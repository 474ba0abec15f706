"""What the operator API shows: every device with its pushes and visible Live Activities, and the metrics.

Views are copies in the documented shapes (docs/local-service.md, "Operator API"), never the stored
objects themselves.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.clock import iso
from activitysmith_mock.domain import lifecycle
from activitysmith_mock.domain.entities import Activity, Device
from activitysmith_mock.domain.world import World


def device_views(world: World) -> list[dict[str, Any]]:
    lifecycle.sweep(world)
    return [device_view(world, device) for device in world.devices.values()]


def device_view(world: World, device: Device) -> dict[str, Any]:
    """Dismissed activities are gone from the device."""
    activities = [a for a in world.activities.values() if device.id in a.device_ids and not a.dismissed]
    return {
        "id": device.id,
        "name": device.name,
        "member": device.member,
        "account": device.account,
        "channels": list(device.channels),
        "connected": device.connected,
        "capacity": device.capacity,
        "badge": device.badge,
        "pushes": [dict(push) for push in device.pushes],
        "live_activities": [activity_view(world, a) for a in activities],
    }


def activity_view(world: World, activity: Activity) -> dict[str, Any]:
    """A timer also shows when it started and the seconds elapsed (frozen while paused or once ended)."""
    view: dict[str, Any] = {
        "activity_id": activity.id,
        "stream_key": activity.stream_key,
        "status": activity.status,
        "content_state": dict(activity.content_state),
        "action": activity.action,
        "secondary_action": activity.secondary_action,
        "alert": activity.alert,
        "started_at": iso(activity.started_at),
        "updated_at": iso(activity.updated_at),
        "ended_at": iso(activity.ended_at) if activity.ended_at is not None else None,
        "dismiss_at": iso(activity.dismiss_at) if activity.dismiss_at is not None else None,
    }
    if activity.timer_started_at is not None:
        view["timer_started_at"] = iso(activity.timer_started_at)
        view["timer_elapsed_seconds"] = round(
            (activity.timer_paused_at or activity.ended_at or world.now()) - activity.timer_started_at, 3
        )
    return view


def metric_views(world: World) -> dict[str, dict[str, Any]]:
    """Per account, the metrics that have a value."""
    return {
        name: {key: value for key, value in account.metrics.items() if value is not None}
        for name, account in world.accounts.items()
    }
