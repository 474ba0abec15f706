"""Which devices a request reaches: the key's channel scope, the requested channels, then their devices."""

from __future__ import annotations

from activitysmith_mock.domain.entities import ApiKey, Device, Recipients
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import SCOPE_VIOLATION_MESSAGE, ApiError, forbidden


def resolve(
    world: World, key: ApiKey, requested: list[str] | None, *, live_activity: bool = False
) -> Recipients:
    """A scoped key may only narrow its scope (403 otherwise); no matching device is the configured 422/404.

    Untargeted, an all-recipients key reaches the whole account and a scoped key its own channels.
    """
    if key.channels is not None and requested is not None and not set(requested) <= set(key.channels):
        raise forbidden(SCOPE_VIOLATION_MESSAGE, error="Invalid channel targeting")
    effective = requested if requested is not None else key.channels
    in_account = [d for d in world.devices.values() if d.account == key.account]
    devices = in_account if effective is None else [d for d in in_account if set(d.channels) & set(effective)]
    if not devices:
        what = "Live Activity devices" if live_activity else "devices"
        raise ApiError(
            world.settings.no_recipients_status,
            {
                "error": "No recipients found",
                "message": f"No {what} matched the effective channel target",
                "effective_channel_slugs": list(effective) if effective is not None else None,
            },
        )
    return Recipients(devices, list(effective) if effective is not None else None)


def count_users(devices: list[Device]) -> int:
    """The `users_notified` figure: distinct members among the devices."""
    return len({(device.account, device.member) for device in devices})
