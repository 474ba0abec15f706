"""Push notifications: who gets one, what each device records, the badge a push may set, and replacing one.

A send answers a `notification_id`; `replace` puts new content in that notification's place on the devices
that received it: silently, in place (the device's list keeps its order), with tags and metadata kept unless
the replacement sends them (`[]`/`{}` clear them).
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain.accounts import check_billing
from activitysmith_mock.domain.entities import ApiKey, Device, Notification, new_notification_id
from activitysmith_mock.domain.targeting import count_users, resolve
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import SCOPE_VIOLATION_MESSAGE, ApiError, forbidden, not_found
from activitysmith_mock.schemas import PushContent, PushNotificationRequest, PushReplaceRequest


def send(
    world: World,
    key: ApiKey,
    request: PushNotificationRequest,
    channels: list[str] | None,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """Only connected devices get the push; none connected answers `success: false` (not an error)."""
    check_billing(world, key)
    recipients = resolve(world, key, channels)
    delivered = recipients.connected
    notification = Notification(
        id=new_notification_id(),
        account=key.account,
        api_key=key.key,
        device_ids=[device.id for device in delivered],
        effective_channel_slugs=recipients.effective_channel_slugs,
        sent_at=world.now(),
        tags=tags,
        metadata=metadata,
    )
    world.notifications[notification.id] = notification
    record = record_of(request, tags, received_at=world.stamp())
    record |= {
        "notification_id": notification.id,
        "interruption_level": request.interruption_level,
        "silent": request.interruption_level == "passive",
    }
    for device in delivered:
        device.pushes.append(dict(record))
        _set_badge(device, request)
    response: dict[str, Any] = {
        "success": bool(delivered),
        "notification_id": notification.id,
        "devices_notified": len(delivered),
        "users_notified": count_users(delivered),
        "effective_channel_slugs": recipients.effective_channel_slugs,
        "timestamp": world.stamp(),
        "devices_targeted": len(recipients.devices),
        # The service has no APNs: no token is ever reported unregistered, so none is deactivated.
        "devices_deactivated": 0,
        "devices_unregistered": 0,
    }
    if tags is not None:
        response["tags"] = tags
    return response


def replace(
    world: World,
    key: ApiKey,
    notification_id: str,
    request: PushReplaceRequest,
    tags: list[str] | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """Replace a sent push on the devices that have it; 404 unknown, 409 past the replace window."""
    notification = world.notifications.get(notification_id)
    if notification is None or notification.account != key.account:
        raise not_found(
            "Push Notification not found",
            f"notification_id: no Push Notification {notification_id} in this account",
        )
    _check_scope(key, notification)
    check_billing(world, key)
    window = world.settings.push_replace_window_seconds
    if window is not None and world.now() - notification.sent_at > window:
        raise ApiError(
            409,
            {
                "error": "Push Notification can no longer be replaced",
                "message": f"notification_id: {notification_id} was sent more than {window:g} seconds ago; "
                "send a new Push Notification instead",
            },
        )
    devices = [world.devices[device_id] for device_id in notification.device_ids]
    if not devices:
        raise ApiError(
            world.settings.no_recipients_status,
            {
                "error": "No recipients found",
                "message": "The Push Notification reached no devices, so there is nothing to replace",
                "effective_channel_slugs": notification.effective_channel_slugs,
            },
        )
    if tags is not None:
        notification.tags = tags
    if metadata is not None:
        notification.metadata = metadata
    notification.replaced_at = world.now()
    notification.replacements += 1
    reached = [device for device in devices if device.connected]
    for device in reached:
        _replace_on(device, notification, request, world.stamp())
        _set_badge(device, request)
    response: dict[str, Any] = {
        "success": bool(reached),
        "notification_id": notification.id,
        "devices_notified": len(reached),
        "users_notified": count_users(reached),
        "effective_channel_slugs": notification.effective_channel_slugs,
        "timestamp": world.stamp(),
    }
    if notification.tags is not None:
        response["tags"] = notification.tags
    return response


def _check_scope(key: ApiKey, notification: Notification) -> None:
    """A channel-scoped key may replace only what it could have sent: channels within its scope."""
    if key.channels is None:
        return
    sent_to = notification.effective_channel_slugs
    if sent_to is None or not set(sent_to) <= set(key.channels):
        raise forbidden(SCOPE_VIOLATION_MESSAGE, error="Invalid channel targeting")


def _replace_on(device: Device, notification: Notification, request: PushReplaceRequest, at: str) -> None:
    """The device's record of the push, replaced where it stands (its position, id and arrival time kept)."""
    for index, old in enumerate(device.pushes):
        if old.get("notification_id") == notification.id:
            record = record_of(request, notification.tags, received_at=old["received_at"])
            record |= {
                "notification_id": notification.id,
                "interruption_level": old.get("interruption_level"),
                "replaced": True,
                "replaced_at": at,
                "replacements": notification.replacements,
                "silent": True,
            }
            device.pushes[index] = record
            return


def _set_badge(device: Device, request: PushContent) -> None:
    if request.badge is not None:
        device.badge = request.badge


def record_of(request: PushContent, tags: list[str] | None, *, received_at: str) -> dict[str, Any]:
    """What a device keeps of a push (`GET /_mock/devices` shows it; a tap reads its actions)."""
    return {
        "notification_id": None,
        "title": request.title,
        "message": request.message,
        "subtitle": request.subtitle,
        "redirection": request.redirection,
        "media": request.media,
        "icon": request.icon,
        "actions": [action.model_dump(exclude_none=True) for action in request.actions or []],
        "interruption_level": None,
        "tags": tags,
        "received_at": received_at,
        "replaced": False,
        "replaced_at": None,
        "replacements": 0,
        "silent": False,
    }
