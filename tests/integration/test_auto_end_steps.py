"""Auto-end as processes: entrypoint.py and post_entrypoint.py in subprocesses with the runner's handoff
(GITHUB_STATE parsed, handed back as STATE_*; one HOME for the job), against the local service.

The container tests (tests/container/test_auto_end.py) prove the same through the image; these cover the post
step's other endings quickly: nothing saved, a failed end, `errors: false`, an activity already gone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from activitysmith_action.autoend import NOTHING_SAVED
from tests.support.run_action import POST_ENTRYPOINT, Result, run_action
from tests.support.runner_files import parse_env_file
from tests.support.service import LocalService

START = "content_state:\n  title: Release\n  type: progress\n  percentage: 10\n"


@pytest.fixture
def job(tmp_path: Path) -> dict[str, str]:
    """What every step of one job shares: HOME and the run and job ids (the journal's key)."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "GITHUB_RUN_ID": "9", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "release",
            "GITHUB_WORKFLOW": "Release"}  # fmt: skip


def main_step(service: LocalService, job: dict[str, str], **inputs: str) -> tuple[Result, dict[str, str]]:
    given = {"api-key": service.api_key, "base-url": service.base_url} | inputs
    result = run_action(given, env=job)
    return result, parse_env_file(result.state)


def post_step(
    service: LocalService, job: dict[str, str], state: dict[str, str], status: str = "failure", **inputs: str
) -> Result:
    given = {"api-key": service.api_key, "base-url": service.base_url, "job-status": status} | inputs
    return run_action(given, env=job, script=POST_ENTRYPOINT, state=state)


def only_activity(service: LocalService) -> dict:
    (activity,) = service.devices()["devices"][0]["live_activities"]
    return activity


def sent(service: LocalService) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in service.requests() if r["path"] != "/api/health"]


def test_start_update_then_failure_ends_at_the_last_known_progress(
    service: LocalService, job: dict[str, str]
) -> None:
    started, state = main_step(service, job, action="start_live_activity", payload=START)
    assert started.returncode == 0, started.stdout
    assert (
        "auto-end: if this job fails or is cancelled, this step's post step ends Live Activity"
        in started.stdout
    )
    activity_id = started.outputs["live_activity_id"]
    updated, _ = main_step(service, job, action="update_live_activity", **{"live-activity-id": activity_id},
                           title="Release", percentage="60")  # fmt: skip
    assert updated.returncode == 0, updated.stdout

    post = post_step(service, job, state, action="start_live_activity")
    assert post.returncode == 0, post.stdout
    assert post.stdout.count(service.api_key) == 1 and "::error" not in post.stdout
    ended = only_activity(service)
    assert ended["status"] == "ended"
    assert ended["content_state"] == {
        "title": "Release",
        "type": "progress",
        "percentage": 60,
        "subtitle": "Job release of Release failed",
        "color": "red",
    }


def test_with_nothing_saved_the_post_step_exits_quietly(service: LocalService, job: dict[str, str]) -> None:
    """What act does (it passes no STATE_* to a container action's post step), and every step that started
    nothing: one line, no annotation, exit 0, no request."""
    post = post_step(service, job, {}, action="send_push_notification")
    assert post.returncode == 0
    assert post.stdout.splitlines()[1:] == [NOTHING_SAVED]
    assert "nothing to end: this step saved no Live Activity for its post step" in NOTHING_SAVED
    assert post.stderr == "" and sent(service) == []


def test_a_post_step_that_cannot_end_the_activity_fails_unless_errors_is_false(
    service: LocalService, job: dict[str, str]
) -> None:
    started, state = main_step(service, job, action="start_live_activity", payload=START, retries="0")
    assert started.returncode == 0, started.stdout
    service.fault(path="/api/live-activity/end", status=503, count=1)
    post = post_step(service, job, state, action="start_live_activity")
    assert post.returncode == 1, "the activity would stay stuck: that is really wrong"
    assert "::error title=ActivitySmith api_error::HTTP 503" in post.stdout
    assert only_activity(service)["status"] == "active"

    _, quiet_state = main_step(service, job, action="start_live_activity", payload=START, retries="0",
                               errors="false")  # fmt: skip
    assert json.loads(quiet_state["auto_end"])["errors"] is False
    service.fault(path="/api/live-activity/end", status=503, count=1)
    post = post_step(service, job, quiet_state, action="start_live_activity", errors="false")
    assert post.returncode == 0
    assert "::warning title=ActivitySmith::the request failed but errors: false" in post.stdout


def test_an_activity_that_is_already_gone_is_not_an_error(service: LocalService, job: dict[str, str]) -> None:
    state = {
        "auto_end": json.dumps(
            {
                "target": {"kind": "activity", "ident": "no-such-activity"},
                "known": {"title": "Release", "type": "progress", "percentage": 5},
                "override": {},
                "base_url": service.base_url,
                "timeout": 5,
                "retries": 0,
                "errors": True,
                "summary": True,
            }
        )
    }
    post = post_step(service, job, state)
    assert post.returncode == 0, post.stdout
    assert (
        "::notice title=ActivitySmith::auto-end: Live Activity no-such-activity is already gone (HTTP 404"
        in (post.stdout)
    )


def test_unreadable_state_is_a_warning_not_a_failure(service: LocalService, job: dict[str, str]) -> None:
    post = post_step(service, job, {"auto_end": "{not json"})
    assert post.returncode == 0
    assert (
        "::warning title=ActivitySmith::auto-end: the state this step saved for its post step is unreadable"
        in (post.stdout)
    )
    assert sent(service) == []


def test_a_stream_ended_by_a_later_delete_step_is_left_alone(
    service: LocalService, job: dict[str, str]
) -> None:
    key = {"stream-key": "nightly"}
    payload = "content_state:\n  title: Nightly\n  type: segmented_progress\n"
    payload += "  number_of_steps: 4\n  current_step: 1\n"
    first, state = main_step(service, job, action="stream_live_activity", payload=payload, **key)
    assert first.outputs["operation"] == "started" and set(state) == {"auto_end"}
    ended, _ = main_step(service, job, action="end_live_activity_stream", **key)
    assert ended.outputs["operation"] == "ended"
    before = sent(service)
    post = post_step(service, job, state, action="stream_live_activity", **key)
    assert post.returncode == 0
    assert "stream nightly was already ended by a later end_live_activity_stream step" in post.stdout
    assert sent(service) == before


def test_a_stream_started_again_after_an_end_is_ended_again(
    service: LocalService, job: dict[str, str]
) -> None:
    """A DELETE then a new PUT starts a new activity on the key: the new start clears the old end record."""
    key = {"stream-key": "nightly"}
    payload = "content_state:\n  title: Nightly\n  type: metrics\n  metrics: [{label: Jobs, value: 3}]\n"
    main_step(service, job, action="stream_live_activity", payload=payload, **key)
    main_step(service, job, action="end_live_activity_stream", **key)
    again, state = main_step(service, job, action="stream_live_activity", payload=payload, **key)
    assert again.outputs["operation"] == "started"
    post = post_step(service, job, state, status="cancelled", action="stream_live_activity", **key)
    assert post.returncode == 0, post.stdout
    assert sent(service)[-1] == ("DELETE", "/api/live-activity/stream/nightly")
    activities = service.devices()["devices"][0]["live_activities"]
    latest = next(a for a in activities if a["activity_id"] == again.outputs["live_activity_id"])
    assert (latest["status"], latest["content_state"]["color"]) == ("ended", "red")


def test_a_stream_restarted_without_a_type_is_ended_with_what_its_type_needs(
    service: LocalService, job: dict[str, str]
) -> None:
    """The service lets a PUT after an end restart the stream without `type`; the journal keeps the type, so
    the final state still carries the current step a segmented activity needs to end."""
    key = {"stream-key": "release"}
    first = "content_state: {title: Release, type: segmented_progress, number_of_steps: 3, current_step: 1}"
    main_step(service, job, action="stream_live_activity", payload=first, **key)
    main_step(service, job, action="end_live_activity_stream", **key)
    again, state = main_step(
        service,
        job,
        action="stream_live_activity",
        payload="content_state: {title: Release, number_of_steps: 3, current_step: 2}",
        **key,
    )
    assert again.returncode == 0 and again.outputs["operation"] == "started", again.stdout
    post = post_step(service, job, state, action="stream_live_activity", **key)
    assert post.returncode == 0, post.stdout
    ended = service.requests()[-1]
    assert (ended["method"], ended["status"]) == ("DELETE", 200)
    assert ended["body"]["content_state"]["current_step"] == 2
    assert ended["body"]["content_state"]["type"] == "segmented_progress"


def test_the_host_variant_saves_nothing_and_says_auto_end_needs_the_container_variant(
    service: LocalService, job: dict[str, str]
) -> None:
    started, state = main_step(
        service, job | {"ACTIVITYSMITH_ACTION_VARIANT": "host"}, action="start_live_activity", payload=START
    )
    assert started.returncode == 0 and state == {}
    assert "auto-end is not available in the host variant" in started.stdout
