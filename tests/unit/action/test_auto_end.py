"""autoend.py, journal.py, chain.py: the final state, what answers are recorded, and the empty-id message.

The handoff itself (GITHUB_STATE -> STATE_*, shared HOME, the post container) is proven in
tests/container/test_auto_end.py and tests/integration/test_auto_end_steps.py; these check the pieces.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from activitysmith_action import journal
from activitysmith_action.autoend import final_body, known_fields, last_step_reached, status_sentence
from activitysmith_action.chain import job_status, missing_live_activity_id
from activitysmith_action.errors import InputError
from activitysmith_action.inputs import Inputs, read_inputs
from activitysmith_action.journal import Target
from activitysmith_action.redact import Redactor
from activitysmith_action.request import build_request

NO_KEY = Redactor("")
ENV = {"GITHUB_JOB": "deploy", "GITHUB_WORKFLOW": "Deploy"}


# --- the final state --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "env", "sentence"),
    [
        ("failure", ENV, "Job deploy of Deploy failed"),
        ("cancelled", ENV, "Job deploy of Deploy was cancelled"),
        ("", ENV, "Job deploy of Deploy did not finish"),
        ("failure", {"GITHUB_JOB": "deploy"}, "Job deploy failed"),
        ("cancelled", {}, "The job was cancelled"),
    ],
)
def test_status_sentence(status: str, env: dict[str, str], sentence: str) -> None:
    assert status_sentence(status, env) == sentence


@pytest.mark.parametrize(
    ("known", "needed"),
    [
        ({"title": "Deploy", "type": "segmented_progress", "number_of_steps": 4, "current_step": 2},
         {"number_of_steps": 4, "current_step": 2, "step_color": "red"}),
        ({"title": "Sync", "type": "progress", "percentage": 40}, {"percentage": 40}),
        ({"title": "Upload", "type": "progress", "value": 3, "upper_limit": 10},
         {"value": 3, "upper_limit": 10}),
        ({"title": "Queue", "type": "value", "value": "12 jobs"}, {"value": "12 jobs"}),
        ({"title": "Oncall", "type": "alert"}, {"message": "Job deploy of Deploy failed"}),
        ({"title": "Load", "type": "metrics"}, {}),
        ({"title": "Wait", "type": "timer"}, {}),
    ],
)  # fmt: skip
def test_the_default_final_state_is_red_and_valid_for_every_type(
    known: dict[str, Any], needed: dict[str, Any]
) -> None:
    body = final_body(known, {}, "failure", ENV)
    assert body["content_state"] == {
        "title": known["title"],
        "subtitle": "Job deploy of Deploy failed",
        "color": "red",
        "type": known["type"],
        **needed,
        "auto_dismiss_minutes": 2,
    }
    for action, inputs in (
        ("end_live_activity", {"live_activity_id": "A1"}),
        ("end_live_activity_stream", {"stream_key": "s1"}),
    ):
        build_request(Inputs(action=action, api_key="k", **inputs), body, NO_KEY)  # raises when invalid


def test_auto_end_payload_overrides_field_by_field_and_replaces_the_dismissal() -> None:
    known = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 3, "current_step": 1}
    override = {
        "content_state": {"subtitle": "Rolled back", "color": "orange", "auto_dismiss_seconds": 30},
        "metadata": {"run": "4242"},
    }
    body = final_body(known, override, "cancelled", ENV)
    assert body["metadata"] == {"run": "4242"}
    state = body["content_state"]
    assert (state["subtitle"], state["color"], state["step_color"]) == ("Rolled back", "orange", "red")
    assert "auto_dismiss_minutes" not in state and state["auto_dismiss_seconds"] == 30


@pytest.mark.parametrize(
    ("known", "finished"),
    [
        ({"type": "segmented_progress", "number_of_steps": 3, "current_step": 3},
         "reached its last step (3 of 3)"),
        ({"type": "segmented_progress", "number_of_steps": 3, "current_step": 2}, None),
        ({"type": "segmented_progress", "current_step": 3}, None),
        ({"type": "progress", "percentage": 100}, "reached 100%"),
        ({"type": "progress", "percentage": 99.5}, None),
        ({"type": "progress", "value": 10, "upper_limit": 10}, "reached 10 of 10"),
        ({"type": "progress", "percentage": True}, None),
        ({"type": "metrics"}, None),
        ({}, None),
    ],
)  # fmt: skip
def test_last_step_reached(known: dict[str, Any], finished: str | None) -> None:
    assert last_step_reached(known) == finished


def test_known_fields_keep_what_the_final_state_may_need_over_what_was_known() -> None:
    before = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 3, "current_step": 1}
    update = {"title": "Deploy", "current_step": 2, "subtitle": "not needed", "metrics": None}
    assert known_fields(update, before) == {**before, "current_step": 2}
    assert known_fields("not a state") == {}


# --- the journal ------------------------------------------------------------------------------------------
def runner_env(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "GITHUB_RUN_ID": "4242", "GITHUB_JOB": "deploy", **extra}


def test_journal_records_per_run_attempt_job_and_target(tmp_path: Path) -> None:
    env = runner_env(tmp_path)
    activity, stream = Target("activity", "A1"), Target("stream", "prod-web-1")
    assert journal.read(activity, env) is None
    path = journal.write(activity, {"known": {"title": "x"}, "ended": None}, env)
    assert path == tmp_path / ".activitysmith-action" / "run-4242-1" / "deploy" / "activity-A1.json"
    assert journal.read(activity, env) == {"known": {"title": "x"}, "ended": None}
    assert journal.read(stream, env) is None
    assert journal.read(activity, runner_env(tmp_path, GITHUB_RUN_ATTEMPT="2")) is None
    assert journal.read(activity, runner_env(tmp_path, GITHUB_JOB="other")) is None
    assert [p.name for p in path.parent.iterdir()] == ["activity-A1.json"], "no temporary file left behind"


def test_journal_never_climbs_out_of_its_directory(tmp_path: Path) -> None:
    env = runner_env(tmp_path / "home", GITHUB_JOB="../../escape")
    path = journal.write(Target("stream", "../../../etc/passwd"), {"ended": None}, env)
    assert path is not None and path.is_relative_to(tmp_path / "home" / ".activitysmith-action")
    assert path.name.startswith("stream-h-") and path.parent.name.startswith("h-")


def test_journal_is_off_outside_a_runner_and_tolerates_garbage(tmp_path: Path) -> None:
    assert journal.job_directory({"HOME": str(tmp_path)}) is None
    assert journal.write(Target("activity", "A1"), {}, {"HOME": str(tmp_path)}) is None
    env = runner_env(tmp_path)
    path = journal.write(Target("activity", "A1"), {}, env)
    assert path is not None
    path.write_text("not json")
    assert journal.read(Target("activity", "A1"), env) is None
    path.write_text(json.dumps(["a list"]))
    assert journal.read(Target("activity", "A1"), env) is None


# --- chains -----------------------------------------------------------------------------------------------
def test_job_status_accepts_only_what_the_runner_evaluates() -> None:
    assert [job_status(v) for v in ("success", "Failure ", "cancelled", "", "${{ job.status }}", "x")] == [
        "success",
        "failure",
        "cancelled",
        "",
        "",
        "",
    ]


def test_an_empty_id_in_a_failed_job_says_the_start_step_did_not_produce_it() -> None:
    message = missing_live_activity_id("end_live_activity", "failure")
    assert message.startswith(
        "is required for action end_live_activity but is empty: the step that should have "
        "produced live_activity_id (your start_live_activity step) did not."
    )
    assert "The job had already failed before this step, so that step failed or was skipped" in message
    assert "needs no `if: always()`" in message
    assert "had already been cancelled" in missing_live_activity_id("end_live_activity", "cancelled")


def test_an_empty_id_in_a_green_job_points_at_the_expression() -> None:
    message = missing_live_activity_id("update_live_activity", "success")
    assert "it was skipped or failed, or the expression names another step or output" in message
    assert "${{ steps.<start step id>.outputs.live_activity_id }}" in message
    assert message == missing_live_activity_id("update_live_activity", "")


def test_read_inputs_uses_the_job_status_for_the_empty_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.write_text("")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    for name, value in {
        "ACTION": "end_live_activity",
        "API-KEY": "k",
        "PAYLOAD": "content_state: {title: Deployed}",
        "LIVE-ACTIVITY-ID": "",
        "JOB-STATUS": "failure",
    }.items():
        monkeypatch.setenv(f"INPUT_{name}", value)
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    assert exc.value.code == "missing_input"
    (problem,) = exc.value.problems
    assert problem.field == "live-activity-id"
    assert problem.message == missing_live_activity_id("end_live_activity", "failure")
