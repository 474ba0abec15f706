"""The App Icon Badge Count: POST /api/badge sets it on every targeted device, or fails naming the count."""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain.accounts import check_billing
from activitysmith_mock.domain.entities import ApiKey
from activitysmith_mock.domain.targeting import count_users, resolve
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import ApiError


def set_badge(world: World, key: ApiKey, badge: int, channels: list[str] | None) -> dict[str, Any]:
    """Connected devices get the count; any disconnected target makes the whole call a 422 with the counts."""
    check_billing(world, key)
    recipients = resolve(world, key, channels)
    updated = recipients.connected
    for device in updated:
        device.badge = badge
    counts = {
        "badge": badge,
        "devices_updated": len(updated),
        "users_updated": count_users(updated),
        # Always a list here (the badge answer's schema requires one): untargeted, no channel narrowed it.
        "effective_channel_slugs": recipients.effective_channel_slugs or [],
    }
    if len(updated) != len(recipients.devices):
        raise ApiError(
            422,
            {
                "error": "App Icon Badge Count could not be updated",
                "code": "badge_device_disconnected",
                "message": "A targeted device needs to reconnect before its App Icon Badge Count "
                "can be updated.",
                **counts,
                "devices_targeted": len(recipients.devices),
            },
        )
    return {
        "success": True,
        **counts,
        "timestamp": world.stamp(),
        "devices_targeted": len(recipients.devices),
        # No APNs here: no token is ever reported unregistered, so none is deactivated.
        "devices_deactivated": 0,
        "devices_unregistered": 0,
    }
