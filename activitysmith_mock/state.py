"""`ServiceState`: the one entry point routes use into the domain (`activitysmith_mock.domain`).

It owns the world (every store, seeded from the config) and the one lock, and each method runs one domain
operation under that lock, so concurrent requests, such as parallel PUTs on one stream, never interleave
(two PUTs cannot start two activities). Every change to the service passes through a method here, which makes
this the place to tell an observer (a live page, say) that something changed.
"""

from __future__ import annotations

import threading
from typing import Any

from activitysmith_mock.clock import Clock
from activitysmith_mock.config import ServiceConfig
from activitysmith_mock.domain import (
    accounts,
    badge,
    legacy,
    lifecycle,
    metrics,
    streams,
    taps,
    targeting,
    views,
)
from activitysmith_mock.domain import push as pushes
from activitysmith_mock.domain.entities import ApiKey, Recipients
from activitysmith_mock.domain.world import World
from activitysmith_mock.schemas import (
    LiveActivityEndRequest,
    LiveActivityStartRequest,
    LiveActivityUpdateRequest,
    MetricValueRequest,
    PushNotificationRequest,
    PushReplaceRequest,
    StreamDeleteRequest,
    StreamPutRequest,
)


class ServiceState:
    """Everything the service knows; rebuilt from the config on every reset."""

    def __init__(self, config: ServiceConfig, clock: Clock) -> None:
        self.lock = threading.RLock()
        self.world = World.seeded(config, clock)

    def stamp(self) -> str:
        """Now on the service clock, in the API's timestamp format."""
        return self.world.stamp()

    # --- who is calling, and whom they reach ----------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> ApiKey:
        with self.lock:
            return accounts.authenticate(self.world, authorization)

    def resolve(self, key: ApiKey, requested: list[str] | None, *, live_activity: bool = False) -> Recipients:
        with self.lock:
            return targeting.resolve(self.world, key, requested, live_activity=live_activity)

    # --- the API --------------------------------------------------------------------------------------------
    def send_push(
        self,
        key: ApiKey,
        request: PushNotificationRequest,
        channels: list[str] | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return pushes.send(self.world, key, request, channels, tags, metadata)

    def replace_push(
        self,
        key: ApiKey,
        notification_id: str,
        request: PushReplaceRequest,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return pushes.replace(self.world, key, notification_id, request, tags, metadata)

    def start_activity(
        self,
        key: ApiKey,
        request: LiveActivityStartRequest,
        channels: list[str] | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return legacy.start(self.world, key, request, channels, tags, metadata)

    def update_activity(
        self,
        key: ApiKey,
        request: LiveActivityUpdateRequest,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return legacy.update(self.world, key, request, tags, metadata)

    def end_activity(
        self,
        key: ApiKey,
        request: LiveActivityEndRequest,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return legacy.end(self.world, key, request, tags, metadata)

    def stream_put(
        self,
        key: ApiKey,
        stream_key: str,
        request: StreamPutRequest,
        channels: list[str] | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return streams.put(self.world, key, stream_key, request, channels, tags, metadata)

    def stream_delete(
        self,
        key: ApiKey,
        stream_key: str,
        request: StreamDeleteRequest | None,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        with self.lock:
            return streams.delete(self.world, key, stream_key, request, tags, metadata)

    def set_metric(self, key: ApiKey, metric_key: str, request: MetricValueRequest) -> dict[str, Any]:
        with self.lock:
            return metrics.set_value(self.world, key, metric_key, request)

    def set_badge(self, key: ApiKey, count: int, channels: list[str] | None) -> dict[str, Any]:
        with self.lock:
            return badge.set_badge(self.world, key, count, channels)

    # --- the operator API -----------------------------------------------------------------------------------
    def device_views(self) -> list[dict[str, Any]]:
        with self.lock:
            return views.device_views(self.world)

    def activity_views(self, *, changed_since: float) -> dict[str, tuple[dict[str, Any], list[str]]]:
        """Each Live Activity a device shows now that changed at or after `changed_since` (service clock
        seconds): its view and the ids of those devices. The preview's timeline reads this after every
        request, so it builds views only of what changed and copies no push records."""
        with self.lock:
            lifecycle.sweep(self.world)
            return {
                activity.id: (views.activity_view(self.world, activity), list(activity.device_ids))
                for activity in self.world.activities.values()
                if not activity.dismissed and activity.updated_at >= changed_since
            }

    def metric_views(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            return views.metric_views(self.world)

    def tap_action(
        self,
        device_id: str,
        *,
        push: int | None,
        action: int | None,
        activity_id: str | None,
        button: str | None,
    ) -> dict[str, Any]:
        with self.lock:
            return taps.action_at(
                self.world, device_id, push=push, action=action, activity_id=activity_id, button=button
            )

    def record_tap(self, outcome: dict[str, Any]) -> None:
        with self.lock:
            taps.record(self.world, outcome)

    def tap_outcomes(self) -> list[dict[str, Any]]:
        with self.lock:
            return taps.outcomes(self.world)
