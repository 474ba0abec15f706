"""quick.py: quick inputs land where the actions table says, the payload wins, problems name the input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from activitysmith_action.actions import ACTIONS, QUICK_INPUTS
from activitysmith_action.errors import InputError, PayloadError
from activitysmith_action.inputs import INPUT_NAMES, Inputs, read_inputs, shown
from activitysmith_action.main import plan_request
from activitysmith_action.quick import merge, read_quick_inputs, run_url
from activitysmith_action.redact import Redactor

NO_KEY = Redactor("")
RUN = "https://github.com/your-org/your-app/actions/runs/4242"


@pytest.fixture(autouse=True)
def runner_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "out"
    out.write_text("")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "your-org/your-app")
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    return tmp_path


def given(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"INPUT_{name.replace('_', '-').upper()}", value)


def body(monkeypatch: pytest.MonkeyPatch, **values: str) -> dict[str, Any] | None:
    given(monkeypatch, api_key="k", **values)
    return plan_request(read_inputs(NO_KEY), NO_KEY).body


def failure(monkeypatch: pytest.MonkeyPatch, **values: str) -> InputError | PayloadError:
    given(monkeypatch, api_key="k", **values)
    with pytest.raises((InputError, PayloadError)) as exc:
        plan_request(read_inputs(NO_KEY), NO_KEY)
    assert isinstance(exc.value, InputError | PayloadError)
    return exc.value


def test_every_quick_input_is_declared_and_lands_in_a_home_some_action_has() -> None:
    homes = {spec.quick_home for spec in ACTIONS.values()}
    for quick in QUICK_INPUTS:
        assert quick.name in INPUT_NAMES
        assert set(quick.homes) <= homes - {None}


def test_a_one_line_push_needs_no_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    assert body(monkeypatch, action="send_push_notification", title="Deployed") == {"title": "Deployed"}


def test_push_fields_land_at_the_top_and_link_to_run_is_the_redirection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert body(
        monkeypatch,
        action="send_push_notification",
        title="CI failed",
        message="main is red",
        subtitle="your-org/your-app",
        link_to_run="true",
    ) == {"title": "CI failed", "message": "main is red", "subtitle": "your-org/your-app", "redirection": RUN}


def test_a_one_line_start_puts_everything_in_the_content_state(monkeypatch: pytest.MonkeyPatch) -> None:
    assert body(
        monkeypatch,
        action="start_live_activity",
        title="Deploy",
        subtitle="Building",
        type="segmented_progress",
        number_of_steps="4",
        current_step="1",
        color="blue",
        link_to_run="true",
    ) == {
        "content_state": {
            "title": "Deploy",
            "subtitle": "Building",
            "type": "segmented_progress",
            "current_step": 1,
            "number_of_steps": 4,
            "color": "blue",
        },
        "action": {"title": "View run", "type": "open_url", "url": RUN},
    }


def test_percentage_reads_whole_and_decimal_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    common = {"action": "start_live_activity", "title": "Sync", "type": "progress"}
    assert body(monkeypatch, **common, percentage="40")["content_state"]["percentage"] == 40  # type: ignore[index]
    assert body(monkeypatch, **common, percentage="62.5")["content_state"]["percentage"] == 62.5  # type: ignore[index]


def test_the_payload_wins_field_by_field(monkeypatch: pytest.MonkeyPatch) -> None:
    assert body(
        monkeypatch,
        action="update_live_activity",
        live_activity_id="A1",
        payload="content_state:\n  title: From payload\n  current_step: 2\n"
        "action: {title: Logs, type: open_url, url: 'https://logs.example'}",
        title="From input",
        subtitle="added",
        current_step="3",
        link_to_run="true",
    ) == {
        "activity_id": "A1",
        "content_state": {"title": "From payload", "current_step": 2, "subtitle": "added"},
        "action": {"title": "Logs", "type": "open_url", "url": "https://logs.example"},
    }


def test_numbers_are_checked_as_numbers_naming_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="start_live_activity", api_key="k", title="x", current_step="two",
          number_of_steps="3.5", percentage="lots", link_to_run="yes")  # fmt: skip
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    assert [str(p) for p in exc.value.problems] == [
        'current-step: must be a whole number; got "two"',
        'number-of-steps: must be a whole number; got "3.5"',
        'percentage: must be a number such as 40 or 62.5; got "lots"',
        'link-to-run: must be true or false; got "yes"',
    ]


def test_model_problems_in_quick_fields_name_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    error = failure(
        monkeypatch,
        action="start_live_activity",
        title="Deploy",
        type="segmented_progress",
        number_of_steps="3",
        current_step="5",
        color="pink",
        percentage="150",
    )
    assert isinstance(error, InputError) and error.code == "invalid_input"
    found = [str(p) for p in error.problems]
    assert (
        "color: must be one of: lime, green, cyan, blue, purple, magenta, red, orange, yellow, gray; "
        'got "pink"' in found
    )
    assert "percentage: must be ≤ 100; got 150" in found
    assert "current-step: must be ≤ number_of_steps (3); got 5" in found


def test_what_a_one_line_start_lacks_is_named_by_the_input_to_give(monkeypatch: pytest.MonkeyPatch) -> None:
    error = failure(monkeypatch, action="start_live_activity", subtitle="no title, no type")
    assert error.code == "missing_input"
    assert [str(p) for p in error.problems] == [
        "title: is required",
        "type: is required to start a Live Activity; one of: segmented_progress, progress, metrics, stats, "
        "alert, timer, value",
    ]
    assert [str(p) for p in failure(monkeypatch, action="send_push_notification", subtitle="s").problems] == [
        "title: is required"
    ]


def test_a_payload_problem_keeps_its_payload_path(monkeypatch: pytest.MonkeyPatch) -> None:
    error = failure(
        monkeypatch, action="send_push_notification", payload="title: x\nbadge: -1", subtitle="from input"
    )
    assert isinstance(error, PayloadError)
    assert [p.field for p in error.problems] == ["payload.badge"]


def test_quick_inputs_an_action_does_not_take_are_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="send_push_notification", api_key="k", title="t", color="red", current_step="2")
    got = read_inputs(NO_KEY)
    assert got.quick == {"title": "t"}
    assert got.warnings == (
        "current-step is ignored for send_push_notification: only start_live_activity, update_live_activity, "
        "end_live_activity, stream_live_activity and end_live_activity_stream take it",
        "color is ignored for send_push_notification: only start_live_activity, update_live_activity, "
        "end_live_activity, stream_live_activity and end_live_activity_stream take it",
    )
    given(
        monkeypatch,
        action="update_metric_value",
        metric_key="m",
        payload="value: 1",
        color="",
        current_step="",
    )
    assert read_inputs(NO_KEY).warnings == (
        "title is ignored for update_metric_value: only send_push_notification, replace_push_notification, "
        "start_live_activity, update_live_activity, end_live_activity, stream_live_activity and "
        "end_live_activity_stream take it",
    )


def test_link_to_run_needs_the_runner_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_RUN_ID")
    assert run_url() is None
    given(monkeypatch, action="send_push_notification", api_key="k", title="t", link_to_run="true")
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    assert str(exc.value.problems[0]).startswith("link-to-run: needs GITHUB_SERVER_URL, GITHUB_REPOSITORY")


def test_link_to_run_false_and_empty_inputs_add_nothing() -> None:
    values, problems, warnings = read_quick_inputs("send_push_notification", lambda raw: shown(raw, NO_KEY))
    assert (values, problems, warnings) == ({}, [], [])
    assert merge("send_push_notification", {"title": "x"}, {}) == ({"title": "x"}, {})


def test_an_end_of_a_stream_gets_no_empty_content_state() -> None:
    got, _ = merge("end_live_activity_stream", None, {"link-to-run": RUN})
    assert got == {"action": {"title": "View run", "type": "open_url", "url": RUN}}
    assert Inputs(action="end_live_activity_stream", api_key="k").quick == {}
