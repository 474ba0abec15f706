"""outcome.py: one object per step, from which every output is derived."""

from __future__ import annotations

import json

from activitysmith_action.client import Delivered
from activitysmith_action.errors import ApiError, PayloadError, Problem
from activitysmith_action.outcome import OUTPUT_NAMES, Outcome
from activitysmith_action.request import PlannedRequest

BASE = "https://activitysmith.test/api"
STREAM = PlannedRequest(
    "stream_live_activity", "PUT", "/live-activity/stream/k", {"content_state": {"title": "T"}}, True
)


def api_error(status: int = 503) -> ApiError:
    return ApiError(status=status, api_error="Down", api_message="later", body={"error": "Down"}, attempts=4)


def test_delivered_outputs_carry_the_answer() -> None:
    answer = {"success": True, "operation": "started", "activity_id": "A1", "devices_notified": 1}
    outcome = Outcome("stream_live_activity", BASE, planned=STREAM, delivered=Delivered(200, answer, 2, 0.1))
    outputs = outcome.outputs()
    assert tuple(outputs) == OUTPUT_NAMES
    assert outputs | {"time": "T"} == {
        "ok": "true",
        "response": json.dumps(answer),
        "time": "T",
        "live_activity_id": "A1",
        "operation": "started",
        "notification_id": "",
        "status": "200",
        "attempts": "2",
        "error": "",
    }
    assert outcome.kind == "delivered" and outcome.exit_code == 0 and outcome.sent


def test_a_push_answer_gives_its_notification_id() -> None:
    answer = {"success": True, "notification_id": "N1", "devices_notified": 1}
    outcome = Outcome(
        "send_push_notification", BASE, planned=STREAM, delivered=Delivered(200, answer, 1, 0.1)
    )
    assert outcome.outputs()["notification_id"] == "N1"


def test_answer_fields_that_are_not_strings_read_as_empty() -> None:
    answer = {"operation": 7, "activity_id": None}
    outcome = Outcome("stream_live_activity", BASE, planned=STREAM, delivered=Delivered(200, answer, 1, 0.1))
    assert (outcome.operation, outcome.activity_id) == ("", "")


def test_dry_run_outputs_are_the_plan_with_the_key_hidden() -> None:
    outcome = Outcome("stream_live_activity", BASE, planned=STREAM, dry_run=True)
    outputs = outcome.outputs()
    plan = json.loads(outputs["response"])
    assert plan["url"] == BASE + "/live-activity/stream/k"
    assert plan["headers"]["Authorization"] == "Bearer ***"
    assert (outputs["ok"], outputs["attempts"], outputs["status"]) == ("true", "0", "")
    assert not outcome.sent


def test_failed_delivery_keeps_the_api_body_and_exit_code_follows_errors_input() -> None:
    failed = Outcome("stream_live_activity", BASE, planned=STREAM, error=api_error())
    outputs = failed.outputs()
    assert outputs["ok"] == "false" and json.loads(outputs["response"]) == {"error": "Down"}
    assert outputs["status"] == "503" and outputs["attempts"] == "4"
    assert outputs["error"] == "HTTP 503: Down - later [api_error]"
    assert failed.exit_code == 1
    kept = Outcome("stream_live_activity", BASE, planned=STREAM, error=api_error(), keep_going=True)
    assert kept.exit_code == 0 and not kept.ok


def test_refused_payload_outputs_name_the_problem() -> None:
    error = PayloadError("invalid_payload", [Problem("payload.title", "is required")])
    outputs = Outcome("send_push_notification", BASE, error=error).outputs()
    assert json.loads(outputs["response"]) == {"error": "payload.title: is required [invalid_payload]"}
    assert (outputs["status"], outputs["attempts"], outputs["live_activity_id"]) == ("", "0", "")
