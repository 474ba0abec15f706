"""entrypoint.py as a subprocess with runner-like env, against the local service over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.markdown import shown
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService


def act(service: LocalService, action: str, payload: str | None = None, **extra: str) -> Result:
    inputs = {"action": action, "api-key": service.api_key, "base-url": service.base_url, **extra}
    if payload is not None:
        inputs["payload"] = payload
    return run_action(inputs)


def assert_clean(result: Result, service: LocalService) -> None:
    """No traceback, and the key nowhere but the single add-mask line."""
    everything = result.stdout + result.stderr + result.summary + json.dumps(result.outputs)
    assert "Traceback" not in everything
    assert everything.count(service.api_key) == 1
    assert result.stdout.startswith(f"::add-mask::{service.api_key}\n")


def test_push_notification(service: LocalService) -> None:
    result = act(service, "send_push_notification", "title: Build passed\nmessage: on main", channels="ops")
    assert result.returncode == 0, result.stdout
    assert_clean(result, service)
    assert result.outputs["ok"] == "true" and result.outputs["status"] == "200"
    assert result.outputs["attempts"] == "1" and result.outputs["error"] == ""
    assert json.loads(result.outputs["response"])["success"] is True
    sent = service.requests()[-1]
    assert sent["body"] == {"title": "Build passed", "message": "on main", "target": {"channels": ["ops"]}}
    assert sent["headers"].get("user-agent", sent["headers"].get("User-Agent")) == (
        "activitysmith-action-python/1.0.0"
    )
    pushes = service.devices()["devices"][0]["pushes"]
    assert pushes[-1]["title"] == "Build passed"
    assert "| Request | `POST /push-notification` |" in result.summary


def summary_rows(summary: str) -> dict[str, str]:
    """The job summary's `| name | value |` table as a dict, as a reader sees it (escapes resolved)."""
    rows = [
        line.split(" | ") for line in shown(summary).splitlines() if line.startswith("| ") and " | " in line
    ]
    return {cells[0][2:]: cells[1].removesuffix(" |") for cells in rows if len(cells) == 2}


def test_summary_shows_what_was_sent_and_what_came_back(service: LocalService) -> None:
    payload = _payload("segmented_progress", {"number_of_steps": 5, "current_step": 3}, True)
    result = act(service, "stream_live_activity", payload, channels="ops", **{"stream-key": "sum"})
    assert result.returncode == 0, result.stdout
    rows = summary_rows(result.summary)
    assert rows["Request"] == "`PUT /live-activity/stream/sum`" and rows["Status"] == "200"
    assert rows["Operation"] == "started" and rows["Activity id"] == result.outputs["live_activity_id"]
    assert rows["Channels"] == "ops" and rows["Attempts"] == "1"
    assert rows["Duration"].endswith(" s") and float(rows["Duration"][:-2]) >= 0
    assert "```text\nsegmented_progress demo\n▰▰▰▱▱ step 3 of 5\n```" in result.summary


def test_summary_of_a_failed_delivery_has_status_attempts_and_duration(service: LocalService) -> None:
    service.fault(path="/api/badge", count=3, status=503, retry_after=0)
    result = act(service, "update_app_icon_badge_count", "badge: 2", retries="2")
    assert result.returncode == 1
    rows = summary_rows(result.summary)
    assert rows["Status"] == "503" and rows["Attempts"] == "3"
    assert rows["Channels"] == "all recipients of the key"
    assert rows["Duration"].endswith(" s") and float(rows["Duration"][:-2]) >= 0


def test_summary_of_a_refused_payload_names_the_action_and_lists_only_the_problems(
    service: LocalService,
) -> None:
    result = act(
        service,
        "start_live_activity",
        "content_state: {title: T, type: segmented_progress, number_of_steps: 3, current_step: 5, "
        "color: pink}",
    )
    assert result.returncode == 1
    assert result.summary.startswith("### ActivitySmith `start_live_activity`: ❌ failed\n")
    assert summary_rows(result.summary) == {}, "nothing was planned: no table of empty rows"
    assert "- payload.content_state.current_step: must be ≤ number_of_steps (3); got 5" in shown(
        result.summary
    )
    assert "- payload.content_state.color: must be one of:" in shown(result.summary)
    # an unknown action is not echoed into the summary's Markdown heading
    unknown = act(service, "start_live_activity`<b>x</b>", "title: x")
    assert unknown.returncode == 1
    assert unknown.summary.startswith("### ActivitySmith: ❌ failed\n")
    assert service.requests() == []


def test_summary_names_no_channels_for_requests_that_take_none(service: LocalService) -> None:
    result = act(service, "update_metric_value", "value: 1", **{"metric-key": "deploy.success_rate"})
    assert result.returncode == 0, result.stdout
    assert summary_rows(result.summary)["Channels"] == "—"


STATES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]] = {
    "segmented_progress": (
        {"number_of_steps": 5, "current_step": 1},
        {"number_of_steps": 5, "current_step": 3},
        {"current_step": 5},
        "▰▰▰▱▱ step 3 of 5",
    ),
    "progress": ({"percentage": 10}, {"percentage": 80}, {"percentage": 100}, "████████░░ 80%"),
    "metrics": (
        {"metrics": [{"label": "CPU", "value": 1, "unit": "%"}]},
        {"metrics": [{"label": "CPU", "value": 27, "unit": "%"}, {"label": "MEM", "value": 64, "unit": "%"}]},
        {},
        "CPU 27% · MEM 64%",
    ),
    "stats": (
        {"metrics": [{"label": "Orders", "value": 3}]},
        {"metrics": [{"label": "Orders", "value": 9}]},
        {},
        "Orders 9",
    ),
    "alert": ({"message": "Starting"}, {"message": "Halfway"}, {"message": "Done"}, "⚠ Halfway"),
    "timer": ({"duration_seconds": 300}, {"is_running": False}, {}, "⏱ timer (paused)"),
    "value": ({"value": "$10"}, {"value": "$1,240"}, {"value": "$2,000"}, "$1,240"),
}


def _payload(kind: str, fields: dict[str, Any], with_type: bool) -> str:
    state = {"title": f"{kind} demo", **({"type": kind} if with_type else {}), **fields}
    return json.dumps({"content_state": state})


@pytest.mark.parametrize("kind", list(STATES))
def test_legacy_live_activity_lifecycle_for_every_type(service: LocalService, kind: str) -> None:
    start, update, end, picture = STATES[kind]
    started = act(service, "start_live_activity", _payload(kind, start, True))
    assert started.returncode == 0, started.stdout
    activity = started.outputs["live_activity_id"]
    assert activity
    updated = act(
        service, "update_live_activity", _payload(kind, update, True), **{"live-activity-id": activity}
    )
    assert updated.returncode == 0, updated.stdout
    assert picture in updated.summary
    ended = act(service, "end_live_activity", _payload(kind, end, True), **{"live-activity-id": activity})
    assert ended.returncode == 0, ended.stdout
    assert_clean(ended, service)
    bodies = [r["body"] for r in service.requests() if r["path"].startswith("/api/live-activity/")]
    assert bodies[1]["activity_id"] == activity == bodies[2]["activity_id"]
    shown = {a["activity_id"]: a for d in service.devices()["devices"] for a in d["live_activities"]}
    assert activity not in shown or shown[activity]["status"] == "ended"


@pytest.mark.parametrize("kind", list(STATES))
def test_stream_for_every_type(service: LocalService, kind: str) -> None:
    start, update, _, _ = STATES[kind]
    first = act(service, "stream_live_activity", _payload(kind, start, True), **{"stream-key": f"s-{kind}"})
    assert first.returncode == 0, first.stdout
    assert first.outputs["operation"] == "started" and first.outputs["live_activity_id"]
    second = act(
        service,
        "stream_live_activity",
        _payload(kind, {**start, **update}, True),
        **{"stream-key": f"s-{kind}"},
    )
    assert second.returncode == 0 and second.outputs["operation"] in ("updated", "noop")
    done = act(service, "end_live_activity_stream", **{"stream-key": f"s-{kind}"})
    assert done.returncode == 0, done.stdout
    assert done.outputs["operation"] == "ended"
    assert [r["method"] for r in service.requests()] == ["PUT", "PUT", "DELETE"]
    assert service.requests()[-1]["body"] is None


def test_stream_noop_gets_a_notice(service: LocalService) -> None:
    payload = _payload("value", {"value": 5}, True)
    act(service, "stream_live_activity", payload, **{"stream-key": "same"})
    again = act(service, "stream_live_activity", payload, **{"stream-key": "same"})
    assert again.outputs["operation"] == "noop"
    assert "::notice title=ActivitySmith::stream unchanged (operation noop)" in again.stdout


def test_stream_paused_gets_a_notice(service: LocalService) -> None:
    answer = {
        "success": True,
        "operation": "paused",
        "stream_key": "held",
        "activity_id": None,
        "timestamp": "2026-01-28T09:57:22.929Z",
    }
    service.fault(
        path="/api/live-activity/stream/held",
        count=1,
        status=200,
        body=json.dumps(answer),
        content_type="application/json",
    )
    result = act(
        service, "stream_live_activity", _payload("value", {"value": 5}, True), **{"stream-key": "held"}
    )
    assert result.returncode == 0, result.stdout
    assert result.outputs["ok"] == "true" and result.outputs["operation"] == "paused"
    assert result.outputs["live_activity_id"] == ""
    assert "::notice title=ActivitySmith::stream paused (operation paused)" in result.stdout
    assert_clean(result, service)


def test_metric_and_badge(service: LocalService) -> None:
    metric = act(service, "update_metric_value", "value: 99.9", **{"metric-key": "deploy.success_rate"})
    assert metric.returncode == 0, metric.stdout
    assert service.metrics()  # the operator view answers
    badge = act(service, "update_app_icon_badge_count", "badge: 3", channels="ops")
    assert badge.returncode == 0, badge.stdout
    assert service.requests()[-1]["body"] == {"badge": 3, "target": {"channels": ["ops"]}}
    assert service.devices()["devices"][0]["badge"] == 3


def test_payload_file(service: LocalService, tmp_path: Path) -> None:
    (tmp_path / "push.json").write_text('{"title": "From a file"}')
    result = run_action(
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload-file-path": "push.json",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout
    assert service.requests()[-1]["body"] == {"title": "From a file"}


def test_base_url_from_environment(service: LocalService) -> None:
    result = run_action(
        {"action": "send_push_notification", "api-key": service.api_key, "payload": "title: x"},
        env={"ACTIVITYSMITH_BASE_URL": service.base_url},
    )
    assert result.returncode == 0, result.stdout
    assert len(service.requests()) == 1


def test_dry_run_sends_nothing_and_redacts_the_key(service: LocalService) -> None:
    result = act(service, "send_push_notification", "title: x", **{"dry-run": "true"})
    assert result.returncode == 0 and service.requests() == []
    assert_clean(result, service)
    plan = json.loads(result.outputs["response"])
    assert plan["headers"]["Authorization"] == "Bearer ***"
    assert plan["url"] == f"{service.base_url}/push-notification" and plan["body"] == {"title": "x"}


@pytest.mark.parametrize(
    ("inputs", "annotation"),
    [
        ({"action": "explode"}, "::error title=ActivitySmith invalid_input::action: must be one of: "),
        (
            {"action": "stream_live_activity", "stream-key": "../push-notification"},
            "::error title=ActivitySmith invalid_input::stream-key: must be 1-255 "
            "letters, digits, '_' or '-' "
            '(it becomes part of the request URL); got "../push-notification" [invalid_input]',
        ),
        (
            {"action": "send_push_notification", "payload-file-path": "x.yml"},
            "::error title=ActivitySmith invalid_input::payload: give either payload or "
            "payload-file-path, not both "
            "[invalid_input]",
        ),
        (
            {"action": "send_push_notification", "errors": "maybe"},
            '::error title=ActivitySmith invalid_input::errors: must be true or false; got "maybe" '
            "[invalid_input]",
        ),
        (
            {"action": "send_push_notification", "payload": "title: a\ntitle: b"},
            '::error title=ActivitySmith payload_syntax::payload: duplicate key "title" (line 2) '
            "[payload_syntax]",
        ),
        (
            {
                "action": "start_live_activity",
                "payload": "content_state: {title: D, type: segmented_progress, "
                "number_of_steps: 5, current_step: 7}",
            },
            "::error title=ActivitySmith invalid_payload::payload.content_state.current_step: must be ≤ "
            "number_of_steps (5); got 7 [invalid_payload]",
        ),
    ],
)
def test_bad_input_fails_before_any_request(
    service: LocalService, inputs: dict[str, str], annotation: str
) -> None:
    result = act(service, **{"payload": "title: x", **inputs})  # type: ignore[arg-type]
    assert result.returncode == 1
    assert annotation in result.stdout
    assert_clean(result, service)
    assert service.requests() == []
    assert result.outputs["ok"] == "false"


def test_bad_input_fails_even_with_errors_false(service: LocalService) -> None:
    result = act(service, "send_push_notification", "title: [", errors="false")
    assert result.returncode == 1 and service.requests() == []


def test_api_error_fails_the_step_and_errors_false_keeps_going(service: LocalService) -> None:
    result = act(service, "send_push_notification", "title: x", channels="no-such-channel")
    assert result.returncode == 1
    status = result.outputs["status"]
    assert status.startswith("4")
    assert f"::error title=ActivitySmith api_error::HTTP {status}: " in result.stdout
    assert_clean(result, service)
    soft = act(service, "send_push_notification", "title: x", channels="no-such-channel", errors="false")
    assert soft.returncode == 0 and soft.outputs["ok"] == "false"
    assert f"::error title=ActivitySmith api_error::HTTP {status}: " in soft.stdout
    assert "::warning title=ActivitySmith::the request failed but errors: false" in soft.stdout


def test_wrong_key_is_401_and_never_echoed(service: LocalService) -> None:
    result = run_action(
        {
            "action": "send_push_notification",
            "api-key": "ask_wrong_key_ZZZZ",
            "payload": "title: x",
            "base-url": service.base_url,
        }
    )
    assert result.returncode == 1 and result.outputs["status"] == "401"
    assert (result.stdout + result.summary + json.dumps(result.outputs)).count("ask_wrong_key_ZZZZ") == 1


def test_safe_request_is_retried_after_503(service: LocalService) -> None:
    service.fault(path="/api/live-activity/stream/retry-me", count=1, status=503, retry_after=0)
    result = act(
        service, "stream_live_activity", _payload("value", {"value": 1}, True), **{"stream-key": "retry-me"}
    )
    assert result.returncode == 0, result.stdout
    assert result.outputs["attempts"] == "2"
    assert [r["status"] for r in service.requests()] == [503, 200]


def test_push_is_not_repeated_after_502(service: LocalService) -> None:
    service.fault(path="/api/push-notification", count=1, status=502, phase="after")
    result = act(service, "send_push_notification", "title: once")
    assert result.returncode == 1
    assert "[maybe_delivered]" in result.stdout and result.outputs["attempts"] == "1"
    assert len(service.requests()) == 1


def test_push_retried_after_429_with_retry_after(service: LocalService) -> None:
    service.fault(path="/api/push-notification", count=1, status=429, retry_after=0)
    result = act(service, "send_push_notification", "title: twice")
    assert result.returncode == 0, result.stdout
    assert result.outputs["attempts"] == "2"


def test_unreachable_service(service: LocalService) -> None:
    result = run_action(
        {
            "action": "update_app_icon_badge_count",
            "api-key": service.api_key,
            "payload": "badge: 1",
            "base-url": "http://127.0.0.1:9/api",
            "retries": "1",
            "timeout": "1",
        }
    )
    assert result.returncode == 1 and "[unreachable]" in result.stdout
    assert result.outputs["attempts"] == "2"


def test_server_text_echoing_the_key_is_scrubbed(service: LocalService) -> None:
    body = json.dumps({"error": "Bad", "message": f"key {service.api_key} rejected"})
    service.fault(path="/api/badge", count=1, status=400, body=body, content_type="application/json")
    result = act(service, "update_app_icon_badge_count", "badge: 1")
    assert result.returncode == 1
    assert "key *** rejected" in result.stdout
    assert_clean(result, service)


def test_stream_channels_target_mismatch_is_refused_before_sending(service: LocalService) -> None:
    payload = json.dumps(
        {
            "content_state": {"title": "T", "type": "value", "value": 1},
            "channels": ["ops"],
            "target": {"channels": ["web"]},
        }
    )
    result = act(service, "stream_live_activity", payload, **{"stream-key": "both"})
    assert result.returncode == 1
    assert (
        "::error title=ActivitySmith invalid_payload::payload.target.channels: must name the same channels "
        'as payload.channels when both are given; got ["web"] and payload.channels ["ops"]'
    ) in result.stdout
    assert_clean(result, service)
    assert service.requests() == []


def test_metric_timestamp_that_is_not_a_date_time_is_refused_before_sending(service: LocalService) -> None:
    result = act(service, "update_metric_value", "value: 3\ntimestamp: yesterday", **{"metric-key": "m"})
    assert result.returncode == 1
    assert (
        "::error title=ActivitySmith invalid_payload::payload.timestamp: must be an ISO 8601 date and time "
        'such as 2026-01-28T09:57:22Z; got "yesterday" [invalid_payload]'
    ) in result.stdout
    assert_clean(result, service)
    assert service.requests() == []


# What each Live Activity type needs when it starts, left out one at a time (docs/api.md, "Live Activity
# types and what each phase needs").
MISSING_AT_START = {
    "segmented_progress": ({"current_step": 1}, "number_of_steps"),
    "progress": ({}, "percentage"),
    "metrics": ({}, "metrics"),
    "stats": ({}, "metrics"),
    "alert": ({}, "message"),
    "timer": ({}, "duration_seconds"),
    "value": ({}, "value"),
}


@pytest.mark.parametrize("kind", list(MISSING_AT_START))
def test_missing_start_field_for_each_live_activity_type_is_named(service: LocalService, kind: str) -> None:
    fields, missing = MISSING_AT_START[kind]
    result = act(service, "start_live_activity", _payload(kind, fields, True))
    assert result.returncode == 1
    assert (
        f"::error title=ActivitySmith invalid_payload::payload.content_state.{missing}: "
        f"is required for type {kind} when starting"
    ) in result.stdout
    assert_clean(result, service)
    assert service.requests() == [] and result.outputs["ok"] == "false"


@pytest.mark.parametrize(
    ("action", "extra", "payload", "annotation"),
    [
        (
            "update_live_activity",
            {},
            "content_state: {title: x}",
            "missing_input::live-activity-id: is required",
        ),
        (
            "end_live_activity",
            {},
            "content_state: {title: x}",
            "missing_input::live-activity-id: is required",
        ),
        ("stream_live_activity", {}, "content_state: {title: x}", "missing_input::stream-key: is required"),
        ("end_live_activity_stream", {}, None, "missing_input::stream-key: is required"),
        ("update_metric_value", {}, "value: 1", "missing_input::metric-key: is required"),
        ("send_push_notification", {}, None, "missing_input::payload: is required"),
        ("send_push_notification", {"api-key": ""}, "title: x", "missing_input::api-key: is required"),
        ("send_push_notification", {}, "- a list", "payload_syntax::payload: must be a mapping"),
        ("send_push_notification", {}, "just text", "payload_syntax::payload: must be a mapping"),
        (
            "send_push_notification",
            {},
            "title: x\npayload: " + "{a: " * 40 + "1" + "}" * 40,
            "payload_syntax::payload: nested deeper than 32 levels",
        ),
        (
            "update_live_activity",
            {"live-activity-id": "A1"},
            "content_state: {title: x, type: progress, percentage: '50'}",
            'invalid_payload::payload.content_state.percentage: must be a number; got "50"',
        ),
        (
            "start_live_activity",
            {},
            "content_state: {title: x, type: metrics, metrics: [{label: CPU, value: true}]}",
            "invalid_payload::payload.content_state.metrics[0].value: must be a number or a string",
        ),
        (
            "send_push_notification",
            {},
            "title: x\nredirection: itms-services://?action=download-manifest",
            "invalid_payload::payload.redirection: the itms-services: scheme is blocked",
        ),
        (
            "update_app_icon_badge_count",
            {},
            "badge: '3'",
            'invalid_payload::payload.badge: must be a whole number; got "3"',
        ),
    ],
)
def test_each_bad_input_class_fails_cleanly_before_any_request(
    service: LocalService, action: str, extra: dict[str, str], payload: str | None, annotation: str
) -> None:
    result = act(service, action, payload, **extra)
    assert result.returncode == 1
    assert f"::error title=ActivitySmith {annotation}" in result.stdout
    if "api-key" in extra:  # no key given: nothing to mask, and the service's key must not appear either
        everything = result.stdout + result.stderr + result.summary + json.dumps(result.outputs)
        assert "Traceback" not in everything and service.api_key not in everything
    else:
        assert_clean(result, service)
    assert service.requests() == [] and result.outputs["ok"] == "false"


def test_oversize_payload_file_fails_cleanly(service: LocalService, tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps({"title": "x", "message": "m" * (256 * 1024)}))
    result = run_action(
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload-file-path": "big.json",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        "::error title=ActivitySmith payload_file::payload-file-path: is larger than 256 KiB" in result.stdout
    )
    assert_clean(result, service)
    assert service.requests() == []
