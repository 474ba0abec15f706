"""The domain through its facade (`ServiceState`), the rate limiter and the clock, without HTTP."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from activitysmith_mock.clock import Clock, iso
from activitysmith_mock.config import build_config
from activitysmith_mock.domain.entities import new_activity_id
from activitysmith_mock.errors import ApiError
from activitysmith_mock.limits import RateLimiter
from activitysmith_mock.schemas import (
    LiveActivityEndRequest,
    LiveActivityStartRequest,
    PushNotificationRequest,
    StreamDeleteRequest,
    StreamPutRequest,
)
from activitysmith_mock.state import ServiceState
from tests.support.configs import SCOPED_KEY, team
from tests.support.service_api import TEST_API_KEY

ALERT = {"title": "a", "type": "alert", "message": "m"}


class FakeTime:
    def __init__(self) -> None:
        self.value = 1_760_000_000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def clock() -> Clock:
    return Clock(FakeTime())


def make_state(clock: Clock, config: dict[str, Any] | None = None) -> ServiceState:
    return ServiceState(build_config(config, TEST_API_KEY), clock)


def put(state: ServiceState, stream_key: str, content_state: dict[str, Any]) -> dict[str, Any]:
    key = state.authenticate(f"Bearer {TEST_API_KEY}")
    request = StreamPutRequest.model_validate({"content_state": content_state})
    return state.stream_put(key, stream_key, request, None, None, None)


def test_activity_ids_have_the_documented_shape() -> None:
    ids = {new_activity_id() for _ in range(200)}
    assert len(ids) == 200 and all(re.fullmatch(r"[A-Za-z0-9_-]{32}", i) for i in ids)


def test_authenticate(clock: Clock) -> None:
    state = make_state(clock)
    assert state.authenticate(f"Bearer {TEST_API_KEY}").account == "local"
    assert state.authenticate(f"bearer {TEST_API_KEY}").account == "local"
    for header in (None, "", "Bearer", f"Token {TEST_API_KEY}", "Bearer wrong"):
        with pytest.raises(ApiError) as caught:
            state.authenticate(header)
        assert caught.value.status == 401


def test_resolve_follows_key_scope(clock: Clock) -> None:
    state = make_state(clock, team())
    full = state.authenticate(f"Bearer {TEST_API_KEY}")
    scoped = state.authenticate(f"Bearer {SCOPED_KEY}")
    assert sorted(d.id for d in state.resolve(full, None).devices) == ["ipad-a", "iphone-a", "iphone-b"]
    assert state.resolve(full, None).effective_channel_slugs is None
    assert [d.id for d in state.resolve(full, ["deploys"]).devices] == ["iphone-b"]
    assert state.resolve(scoped, None).effective_channel_slugs == ["ops"]
    with pytest.raises(ApiError) as caught:
        state.resolve(scoped, ["deploys"])
    assert caught.value.status == 403
    with pytest.raises(ApiError) as caught:
        state.resolve(full, ["marketing"], live_activity=True)
    assert caught.value.status == 422
    assert caught.value.body["message"] == "No Live Activity devices matched the effective channel target"


def test_push_records_on_connected_devices_only(clock: Clock) -> None:
    config = team()
    config["accounts"][0]["members"][0]["devices"][1]["connected"] = False
    state = make_state(clock, config)
    key = state.authenticate(f"Bearer {TEST_API_KEY}")
    answer = state.send_push(key, PushNotificationRequest(title="hi"), ["ops"], None, None)
    assert (answer["devices_notified"], answer["users_notified"]) == (1, 1)
    assert [len(d.pushes) for d in state.world.devices.values()] == [1, 0, 0, 0]


def test_stream_state_machine(clock: Clock) -> None:
    state = make_state(clock)
    first = put(state, "k", ALERT)
    assert first["operation"] == "started"
    assert put(state, "k", ALERT)["operation"] == "noop"
    assert put(state, "k", {**ALERT, "message": "n"})["operation"] == "updated"
    clock.advance(8 * 3600)
    rotated = put(state, "k", ALERT)
    assert rotated["operation"] == "rotated" and rotated["previous_activity_id"] == first["activity_id"]
    key = state.authenticate(f"Bearer {TEST_API_KEY}")
    ended = state.stream_delete(key, "k", StreamDeleteRequest(), None, None)
    assert ended["activity_id"] == rotated["activity_id"]
    assert state.stream_delete(key, "k", None, None, None)["activity_id"] is None
    assert put(state, "k", ALERT)["operation"] == "started"


def test_stream_pauses_without_capacity(clock: Clock) -> None:
    state = make_state(clock)
    for index in range(5):
        assert put(state, f"k{index}", ALERT)["operation"] == "started"
    paused = put(state, "k5", ALERT)
    assert paused["operation"] == "paused" and paused["activity_id"] is None


def test_concurrent_stream_puts_from_threads_start_one_activity(clock: Clock) -> None:
    state = make_state(clock)
    results: list[dict[str, Any]] = []
    barrier = threading.Barrier(12)

    def worker(i: int) -> None:
        barrier.wait()
        results.append(put(state, "race", {**ALERT, "message": f"m{i % 2}"}))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["operation"] for r in results].count("started") == 1
    assert len(state.world.activities) == 1


def test_end_sets_dismissal_on_the_clock_and_sweep_hides_it(clock: Clock) -> None:
    state = make_state(clock)
    key = state.authenticate(f"Bearer {TEST_API_KEY}")
    started = state.start_activity(
        key, LiveActivityStartRequest.model_validate({"content_state": ALERT}), None, None, None
    )
    end = LiveActivityEndRequest.model_validate(
        {"activity_id": started["activity_id"], "content_state": {"title": "a", "message": "done"}}
    )
    state.end_activity(key, end, None, None)
    activity = state.world.activities[started["activity_id"]]
    assert activity.dismiss_at == activity.ended_at + 180  # type: ignore[operator]
    clock.advance(179.9)
    assert len(state.device_views()[0]["live_activities"]) == 1
    clock.advance(0.1)
    assert state.device_views()[0]["live_activities"] == []


def test_metric_and_badge(clock: Clock) -> None:
    from activitysmith_mock.schemas import MetricValueRequest

    state = make_state(clock)
    key = state.authenticate(f"Bearer {TEST_API_KEY}")
    assert state.set_metric(key, "queue.depth", MetricValueRequest(value=3)) == {"success": True}
    assert state.metric_views()["local"]["queue.depth"]["value"] == 3
    with pytest.raises(ApiError) as caught:
        state.set_metric(key, "queue.depth", MetricValueRequest(value=float("inf")))
    assert caught.value.body == {"error": "value must be a finite number"}
    assert state.set_badge(key, 7, None)["devices_updated"] == 1
    assert state.world.devices["iphone"].badge == 7


def test_rate_limiter_windows(clock: Clock) -> None:
    from activitysmith_mock.config import RateLimits

    limiter = RateLimiter(RateLimits(notifications=2, ip=100), clock)
    assert "r=1; t=60" in limiter.hit("notifications", "1.2.3.4", "acme")["RateLimit"]
    limiter.hit("notifications", "1.2.3.4", "acme")
    with pytest.raises(ApiError) as caught:
        limiter.hit("notifications", "1.2.3.4", "acme")
    assert caught.value.status == 429 and caught.value.headers["Retry-After"] == "60"
    limiter.hit("notifications", "1.2.3.4", "other")  # another account has its own window
    clock.advance(60)
    limiter.hit("notifications", "1.2.3.4", "acme")
    with pytest.raises(ValueError, match="unknown rate-limit feature"):
        limiter.hit("nope", "1.2.3.4", None)


def test_iso_timestamps() -> None:
    assert iso(0) == "1970-01-01T00:00:00.000Z"
    assert iso(1.2345) == "1970-01-01T00:00:01.234Z"


def test_clock_moves_forward_only(clock: Clock) -> None:
    start = clock.now()
    clock.advance(10)
    assert clock.now() == start + 10
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    clock.reset()
    assert clock.now() == start
