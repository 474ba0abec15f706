"""Every action × every transport/server fault, run as a subprocess against the local service.

Each case must end in either success after a retry or ONE clear failure that names the cause, within the time
the inputs allow, and the service's own records must show no duplicate push or start. The faults come from
the service's operator API (`POST /_mock/faults`, docs/local-service.md, "Operator API"), so the action meets
them over real HTTP exactly as it would meet a flaky ActivitySmith or proxy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from activitysmith_action.actions import ACTIONS
from activitysmith_action.client import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS
from tests.reliability.scenarios import (
    METRIC_KEY,
    SCENARIOS,
    SETUP_TITLE,
    STREAM_KEY,
    Scenario,
    base_inputs,
    settle,
)
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService

TIMEOUT = 1.0  # the action's `timeout` input, seconds per attempt
RETRIES = 2  # the action's `retries` input
RETRY_AFTER = 1  # seconds the injected 429 asks for
# Starting Python and importing httpx/pydantic is outside the action's retry budget; this is the allowance for
# it (and for a loaded CI machine) on top of the bound the inputs configure.
PROCESS_ALLOWANCE = 8.0
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass(frozen=True)
class Fault:
    """A fault spec for the service plus what it must lead to, for repeat-safe and push/start requests."""

    spec: dict[str, Any]
    safe: tuple[str, int]  # (outcome, attempts) for update/end/stream/metric/badge
    unsafe: tuple[str, int]  # (outcome, attempts) for push/start, which must never be sent twice
    cause: str  # words the failure message must contain (when it fails)
    warning: str = ""  # words a `::warning` must contain (when it succeeds with one)


FAULTS: dict[str, Fault] = {
    "one_503": Fault({"status": 503}, ("ok", 2), ("ok", 2), ""),
    "503_beyond_retries": Fault(
        {"status": 503, "count": RETRIES + 1},
        ("api_error", RETRIES + 1),
        ("api_error", RETRIES + 1),
        "HTTP 503: Service Unavailable - The local service injected a 503 fault.",
    ),
    "429_retry_after": Fault({"status": 429, "retry_after": RETRY_AFTER}, ("ok", 2), ("ok", 2), ""),
    "500_after_processing": Fault(
        {"status": 500, "phase": "after"},
        ("ok", 2),
        ("maybe_delivered", 1),
        "HTTP 500: Internal Server Error",
    ),
    "dropped_connection": Fault(
        {"drop": True, "phase": "after"}, ("ok", 2), ("maybe_delivered", 1), "the connection was dropped"
    ),
    "read_timeout": Fault(
        {"delay_seconds": TIMEOUT + 0.6},
        ("ok", 2),
        ("maybe_delivered", 1),
        f"no complete answer within {TIMEOUT:g}s",
    ),
    "slow_response": Fault({"delay_seconds": TIMEOUT * 0.3}, ("ok", 1), ("ok", 1), ""),
    "html_502": Fault(
        {"status": 502, "body": HTML_502, "content_type": "text/html"},
        ("ok", 2),
        ("maybe_delivered", 1),
        "HTTP 502: Bad Gateway",
    ),
    # The API accepted the request (2xx): it is not repeated, and the step succeeds with a warning that the
    # answer could not be read (so outputs from the answer are empty).
    "malformed_json_200": Fault(
        {"status": 200, "body": '{"success": tr', "content_type": "application/json", "phase": "after"},
        ("ok", 1),
        ("ok", 1),
        "",
        warning="accepted the request (HTTP 200) but answered with a body that is not valid JSON",
    ),
}


def time_bound(fault: Fault) -> float:
    """The longest the step may take under these inputs, as client.py documents its retry policy.

    Every attempt may use the whole `timeout`; between attempts the wait is the `Retry-After` (capped) or the
    full-jitter backoff, at most min(cap, base·2^(n-1)) before attempt n+1.
    """
    retry_after = float(fault.spec.get("retry_after", 0))
    waits = 0.0
    for attempt in range(1, RETRIES + 1):
        backoff = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        waits += max(min(retry_after, BACKOFF_CAP_SECONDS), backoff)
    return TIMEOUT * (RETRIES + 1) + waits + PROCESS_ALLOWANCE


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("::error")]


def check_outcome(result: Result, outcome: str, attempts: int, cause: str, warning: str = "") -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.outputs["attempts"] == str(attempts), result.stdout
    if outcome == "ok":
        assert result.returncode == 0, result.stdout
        assert result.outputs["ok"] == "true"
        assert result.outputs["status"] == "200"
        assert result.outputs["error"] == ""
        assert error_lines(result) == []
        warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
        assert any(warning in line for line in warnings) if warning else warnings == [], warnings
        return
    assert result.returncode == 1, result.stdout
    assert result.outputs["ok"] == "false"
    lines = error_lines(result)
    assert len(lines) == 1, lines  # ONE clear failure
    assert lines[0].startswith(f"::error title=ActivitySmith {outcome}::"), lines[0]
    assert cause in lines[0], lines[0]
    assert cause in result.outputs["error"] and result.outputs["error"].endswith(f"[{outcome}]")


def expected_status(fault: Fault, outcome: str) -> str:
    """The `status` output: the last HTTP status seen, empty when the connection gave none."""
    if outcome == "ok":
        return "200"
    if fault.spec.get("drop") or "delay_seconds" in fault.spec:
        return ""
    return str(fault.spec["status"])


def check_no_duplicates(service: LocalService, scenario: Scenario, fault: Fault, outcome: str) -> None:
    """The service's view: at most one push / one start, and the state the action asked for when it succeeded.

    A request was processed when it met no fault, only a delay, or a fault that replaces the answer after
    processing (`phase: after`); a push or start must have exactly that many effects, and never more than one.
    """
    log = settle(service)
    device = service.devices()["devices"][0]
    mine = [r for r in log if scenario.sent_to(r["path"])]
    clean = [r for r in mine if r["fault"] is None]
    processed = [r for r in mine if r["fault"] in (None, "delay") or fault.spec.get("phase") == "after"]
    activities = device["live_activities"]
    if scenario.action == "send_push_notification":
        assert len(clean) <= 1 and len(processed) <= 1
        assert len(device["pushes"]) == len(processed)
        assert len(device["pushes"]) == 1 or outcome != "ok"
    elif scenario.action == "start_live_activity":
        assert len(clean) <= 1 and len(processed) <= 1
        assert len(activities) == len(processed)
        assert len(activities) == 1 or outcome != "ok"
    elif outcome != "ok":
        # Every failing repeat-safe case here met only `phase: before` faults: nothing may have changed.
        assert fault.spec.get("phase", "before") == "before"
        check_untouched(service, scenario, device)
    elif scenario.action == "replace_push_notification":
        assert [(p["title"], p["replaced"]) for p in device["pushes"]] == [("Deploy done", True)]
    elif scenario.action == "update_live_activity":
        assert [(a["status"], a["content_state"]["value"]) for a in activities] == [("active", "v2")]
    elif scenario.action == "end_live_activity":
        assert [a["status"] for a in activities] == ["ended"]
    elif scenario.action == "stream_live_activity":
        assert [(a["stream_key"], a["status"]) for a in activities] == [(STREAM_KEY, "active")]
    elif scenario.action == "end_live_activity_stream":
        assert [(a["stream_key"], a["status"]) for a in activities] == [(STREAM_KEY, "ended")]
    elif scenario.action == "update_metric_value":
        assert service.metrics()["local"][METRIC_KEY]["value"] == 97.5
    elif scenario.action == "update_app_icon_badge_count":
        assert device["badge"] == 7


def check_untouched(service: LocalService, scenario: Scenario, device: dict[str, Any]) -> None:
    """After a failure that was never processed, the device still shows what the setup left."""
    activities = device["live_activities"]
    if scenario.action == "replace_push_notification":
        assert [(p["title"], p["replaced"]) for p in device["pushes"]] == [(SETUP_TITLE, False)]
    elif scenario.action in ("update_live_activity", "end_live_activity"):
        assert [(a["status"], a["content_state"]["value"]) for a in activities] == [("active", "v1")]
    elif scenario.action == "stream_live_activity":
        assert activities == []
    elif scenario.action == "end_live_activity_stream":
        assert [(a["stream_key"], a["status"]) for a in activities] == [(STREAM_KEY, "active")]
    elif scenario.action == "update_metric_value":
        assert METRIC_KEY not in service.metrics().get("local", {})
    elif scenario.action == "update_app_icon_badge_count":
        assert device["badge"] is None


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("action", list(SCENARIOS))
def test_fault(service: LocalService, action: str, fault_name: str) -> None:
    scenario, fault = SCENARIOS[action], FAULTS[fault_name]
    ids = scenario.prepare(service)
    service.fault(method=ACTIONS[action].method, path=scenario.endpoint, **fault.spec)
    inputs = base_inputs(service, scenario, ids, timeout=f"{TIMEOUT:g}", retries=str(RETRIES))
    started = time.monotonic()
    result = run_action(inputs)
    elapsed = time.monotonic() - started
    outcome, attempts = fault.safe if scenario.repeat_safe else fault.unsafe
    check_outcome(result, outcome, attempts, fault.cause, fault.warning)
    assert result.outputs["status"] == expected_status(fault, outcome)
    assert elapsed <= time_bound(fault), f"{elapsed:.2f}s > bound {time_bound(fault):.2f}s"
    if fault_name == "429_retry_after":
        assert elapsed >= RETRY_AFTER  # the Retry-After was honoured, not cut short
    assert service.faults() == []  # the fault was really met
    check_no_duplicates(service, scenario, fault, outcome)


def test_matrix_covers_every_action_and_fault() -> None:
    """docs/reliability.md counts these cases; keep the count honest if either list grows."""
    assert len(SCENARIOS) == 9 and len(FAULTS) == 9
