"""One ready-to-run scenario per action: its inputs, what must exist first, what the device shows after.

The fault matrix, the secret scan and the injection tests all need "run action X for real against the local
service"; keeping the setup here means each of them covers every action the same way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from activitysmith_action.actions import ACTION_NAMES
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService

STATE = {"title": "Deploy", "type": "value", "value": "v2"}
STREAM_KEY = "rel-stream"
METRIC_KEY = "deploy.success_rate"
# Activities and pushes that only the scenario setup creates, so a check can tell them from the action's own.
SETUP_TITLE = "set up by the test"


@dataclass(frozen=True)
class Scenario:
    """How to run one action: `prepare` creates what it needs and returns the extra inputs (ids)."""

    action: str
    payload: str
    endpoint: str  # the request path as the service logs it (a trailing `*`: any path it begins)
    prepare: Callable[[LocalService], dict[str, str]]
    repeat_safe: bool

    def sent_to(self, path: str) -> bool:
        """Whether a logged request path is this scenario's endpoint (as a fault's `path` matches it)."""
        if self.endpoint.endswith("*"):
            return path.startswith(self.endpoint[:-1])
        return path == self.endpoint


def _nothing(service: LocalService) -> dict[str, str]:
    return {}


def _started_activity(service: LocalService) -> dict[str, str]:
    answer = service.api("POST", "/live-activity/start", json={"content_state": {**STATE, "value": "v1"}})
    answer.raise_for_status()
    return {"live-activity-id": answer.json()["activity_id"]}


def _open_stream(service: LocalService) -> dict[str, str]:
    service.api(
        "PUT", f"/live-activity/stream/{STREAM_KEY}", json={"content_state": STATE}
    ).raise_for_status()
    return {"stream-key": STREAM_KEY}


def _stream_key(service: LocalService) -> dict[str, str]:
    return {"stream-key": STREAM_KEY}


def _metric_key(service: LocalService) -> dict[str, str]:
    return {"metric-key": METRIC_KEY}


def _sent_push(service: LocalService) -> dict[str, str]:
    answer = service.api("POST", "/push-notification", json={"title": SETUP_TITLE})
    answer.raise_for_status()
    return {"notification-id": answer.json()["notification_id"]}


_STATE_JSON = json.dumps({"content_state": STATE})
SCENARIOS: dict[str, Scenario] = {
    s.action: s
    for s in (
        Scenario(
            "send_push_notification",
            "title: Deploy done\nmessage: v2",
            "/api/push-notification",
            _nothing,
            False,
        ),
        Scenario(
            "replace_push_notification",
            "title: Deploy done\nmessage: v2",
            "/api/push-notification/*",  # the id is the one the setup's push got
            _sent_push,
            True,
        ),
        Scenario("start_live_activity", _STATE_JSON, "/api/live-activity/start", _nothing, False),
        Scenario("update_live_activity", _STATE_JSON, "/api/live-activity/update", _started_activity, True),
        Scenario("end_live_activity", _STATE_JSON, "/api/live-activity/end", _started_activity, True),
        Scenario(
            "stream_live_activity", _STATE_JSON, f"/api/live-activity/stream/{STREAM_KEY}", _stream_key, True
        ),
        Scenario(
            "end_live_activity_stream", "", f"/api/live-activity/stream/{STREAM_KEY}", _open_stream, True
        ),
        Scenario("update_metric_value", "value: 97.5", f"/api/metrics/{METRIC_KEY}/value", _metric_key, True),
        Scenario("update_app_icon_badge_count", "badge: 7", "/api/badge", _nothing, True),
    )
}
assert tuple(SCENARIOS) == ACTION_NAMES, "every action the action accepts has a scenario"


def base_inputs(
    service: LocalService, scenario: Scenario, ids: dict[str, str], **extra: str
) -> dict[str, str]:
    inputs = {"action": scenario.action, "api-key": service.api_key, "base-url": service.base_url, **ids}
    if scenario.payload:
        inputs["payload"] = scenario.payload
    return {**inputs, **extra}


def run(service: LocalService, scenario: Scenario, **extra: str) -> tuple[Result, dict[str, str]]:
    """Prepare, then run the action once as a subprocess; returns the result and the ids it was given."""
    ids = scenario.prepare(service)
    return run_action(base_inputs(service, scenario, ids, **extra)), ids


def settle(service: LocalService, limit: float = 10.0) -> list[dict[str, Any]]:
    """Wait (bounded) until every logged request got its answer, so a delayed one cannot outlive the test.

    A `phase: before` delay keeps the server busy after the client gave up; checking state (or resetting for
    the next test) before it lands would miss or misplace its effect. Dropped answers never get a status, so
    they are not waited for.
    """
    deadline = time.monotonic() + limit
    while True:
        log = service.requests()
        pending = [r for r in log if r["status"] is None and r["fault"] != "drop"]
        if not pending or time.monotonic() > deadline:
            return log
        time.sleep(0.05)
