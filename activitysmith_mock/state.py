"""The domain: accounts, API keys, channels, members, devices, Live Activities, streams, metrics, badges.

No FastAPI here: every operation takes already-parsed request models and returns the documented response
dict or raises `ApiError`, so it is unit-testable without HTTP. One lock guards the whole state and each
stream key has its own lock, so concurrent PUTs on one stream can never start two activities.
"""

from __future__ import annotations

import math
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from activitysmith_mock.clock import Clock, iso
from activitysmith_mock.config import METRIC_KEY_PATTERN, ServiceConfig
from activitysmith_mock.content_rules import Phase, check_content_state
from activitysmith_mock.errors import (
    SCOPE_VIOLATION_MESSAGE,
    ApiError,
    bad_request,
    forbidden,
    invalid_request,
    not_found,
    unauthorized,
)
from activitysmith_mock.schemas import (
    Action,
    AlertPayload,
    LiveActivityEndRequest,
    LiveActivityStartRequest,
    LiveActivityUpdateRequest,
    MetricValueRequest,
    PushNotificationRequest,
    StreamDeleteRequest,
    StreamPutRequest,
)

UPGRADE_URL = "https://activitysmith.com/app/account?billing=upgrade"
BILLING_MESSAGES = {
    "trial_expired": "Your free trial has ended. Start a subscription or lifetime membership to resume using "
    "ActivitySmith.",
    "trial_exhausted": "Your free trial allowance is used up. Start a subscription or lifetime membership to "
    "resume using ActivitySmith.",
    "billing_overage_cap_reached": "Your account reached its billing overage cap. Raise the cap or upgrade "
    "your plan to resume using ActivitySmith.",
}
DISMISS_ONLY_FIELDS = ("auto_dismiss_minutes", "auto_dismiss_seconds")


@dataclass
class Device:
    id: str
    name: str
    member: str
    account: str
    channels: list[str]
    capacity: int
    connected: bool
    badge: int | None = None
    pushes: list[dict[str, Any]] = field(default_factory=list)


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
    metrics: dict[str, dict[str, Any] | None]


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


def _dump(model: Any) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(exclude_none=True)


class ServiceState:
    """Everything the service knows; rebuilt from the config on every reset."""

    def __init__(self, config: ServiceConfig, clock: Clock) -> None:
        self.config = config
        self.settings = config.settings
        self.clock = clock
        self.lock = threading.RLock()
        self._stream_locks: dict[tuple[str, str], threading.Lock] = {}
        self.accounts: dict[str, Account] = {}
        self.keys: dict[str, ApiKey] = {}
        self.devices: dict[str, Device] = {}
        self.activities: dict[str, Activity] = {}
        self.streams: dict[tuple[str, str], Stream] = {}
        self.tap_log: list[dict[str, Any]] = []
        for account in config.accounts:
            self.accounts[account.name] = Account(
                name=account.name,
                billing=account.billing,
                trial_period=account.trial_period.model_dump() if account.trial_period else None,
                channels=list(account.channels),
                metrics=dict.fromkeys(account.metrics),
            )
            for key in account.api_keys:
                self.keys[key.key] = ApiKey(
                    key.key, account.name, list(key.channels) if key.channels else None
                )
            for member in account.members:
                for device in member.devices:
                    self.devices[device.id] = Device(
                        id=device.id,
                        name=device.name or device.id,
                        member=member.name,
                        account=account.name,
                        channels=list(member.channels),
                        capacity=config.capacity_of(device),
                        connected=device.connected,
                    )

    # --- helpers ------------------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock.now()

    def stamp(self) -> str:
        return iso(self.now())

    def authenticate(self, authorization: str | None) -> ApiKey:
        """`Authorization: Bearer <key>` → the key; anything else is the documented 401."""
        if not authorization:
            raise unauthorized()
        scheme, _, token = authorization.partition(" ")
        key = self.keys.get(token.strip()) if scheme.lower() == "bearer" else None
        if key is None:
            raise unauthorized()
        return key

    def stream_lock(self, account: str, stream_key: str) -> threading.Lock:
        with self.lock:
            return self._stream_locks.setdefault((account, stream_key), threading.Lock())

    def check_billing(self, key: ApiKey) -> None:
        account = self.accounts[key.account]
        if account.billing == "active":
            return
        body: dict[str, Any] = {
            "error": account.billing,
            "message": BILLING_MESSAGES[account.billing],
            "upgrade_url": UPGRADE_URL,
        }
        if account.trial_period:
            body["trial_period"] = dict(account.trial_period)
        raise ApiError(402, body)

    def resolve(self, key: ApiKey, requested: list[str] | None, *, live_activity: bool = False) -> Recipients:
        """Targeting per reference §8: key scope, requested channels, then the devices they reach."""
        if key.channels is not None and requested is not None and not set(requested) <= set(key.channels):
            raise forbidden(SCOPE_VIOLATION_MESSAGE, error="Invalid channel targeting")
        effective = requested if requested is not None else key.channels
        in_account = [d for d in self.devices.values() if d.account == key.account]
        devices = (
            in_account if effective is None else [d for d in in_account if set(d.channels) & set(effective)]
        )
        if not devices:
            what = "Live Activity devices" if live_activity else "devices"
            raise ApiError(
                self.settings.no_recipients_status,
                {
                    "error": "No recipients found",
                    "message": f"No {what} matched the effective channel target",
                    "effective_channel_slugs": list(effective) if effective is not None else None,
                },
            )
        return Recipients(devices, list(effective) if effective is not None else None)

    def sweep(self) -> None:
        """Dismiss ended activities whose auto-dismiss time has come (on the service clock)."""
        now = self.now()
        with self.lock:
            for activity in self.activities.values():
                if activity.dismiss_at is not None and activity.dismiss_at <= now:
                    activity.dismissed = True

    def active_count(self, device: Device) -> int:
        return sum(1 for a in self.activities.values() if a.status == "active" and device.id in a.device_ids)

    @staticmethod
    def _users(devices: list[Device]) -> int:
        return len({(device.account, device.member) for device in devices})

    # --- push notifications --------------------------------------------------------------------------------
    def send_push(
        self,
        key: ApiKey,
        request: PushNotificationRequest,
        channels: list[str] | None,
        tags: list[str] | None,
    ) -> dict[str, Any]:
        with self.lock:
            self.check_billing(key)
            recipients = self.resolve(key, channels)
            delivered = recipients.connected
            record = {
                "title": request.title,
                "message": request.message,
                "subtitle": request.subtitle,
                "redirection": request.redirection,
                "media": request.media,
                "icon": request.icon,
                "actions": [action.model_dump(exclude_none=True) for action in request.actions or []],
                "interruption_level": request.interruption_level,
                "tags": tags,
                "received_at": self.stamp(),
            }
            for device in delivered:
                device.pushes.append(dict(record))
                if request.badge is not None:
                    device.badge = request.badge
            response: dict[str, Any] = {
                "success": bool(delivered),
                "devices_notified": len(delivered),
                "users_notified": self._users(delivered),
                "effective_channel_slugs": recipients.effective_channel_slugs,
                "timestamp": self.stamp(),
            }
            if tags is not None:
                response["tags"] = tags
            return response

    # --- Live Activities: shared steps ---------------------------------------------------------------------
    def _launch(
        self,
        key: ApiKey,
        state: dict[str, Any],
        devices: list[Device],
        *,
        stream_key: str | None,
        buttons: dict[str, Any],
    ) -> Activity:
        now = self.now()
        activity = Activity(
            id=new_activity_id(),
            account=key.account,
            api_key=key.key,
            stream_key=stream_key,
            content_state=_strip_dismiss(state),
            device_ids=[device.id for device in devices],
            started_at=now,
            updated_at=now,
            timer_started_at=now if state.get("type") == "timer" else None,
            timer_paused_at=now
            if state.get("type") == "timer" and state.get("is_running") is False
            else None,
            **buttons,
        )
        self.activities[activity.id] = activity
        return activity

    def _blocked(self, devices: list[Device]) -> list[Device]:
        return [device for device in devices if self.active_count(device) >= device.capacity]

    def _limit_error(self, targeted: list[Device], blocked: list[Device]) -> ApiError:
        limit = max(device.capacity for device in blocked)
        body: dict[str, Any] = {
            "error": "Live Activity limit reached",
            "message": f"iOS supports up to {limit} concurrent Live Activities per app on a device. "
            "End an active Live Activity before starting another.",
            "limit": limit,
            "active": max(self.active_count(device) for device in targeted),
        }
        if len(blocked) != len(targeted):
            body["blocked_devices"] = len(blocked)
            body["targeted_devices"] = len(targeted)
        return ApiError(429, body)

    def _apply(self, activity: Activity, incoming: dict[str, Any], buttons: dict[str, Any]) -> bool:
        """Merge an update into the activity; True when anything the device shows changed."""
        merged = {**activity.content_state, **_strip_dismiss(incoming)}
        changed = merged != activity.content_state
        if merged.get("type") == "timer":
            changed = self._move_timer(activity, incoming, merged) or changed
        for name, value in buttons.items():
            if value is not None and getattr(activity, name) != value:
                setattr(activity, name, value)
                changed = True
        activity.content_state = merged
        if changed:
            activity.updated_at = self.now()
        return changed

    def _move_timer(self, activity: Activity, incoming: dict[str, Any], merged: dict[str, Any]) -> bool:
        """`duration_seconds` restarts the window; `is_running` false freezes it, true resumes it."""
        now = self.now()
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

    def _end(self, activity: Activity, incoming: dict[str, Any] | None) -> None:
        incoming = incoming or {}
        now = self.now()
        activity.status = "ended"
        activity.ended_at = now
        activity.updated_at = now
        if incoming.get("auto_dismiss_seconds") is not None:
            delay = float(incoming["auto_dismiss_seconds"])
        elif incoming.get("auto_dismiss_minutes") is not None:
            delay = float(incoming["auto_dismiss_minutes"]) * 60
        else:
            delay = self.settings.auto_dismiss_minutes * 60.0
        activity.dismiss_at = now + delay

    def _delivery_counts(self, activity: Activity) -> dict[str, int]:
        devices = [self.devices[device_id] for device_id in activity.device_ids]
        connected = [device for device in devices if device.connected]
        return {"devices_notified": len(connected), "devices_queued": len(devices) - len(connected)}

    def _owned(self, key: ApiKey, activity_id: str, verb: str) -> Activity:
        activity = self.activities.get(activity_id)
        if activity is None or activity.account != key.account:
            raise not_found(
                "Live Activity not found", f"activity_id: no Live Activity {activity_id} in this account"
            )
        if activity.api_key != key.key:
            raise forbidden(f"This API key cannot {verb} this Live Activity")
        return activity

    # --- Live Activities: legacy manual lifecycle ----------------------------------------------------------
    def start_activity(
        self,
        key: ApiKey,
        request: LiveActivityStartRequest,
        channels: list[str] | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            self.sweep()
            self.check_billing(key)
            state = request.content_state.model_dump(exclude_none=True)
            check_content_state("start", state, state["type"])
            recipients = self.resolve(key, channels, live_activity=True)
            blocked = self._blocked(recipients.connected)
            if blocked:
                raise self._limit_error(recipients.connected, blocked)
            activity = self._launch(
                key, state, recipients.devices, stream_key=None, buttons=_buttons(request, tags, metadata)
            )
            counts = self._delivery_counts(activity)
            response: dict[str, Any] = {
                "success": True,
                "activity_id": activity.id,
                "devices_notified": counts["devices_notified"],
                "users_notified": self._users(recipients.connected),
                "effective_channel_slugs": recipients.effective_channel_slugs,
                "timestamp": self.stamp(),
            }
            if tags is not None:
                response["tags"] = tags
            return response

    def update_activity(
        self,
        key: ApiKey,
        request: LiveActivityUpdateRequest,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            self.sweep()
            activity = self._owned(key, request.activity_id, "update")
            if activity.status == "ended":
                raise bad_request(
                    "Live Activity ended",
                    f"activity_id: the Live Activity {activity.id} has already ended",
                    "live_activity_ended",
                )
            incoming = request.content_state.model_dump(exclude_none=True)
            self._check_phase("update", activity, incoming)
            self._apply(activity, incoming, _buttons(request, tags, metadata))
            return {
                "success": True,
                "activity_id": activity.id,
                **self._delivery_counts(activity),
                "timestamp": self.stamp(),
            }

    def end_activity(
        self,
        key: ApiKey,
        request: LiveActivityEndRequest,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Ending twice answers 200 again (nothing notified): a retry after a lost answer is safe."""
        with self.lock:
            self.sweep()
            activity = self._owned(key, request.activity_id, "end")
            if activity.status == "ended":
                return {
                    "success": True,
                    "activity_id": activity.id,
                    "devices_notified": 0,
                    "devices_queued": 0,
                    "timestamp": self.stamp(),
                }
            incoming = request.content_state.model_dump(exclude_none=True)
            self._check_phase("end", activity, incoming)
            self._apply(activity, incoming, _buttons(request, tags, metadata))
            self._end(activity, incoming)
            self._end_stream_of(activity)
            return {
                "success": True,
                "activity_id": activity.id,
                **self._delivery_counts(activity),
                "timestamp": self.stamp(),
            }

    def _check_phase(self, phase: Phase, activity: Activity, incoming: dict[str, Any]) -> None:
        kind = incoming.get("type") or activity.content_state.get("type")
        check_content_state(phase, incoming, kind, known_steps=activity.content_state.get("number_of_steps"))

    def _end_stream_of(self, activity: Activity) -> None:
        if activity.stream_key is None:
            return
        stream = self.streams.get((activity.account, activity.stream_key))
        if stream is not None and stream.activity_id == activity.id:
            stream.status = "ended"

    # --- Live Activities: managed streams ------------------------------------------------------------------
    def stream_put(
        self,
        key: ApiKey,
        stream_key: str,
        request: StreamPutRequest,
        channels: list[str] | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.stream_lock(key.account, stream_key), self.lock:
            self.sweep()
            self.check_billing(key)
            incoming = request.content_state.model_dump(exclude_none=True)
            recipients = self.resolve(key, channels, live_activity=True)
            stream = self.streams.get((key.account, stream_key))
            activity = self.activities.get(stream.activity_id) if stream and stream.activity_id else None
            buttons = _buttons(request, tags, metadata)
            base: dict[str, Any] = {"success": True, "stream_key": stream_key}
            extra: dict[str, Any] = {"effective_channel_slugs": recipients.effective_channel_slugs}
            if tags is not None:
                extra["tags"] = tags

            if activity is not None and activity.status == "active":
                if self.now() - activity.started_at >= self.settings.activity_max_age_hours * 3600:
                    return self._rotate(key, stream, activity, incoming, recipients, buttons, base, extra)
                self._check_phase("update", activity, incoming)
                if not self._apply(activity, incoming, buttons):
                    return {
                        **base,
                        "operation": "noop",
                        "activity_id": activity.id,
                        "timestamp": self.stamp(),
                    }
                stream.content_state = dict(activity.content_state)  # type: ignore[union-attr]
                return {
                    **base,
                    "operation": "updated",
                    "activity_id": activity.id,
                    **self._delivery_counts(activity),
                    **extra,
                    "timestamp": self.stamp(),
                }

            # No live activity for this key: start one (first PUT, after DELETE/end, or after a pause).
            previous = stream.content_state if stream and stream.status == "paused" else {}
            if stream is not None and "type" not in incoming:
                incoming = {"type": stream.content_state.get("type"), **incoming}
            state = {**previous, **incoming}
            check_content_state("start", state, state.get("type"))
            room = [d for d in recipients.connected if self.active_count(d) < d.capacity]
            if recipients.connected and not room:
                self.streams[(key.account, stream_key)] = Stream(
                    stream_key, key.account, None, state, "paused"
                )
                return {
                    **base,
                    "operation": "paused",
                    "activity_id": None,
                    **extra,
                    "timestamp": self.stamp(),
                }
            targets = room + [d for d in recipients.devices if not d.connected]
            activity = self._launch(key, state, targets, stream_key=stream_key, buttons=buttons)
            self.streams[(key.account, stream_key)] = Stream(
                stream_key, key.account, activity.id, dict(activity.content_state), "active"
            )
            return {
                **base,
                "operation": "started",
                "activity_id": activity.id,
                **self._delivery_counts(activity),
                "users_notified": self._users(room),
                **extra,
                "timestamp": self.stamp(),
            }

    def _rotate(
        self,
        key: ApiKey,
        stream: Stream | None,
        old: Activity,
        incoming: dict[str, Any],
        recipients: Recipients,
        buttons: dict[str, Any],
        base: dict[str, Any],
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        """Past the iOS age limit: end the old activity now and continue the stream on a new one."""
        self._check_phase("update", old, incoming)
        self._end(old, {"auto_dismiss_seconds": 0})
        state = {**old.content_state, **incoming}
        carried = {
            name: getattr(old, name) for name in ("action", "secondary_action", "alert", "tags", "metadata")
        }
        carried.update({name: value for name, value in buttons.items() if value is not None})
        targets = [d for d in recipients.devices if not d.connected or self.active_count(d) < d.capacity]
        activity = self._launch(key, state, targets, stream_key=old.stream_key, buttons=carried)
        assert stream is not None
        stream.activity_id = activity.id
        stream.content_state = dict(activity.content_state)
        stream.status = "active"
        self.sweep()
        return {
            **base,
            "operation": "rotated",
            "activity_id": activity.id,
            "previous_activity_id": old.id,
            **self._delivery_counts(activity),
            **extra,
            "timestamp": self.stamp(),
        }

    def stream_delete(
        self,
        key: ApiKey,
        stream_key: str,
        request: StreamDeleteRequest | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.stream_lock(key.account, stream_key), self.lock:
            self.sweep()
            stream = self.streams.get((key.account, stream_key))
            if stream is None:
                raise not_found(
                    "Live Activity stream not found",
                    f"No Live Activity stream found in this account for stream_key: {stream_key}. "
                    "The stream may have already ended or been deleted.",
                )
            base = {"success": True, "operation": "ended", "stream_key": stream_key}
            activity = self.activities.get(stream.activity_id) if stream.activity_id else None
            if activity is None or activity.status != "active":
                stream.status = "ended"
                stream.activity_id = None
                return {**base, "activity_id": None, "timestamp": self.stamp()}
            incoming: dict[str, Any] = {}
            if request is not None and request.content_state is not None:
                incoming = request.content_state.model_dump(exclude_none=True)
                self._check_phase("end", activity, incoming)
            buttons = _buttons(request, tags, metadata) if request is not None else {}
            self._apply(activity, incoming, buttons)
            self._end(activity, incoming)
            stream.status = "ended"
            self.sweep()
            return {
                **base,
                "activity_id": activity.id,
                **self._delivery_counts(activity),
                "timestamp": self.stamp(),
            }

    # --- metrics and badge ---------------------------------------------------------------------------------
    def set_metric(self, key: ApiKey, metric_key: str, request: MetricValueRequest) -> dict[str, Any]:
        if not METRIC_KEY_PATTERN.match(metric_key):
            raise ApiError(
                400,
                {"error": "Invalid metric key", "message": f"key: must match {METRIC_KEY_PATTERN.pattern}"},
            )
        value = request.value
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ApiError(
                400,
                {
                    "error": "value must be a number or a string",
                    "message": "value: must be a finite number or a string of 1-64 characters",
                },
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ApiError(400, {"error": "value must be a finite number"})
        if isinstance(value, str) and not 1 <= len(value) <= 64:
            raise ApiError(400, {"error": "value must be a string of 1-64 characters"})
        timestamp = self.stamp()
        if request.timestamp is not None:
            try:
                stamp = request.timestamp
                if len(stamp) < 16 or stamp[10] not in "Tt ":  # format: date-time needs a time, not a date
                    raise ValueError(stamp)
                datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                raise ApiError(
                    400,
                    {
                        "error": "timestamp must be an ISO-8601 date-time",
                        "message": "timestamp: must be an ISO-8601 date-time",
                    },
                ) from None
            timestamp = request.timestamp
        with self.lock:
            account = self.accounts[key.account]
            if metric_key not in account.metrics:
                raise ApiError(404, {"error": "Metric not found"})
            account.metrics[metric_key] = {"value": value, "timestamp": timestamp}
        return {"success": True}

    def set_badge(self, key: ApiKey, badge: int, channels: list[str] | None) -> dict[str, Any]:
        with self.lock:
            self.check_billing(key)
            recipients = self.resolve(key, channels)
            updated = recipients.connected
            for device in updated:
                device.badge = badge
            counts = {
                "badge": badge,
                "devices_updated": len(updated),
                "users_updated": self._users(updated),
                "effective_channel_slugs": recipients.effective_channel_slugs,
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
            return {"success": True, **counts, "timestamp": self.stamp()}

    # --- operator views and taps ---------------------------------------------------------------------------
    def device_views(self) -> list[dict[str, Any]]:
        with self.lock:
            self.sweep()
            return [self._device_view(device) for device in self.devices.values()]

    def _device_view(self, device: Device) -> dict[str, Any]:
        activities = [a for a in self.activities.values() if device.id in a.device_ids and not a.dismissed]
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
            "live_activities": [self._activity_view(a) for a in activities],
        }

    def _activity_view(self, activity: Activity) -> dict[str, Any]:
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
                (activity.timer_paused_at or activity.ended_at or self.now()) - activity.timer_started_at, 3
            )
        return view

    def metric_views(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            return {
                name: {key: value for key, value in account.metrics.items() if value is not None}
                for name, account in self.accounts.items()
            }

    def tap_action(
        self,
        device_id: str,
        *,
        push: int | None,
        action: int | None,
        activity_id: str | None,
        button: str | None,
    ) -> dict[str, Any]:
        """The action a simulated tap hits; 404/400 naming the field when it does not exist."""
        with self.lock:
            self.sweep()
            device = self.devices.get(device_id)
            if device is None:
                raise not_found("Device not found", f"device: no device {device_id!r}")
            if activity_id is not None:
                activity = self.activities.get(activity_id)
                if activity is None or activity.dismissed or device.id not in activity.device_ids:
                    raise not_found(
                        "Live Activity not found", f"activity_id: {activity_id} is not on {device_id}"
                    )
                if button not in ("action", "secondary_action"):
                    raise invalid_request("button: must be 'action' or 'secondary_action'")
                chosen = getattr(activity, button)
                if chosen is None:
                    raise not_found("Button not found", f"button: this Live Activity has no {button}")
                return dict(chosen)
            if push is None or action is None:
                raise invalid_request("body: give push and action, or activity_id and button")
            if not 0 <= push < len(device.pushes):
                raise not_found("Push not found", f"push: {device_id} has {len(device.pushes)} pushes")
            actions = device.pushes[push]["actions"]
            if not 0 <= action < len(actions):
                raise not_found("Action not found", f"action: that push has {len(actions)} actions")
            return dict(actions[action])

    def record_tap(self, outcome: dict[str, Any]) -> None:
        with self.lock:
            self.tap_log.append(outcome)


def _strip_dismiss(state: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in state.items() if name not in DISMISS_ONLY_FIELDS}


def _buttons(request: Any, tags: list[str] | None, metadata: dict[str, Any] | None) -> dict[str, Any]:
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


__all__ = ["Activity", "ApiKey", "Device", "Recipients", "ServiceState", "new_activity_id"]
