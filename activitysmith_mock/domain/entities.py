"""What the service keeps: devices, API keys, accounts, Live Activities, streams, and a request's recipients.

Plain dataclasses with no behaviour beyond a property or two; the domain modules change them in place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

StreamId = tuple[str, str]
"""A stream's identity: (account name, stream_key). Two accounts may use the same stream_key."""


@dataclass
class Device:
    id: str
    name: str
    member: str
    account: str
    channels: list[str]
    capacity: int  # concurrent Live Activities the device shows
    connected: bool
    badge: int | None = None
    pushes: list[dict[str, Any]] = field(default_factory=list)  # the records push.record_of builds


@dataclass
class ApiKey:
    key: str
    account: str
    channels: list[str] | None  # None: all recipients


@dataclass
class Account:
    name: str
    billing: str
    trial_period: dict[str, str] | None
    channels: list[str]
    metrics: dict[str, dict[str, Any] | None]  # metric key -> {"value", "timestamp"}, None until set


@dataclass
class Activity:
    id: str
    account: str
    api_key: str
    stream_key: str | None
    content_state: dict[str, Any]
    device_ids: list[str]
    started_at: float
    updated_at: float
    action: dict[str, Any] | None = None
    secondary_action: dict[str, Any] | None = None
    alert: dict[str, Any] | None = None
    tags: list[str] | None = None
    metadata: dict[str, Any] | None = None
    timer_started_at: float | None = None
    timer_paused_at: float | None = None  # set while `is_running` is false: the timer shows a frozen value
    status: Literal["active", "ended"] = "active"
    ended_at: float | None = None
    dismiss_at: float | None = None
    dismissed: bool = False  # gone from the devices, still known (a retried end answers 200, not 404)


@dataclass
class Notification:
    """A sent push, kept so `PUT /push-notification/{id}` can replace it in place on the same devices."""

    id: str
    account: str
    api_key: str
    device_ids: list[str]  # the devices that received it (a replacement goes to these, and only these)
    effective_channel_slugs: list[str] | None
    sent_at: float
    tags: list[str] | None
    metadata: dict[str, Any] | None
    replaced_at: float | None = None
    replacements: int = 0


@dataclass
class Stream:
    key: str
    account: str
    activity_id: str | None
    content_state: dict[str, Any]
    status: Literal["active", "paused", "ended"]


@dataclass
class Recipients:
    """Who a request reaches: the devices, and the channel slugs reported back (None when untargeted)."""

    devices: list[Device]
    effective_channel_slugs: list[str] | None

    @property
    def connected(self) -> list[Device]:
        return [device for device in self.devices if device.connected]


def new_activity_id() -> str:
    """32 URL-safe characters, the documented shape of an activity_id."""
    return secrets.token_urlsafe(24)


def new_notification_id() -> str:
    """32 URL-safe characters, like an activity_id (the API documents no shape for a notification_id)."""
    return secrets.token_urlsafe(24)
