"""How many Live Activities a device shows at once: the count, who is full, and the documented 429."""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain.entities import Activity, Device
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import ApiError


def active_on(world: World, device: Device) -> list[Activity]:
    """The device's active Live Activities, oldest first."""
    active = [a for a in world.activities.values() if a.status == "active" and device.id in a.device_ids]
    return sorted(active, key=lambda activity: activity.started_at)


def active_count(world: World, device: Device) -> int:
    return len(active_on(world, device))


def has_room(world: World, device: Device) -> bool:
    return active_count(world, device) < device.capacity


def full(world: World, devices: list[Device]) -> list[Device]:
    """The devices already showing as many Live Activities as they can."""
    return [device for device in devices if not has_room(world, device)]


def limit_error(world: World, targeted: list[Device], blocked: list[Device]) -> ApiError:
    """The 429 a legacy start gets when a device is full; partial blocks also count the devices."""
    limit = max(device.capacity for device in blocked)
    body: dict[str, Any] = {
        "error": "Live Activity limit reached",
        "message": f"iOS supports up to {limit} concurrent Live Activities per app on a device. "
        "End an active Live Activity before starting another.",
        "limit": limit,
        "active": max(active_count(world, device) for device in targeted),
    }
    if len(blocked) != len(targeted):
        body["blocked_devices"] = len(blocked)
        body["targeted_devices"] = len(targeted)
    return ApiError(429, body)
