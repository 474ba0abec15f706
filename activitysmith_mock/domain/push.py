"""Push notifications: who gets one, what each device records, and the badge a push may set."""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain.accounts import check_billing
from activitysmith_mock.domain.entities import ApiKey
from activitysmith_mock.domain.targeting import count_users, resolve
from activitysmith_mock.domain.world import World
from activitysmith_mock.schemas import PushNotificationRequest


def send(
    world: World,
    key: ApiKey,
    request: PushNotificationRequest,
    channels: list[str] | None,
    tags: list[str] | None,
) -> dict[str, Any]:
    """Only connected devices get the push; none connected answers `success: false` (not an error)."""
    check_billing(world, key)
    recipients = resolve(world, key, channels)
    delivered = recipients.connected
    record = record_of(request, tags, received_at=world.stamp())
    for device in delivered:
        device.pushes.append(dict(record))
        if request.badge is not None:
            device.badge = request.badge
    response: dict[str, Any] = {
        "success": bool(delivered),
        "devices_notified": len(delivered),
        "users_notified": count_users(delivered),
        "effective_channel_slugs": recipients.effective_channel_slugs,
        "timestamp": world.stamp(),
    }
    if tags is not None:
        response["tags"] = tags
    return response


def record_of(
    request: PushNotificationRequest, tags: list[str] | None, *, received_at: str
) -> dict[str, Any]:
    """What a device keeps of a push (`GET /_mock/devices` shows it; a tap reads its actions)."""
    return {
        "title": request.title,
        "message": request.message,
        "subtitle": request.subtitle,
        "redirection": request.redirection,
        "media": request.media,
        "icon": request.icon,
        "actions": [action.model_dump(exclude_none=True) for action in request.actions or []],
        "interruption_level": request.interruption_level,
        "tags": tags,
        "received_at": received_at,
    }
