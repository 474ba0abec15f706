"""Auto-end through the runner's own handoff: the main container writes GITHUB_STATE, the post container
(`--entrypoint` = action.yml's post-entrypoint) gets each entry as `STATE_<name>`, every container of the job
shares HOME, and the phone (the local service's `/_mock/devices`) shows the result.

The runner runs a post step only when `post-if` (`failure() || cancelled()`) holds; each test here plays a
job that failed or was cancelled, so it runs the post steps, last step first as the runner does.
"""

from __future__ import annotations

import pytest

from tests.container.docker_runner import RunnerSandbox, StepResult
from tests.support.service import LocalService

pytestmark = pytest.mark.docker

SEGMENTED = (
    "content_state:\n  title: Deploying your-org/your-app\n  subtitle: Building\n"
    "  type: segmented_progress\n  number_of_steps: 3\n  current_step: 1\n  color: blue\n"
)


def common(service: LocalService) -> dict[str, str]:
    return {"api-key": service.api_key, "base-url": service.base_url}


def activities(service: LocalService) -> dict[str, dict]:
    (device,) = service.devices()["devices"]
    return {activity["activity_id"]: activity for activity in device["live_activities"]}


def calls(service: LocalService) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in service.requests() if r["path"] != "/api/health"]


def start(sandbox: RunnerSandbox, image: str, service: LocalService, **extra: str) -> StepResult:
    step = sandbox.run_step(
        image, common(service) | {"action": "start_live_activity", "payload": SEGMENTED} | extra
    )
    assert step.exit_code == 0, step.log
    return step


def assert_quiet_success(post: StepResult, key: str) -> None:
    assert post.exit_code == 0, post.log
    assert "::error" not in post.stdout and "::warning" not in post.stdout, post.log
    assert "Traceback" not in post.log
    assert post.log.count(key) == 1, "the key appears only in the ::add-mask:: command"


def test_start_then_failure_ends_the_activity_in_red(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    begun = start(sandbox, action_image, service)
    activity_id = begun.outputs["live_activity_id"]
    assert set(begun.state) == {"auto_end"}, "one entry for the post step"
    assert service.api_key not in begun.state["auto_end"], (
        "the key is never saved: the post step gets its input"
    )
    assert activities(service)[activity_id]["status"] == "active"

    post = sandbox.run_post(action_image, common(service) | {"action": "start_live_activity"}, begun.state)
    assert_quiet_success(post, service.api_key)
    assert f"Job deploy of Deploy failed; ending Live Activity {activity_id}" in post.stdout
    shown = activities(service)[activity_id]
    assert shown["status"] == "ended"
    state = shown["content_state"]
    assert (state["color"], state["step_color"]) == ("red", "red")
    assert state["subtitle"] == "Job deploy of Deploy failed"
    assert (state["title"], state["current_step"]) == ("Deploying your-org/your-app", 1)
    assert shown["dismiss_at"] is not None, "a short auto-dismiss"
    (end,) = [r for r in service.requests() if r["path"] == "/api/live-activity/end"]
    assert end["body"]["activity_id"] == activity_id
    assert end["body"]["content_state"]["auto_dismiss_minutes"] == 2
    assert "end_live_activity" in post.summary


def test_an_end_step_that_succeeded_leaves_the_post_step_nothing_to_do(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    begun = start(sandbox, action_image, service)
    activity_id = begun.outputs["live_activity_id"]
    ended = sandbox.run_step(
        action_image,
        common(service)
        | {
            "action": "end_live_activity",
            "live-activity-id": activity_id,
            "payload": "content_state:\n  title: Deployed\n  current_step: 3\n  step_color: green\n",
        },
    )
    assert ended.exit_code == 0, ended.log
    assert ended.state == {}, "an end step starts nothing: its own post step has nothing to end"
    before = calls(service)

    # the job fails later; posts run last step first
    end_post = sandbox.run_post(action_image, common(service) | {"action": "end_live_activity"}, ended.state)
    start_post = sandbox.run_post(
        action_image, common(service) | {"action": "start_live_activity"}, begun.state
    )
    for post in (end_post, start_post):
        assert_quiet_success(post, service.api_key)
    assert "nothing to end: this step saved no Live Activity for its post step" in end_post.stdout
    assert (
        f"Live Activity {activity_id} was already ended by a later end_live_activity step "
        "(the API answered success)" in start_post.stdout
    )
    assert calls(service) == before, "the post steps sent nothing"
    state = activities(service)[activity_id]["content_state"]
    assert (state["title"], state["step_color"]) == ("Deployed", "green"), "the end step's state stays"


def test_an_update_to_the_last_step_counts_as_finished(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    begun = start(sandbox, action_image, service)
    activity_id = begun.outputs["live_activity_id"]
    last = sandbox.run_step(
        action_image,
        common(service)
        | {
            "action": "update_live_activity",
            "live-activity-id": activity_id,
            "title": "Deployed",
            "current-step": "3",
        },
    )
    assert last.exit_code == 0, last.log
    before = calls(service)
    post = sandbox.run_post(action_image, common(service) | {"action": "start_live_activity"}, begun.state)
    assert_quiet_success(post, service.api_key)
    assert "an accepted update reached its last step (3 of 3)" in post.stdout
    assert calls(service) == before


def test_a_failed_end_step_leaves_the_activity_to_the_post_step(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    """Only answers count: an end step whose request failed recorded nothing, so the post step ends it."""
    begun = start(sandbox, action_image, service)
    activity_id = begun.outputs["live_activity_id"]
    service.fault(path="/api/live-activity/end", status=500, count=1)
    failed = sandbox.run_step(
        action_image,
        common(service)
        | {
            "action": "end_live_activity",
            "live-activity-id": activity_id,
            "retries": "0",
            "payload": "content_state:\n  title: Deployed\n  current_step: 3\n",
        },
    )
    assert failed.exit_code == 1
    post = sandbox.run_post(action_image, common(service) | {"action": "start_live_activity"}, begun.state)
    assert_quiet_success(post, service.api_key)
    shown = activities(service)[activity_id]
    assert (shown["status"], shown["content_state"]["color"]) == ("ended", "red")


def test_two_starts_in_one_job_each_post_step_ends_only_its_own(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    first = start(sandbox, action_image, service)
    second = start(sandbox, action_image, service, payload=SEGMENTED.replace("Deploying", "Migrating"))
    first_id, second_id = first.outputs["live_activity_id"], second.outputs["live_activity_id"]
    assert first_id != second_id

    # the runner runs post steps in reverse order: the second start's first
    post = sandbox.run_post(action_image, common(service) | {"action": "start_live_activity"}, second.state)
    assert_quiet_success(post, service.api_key)
    shown = activities(service)
    assert (shown[second_id]["status"], shown[first_id]["status"]) == ("ended", "active")

    post = sandbox.run_post(action_image, common(service) | {"action": "start_live_activity"}, first.state)
    assert_quiet_success(post, service.api_key)
    shown = activities(service)
    assert {shown[first_id]["status"], shown[second_id]["status"]} == {"ended"}
    assert shown[first_id]["content_state"]["title"].startswith("Deploying")
    ends = [r["body"]["activity_id"] for r in service.requests() if r["path"] == "/api/live-activity/end"]
    assert ends == [second_id, first_id], "each post step ended its own activity, once"


def test_auto_end_false_saves_nothing_and_the_post_step_ends_nothing(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    begun = start(sandbox, action_image, service, **{"auto-end": "false"})
    assert begun.state == {}
    before = calls(service)
    post = sandbox.run_post(
        action_image, common(service) | {"action": "start_live_activity", "auto-end": "false"}, begun.state
    )
    assert_quiet_success(post, service.api_key)
    assert calls(service) == before
    assert activities(service)[begun.outputs["live_activity_id"]]["status"] == "active"


def test_a_stream_started_by_the_step_is_ended_when_the_job_is_cancelled(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    stream = common(service) | {"action": "stream_live_activity", "stream-key": "prod-web-1"}
    payload = (
        "content_state:\n  title: prod-web-1\n  type: metrics\n  metrics:\n    - {label: CPU, value: 41}\n"
    )
    first = sandbox.run_step(action_image, stream | {"payload": payload})
    assert first.exit_code == 0, first.log
    assert first.outputs["operation"] == "started"
    again = sandbox.run_step(action_image, stream | {"payload": payload.replace("41", "58")})
    assert again.outputs["operation"] == "updated"
    assert again.state == {}, "only the PUT that started the stream hands it to its post step"

    post = sandbox.run_post(action_image, stream | {"payload": payload}, first.state, job_status="cancelled")
    assert_quiet_success(post, service.api_key)
    assert calls(service)[-1] == ("DELETE", "/api/live-activity/stream/prod-web-1")
    shown = activities(service)[first.outputs["live_activity_id"]]
    assert shown["status"] == "ended"
    assert (shown["content_state"]["color"], shown["content_state"]["subtitle"]) == (
        "red",
        "Job deploy of Deploy was cancelled",
    )


def test_auto_end_payload_sets_the_final_state_and_is_checked_before_starting(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    wrong = sandbox.run_step(
        action_image,
        common(service)
        | {
            "action": "start_live_activity",
            "payload": SEGMENTED,
            "auto-end-payload": "content_state: {color: pink}",
        },
    )
    assert wrong.exit_code == 1
    assert "auto-end-payload.content_state.color: must be one of" in wrong.stdout
    assert calls(service) == [], "a final state the API would refuse fails the step before it starts anything"

    # placeholders are filled from the start step's env: (the post step runs with the same step env)
    chosen = "content_state:\n  subtitle: Rolled back {{ env.RELEASE }}\n  color: orange\n"
    with_ = common(service) | {
        "action": "start_live_activity",
        "payload": SEGMENTED,
        "auto-end-payload": chosen,
    }
    begun = sandbox.run_step(action_image, with_, env={"RELEASE": "v1.4.2"})
    assert begun.exit_code == 0, begun.log
    post = sandbox.run_post(action_image, with_, begun.state, env={"RELEASE": "v1.4.2"})
    assert_quiet_success(post, service.api_key)
    state = activities(service)[begun.outputs["live_activity_id"]]["content_state"]
    assert (state["subtitle"], state["color"], state["step_color"]) == ("Rolled back v1.4.2", "orange", "red")
