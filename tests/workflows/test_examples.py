"""Every example workflow, run by a real runner (act) exactly as users copy it, against the local service.

Assertions come from the service's side of the wire: the requests it received (method, path, body) and what
the phone shows at the end. The step-output chain is proven by update/end bodies carrying the id start got.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from activitysmith_action.autoend import NOTHING_SAVED
from tests.support.service import LocalService
from tests.workflows.conftest import ExampleRun

pytestmark = pytest.mark.docker

REPOSITORY = "your-org/your-app"


def only_activity(run: ExampleRun) -> dict:
    (device,) = run.devices
    (activity,) = device["live_activities"]
    return activity


def assert_key_never_logged(run: ExampleRun, service: LocalService) -> None:
    assert service.api_key not in run.log


def test_deployment_moves_a_segmented_live_activity_through_its_stages(
    run_example: Callable[..., ExampleRun], service: LocalService
) -> None:
    run = run_example("deployment.yml")
    assert run.exit_code == 0, run.log
    assert run.api_calls() == [
        ("POST", "/api/live-activity/start"),
        ("POST", "/api/live-activity/update"),
        ("POST", "/api/live-activity/end"),
    ]
    start, update, end = (r["body"] for r in run.requests)
    run_url = start["action"]["url"]
    assert start == {
        "content_state": {
            "title": f"Deploying {REPOSITORY}",
            "subtitle": "Ship it",  # the commit message, through env: and {{ env.COMMIT_MSG }}
            "type": "segmented_progress",
            "number_of_steps": 3,
            "current_step": 1,
            "color": "blue",
        },
        "action": {"title": "View run", "type": "open_url", "url": run_url},  # link-to-run
    }
    assert re.fullmatch(rf"https://github\.com/{REPOSITORY}/actions/runs/[0-9]+", run_url)
    activity = only_activity(run)
    assert update["activity_id"] == end["activity_id"] == activity["activity_id"]
    # the update is quick inputs only: no payload block
    assert update["content_state"] == {
        "title": f"Deploying {REPOSITORY}",
        "subtitle": "Deploying",
        "current_step": 2,
    }
    assert end["content_state"] == {
        "title": "Deployed",
        "subtitle": REPOSITORY,
        "current_step": 3,
        "step_color": "green",
        "auto_dismiss_minutes": 2,
    }
    assert activity["status"] == "ended"
    assert activity["content_state"]["title"] == "Deployed"
    assert activity["content_state"]["current_step"] == 3
    assert_key_never_logged(run, service)
    # auto-end's post steps (post-if: failure() || cancelled()) do not run when the job succeeds
    assert "Run Post" not in run.log and "auto-end: nothing to end" not in run.log
    assert f"this step's post step ends Live Activity {activity['activity_id']}" in run.log
    # a successful run prints the condensed log: steps, results, outputs; not act's docker chatter
    assert "Success - Main End the Live Activity" in run.stdout
    assert f"live_activity_id={activity['activity_id']}" in run.stdout
    assert "docker create" in run.log and "docker create" not in run.stdout


def test_deployment_that_fails_runs_the_post_steps_which_exit_quietly_under_act(
    run_example: Callable[..., ExampleRun], service: LocalService, tmp_path: Path
) -> None:
    """act runs post steps and honours post-if, but passes no STATE_* to a container action's post step (and
    its containers share no HOME): the post steps run, find nothing saved, say so and exit 0. The real
    runner's handoff, where the activity ends red, is tests/container/test_auto_end.py."""
    repository = tmp_path / "failing-deploy"
    (repository / "ci").mkdir(parents=True)
    (repository / "ci" / "deploy.sh").write_text(
        "#!/usr/bin/env bash\necho 'health check timed out' >&2\nexit 1\n"
    )
    (repository / "ci" / "deploy.sh").chmod(0o755)
    run = run_example("deployment.yml", "--repository-files", str(repository))
    assert run.exit_code != 0, "the deploy step fails, so the job (and act) must fail"
    assert "health check timed out" in run.log
    # no end step ran (it has no `if: always()`); nothing but the start and the update reached the service
    assert run.api_calls() == [("POST", "/api/live-activity/start"), ("POST", "/api/live-activity/update")]
    assert "Main End the Live Activity" not in run.log
    for step in ("Start the deployment Live Activity", "Move to the deploy stage"):
        assert f"Success - Post {step}" in run.log
    assert run.log.count(NOTHING_SAVED) == 2
    assert "::error" not in run.log.split("Failure - Main Deploy", 1)[1]
    assert_key_never_logged(run, service)


class WebhookReceiver:
    """Stands in for the https webhook origin: the service delivers there via `webhook_redirects`."""

    def __init__(self) -> None:
        received: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"null")})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                """Quiet: the test asserts on `received`."""

        self.received = received
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def tap(service: LocalService, action: int) -> dict:
    response = httpx.post(f"{service.root}/_mock/tap", json={"device": "iphone", "push": 0, "action": action})
    response.raise_for_status()
    return response.json()


def test_ci_failure_alert_pushes_a_notification_with_the_run_url_and_buttons(
    run_example: Callable[..., ExampleRun], service: LocalService, webhook_receiver: WebhookReceiver
) -> None:
    service.reset({"settings": {"webhook_redirects": {"https://ci-hooks.example.com": webhook_receiver.url}}})
    run = run_example("ci-failure-alert.yml")
    assert run.exit_code != 0, "the example's test step fails, so the job (and act) must fail"
    assert "test_refund_rounding" in run.log
    # a failed run shows the failing step's own lines, not act's whole log (that is in the log file)
    assert "✗ step 'Test' failed (job CI/test)" in run.stdout
    assert "| test_refund_rounding ... FAILED" in run.stdout
    assert "docker create" not in run.stdout and "docker create" in run.log
    assert run.api_calls() == [("POST", "/api/push-notification")]
    body = run.requests[0]["body"]
    run_url = body["redirection"]  # link-to-run
    assert re.fullmatch(rf"https://github\.com/{REPOSITORY}/actions/runs/[0-9]+", run_url)
    assert body["title"] == f"CI failed: {REPOSITORY}"
    assert body["message"].startswith("CI failed on main")
    assert body["interruption_level"] == "time-sensitive"
    open_run, rerun = body["actions"]
    assert open_run == {"title": "Open run", "type": "open_url", "url": run_url}
    assert (rerun["type"], rerun["method"], rerun["url"]) == (
        "webhook",
        "POST",
        "https://ci-hooks.example.com/rerun",
    )
    run_id = run_url.rsplit("/", 1)[1]
    assert rerun["body"] == {"repository": REPOSITORY, "run_id": run_id}
    (device,) = run.devices
    (push,) = device["pushes"]
    assert push["redirection"] == run_url
    assert [a["type"] for a in push["actions"]] == ["open_url", "webhook"]
    assert_key_never_logged(run, service)

    # the phone's buttons work: "Open run" opens the run, "Re-run failed jobs" calls the webhook with its body
    assert tap(service, 0)["url"] == run_url
    tap(service, 1)
    assert webhook_receiver.received == [
        {"path": "/rerun", "body": {"repository": REPOSITORY, "run_id": run_id}}
    ]


def green_repository(tmp_path: Path) -> Path:
    """The demo repository with a test script that passes (examples/workspace's fails on purpose)."""
    repository = tmp_path / "green-repo"
    (repository / "ci").mkdir(parents=True)
    (repository / "ci" / "test.sh").write_text("#!/usr/bin/env bash\necho all tests passed\n")
    (repository / "ci" / "test.sh").chmod(0o755)
    return repository


def test_ci_failure_alert_stays_silent_when_the_tests_pass(
    run_example: Callable[..., ExampleRun], service: LocalService, tmp_path: Path
) -> None:
    repository = green_repository(tmp_path)
    run = run_example("ci-failure-alert.yml", "--repository-files", str(repository))
    assert run.exit_code == 0, run.log
    assert "all tests passed" in run.log
    assert run.requests == []
    assert run.devices[0]["pushes"] == []


def test_server_metrics_stream_starts_updates_then_ends_one_activity(
    run_example: Callable[..., ExampleRun], service: LocalService
) -> None:
    first = run_example("server-metrics-stream.yml", "--event", "schedule", "--schedule", "*/5 8-17 * * 1-5")
    assert first.exit_code == 0, first.log
    assert first.api_calls() == [("PUT", "/api/live-activity/stream/prod-web-1")]
    content = first.requests[0]["body"]["content_state"]
    assert (content["type"], content["title"]) == ("metrics", "prod-web-1")
    assert [(m["label"], m["unit"]) for m in content["metrics"]] == [("CPU", "%"), ("Memory", "%")]
    assert all(isinstance(m["value"], int) and 0 <= m["value"] <= 100 for m in content["metrics"])

    second = run_example("server-metrics-stream.yml", "--event", "schedule")
    assert second.exit_code == 0, second.log
    assert second.api_calls()[-1] == ("PUT", "/api/live-activity/stream/prod-web-1")
    activity = only_activity(second)
    # same stream key, same Live Activity: `updated`, or `noop` when the metrics did not change since run one
    assert re.search(
        rf"stream prod-web-1 (updated|noop), Live Activity {activity['activity_id']}", second.log
    )
    assert f"stream prod-web-1 started, Live Activity {activity['activity_id']}" in first.log
    assert activity["stream_key"] == "prod-web-1" and activity["status"] == "active"

    evening = run_example("server-metrics-stream.yml", "--event", "schedule", "--schedule", "0 18 * * 1-5")
    assert evening.exit_code == 0, evening.log
    assert evening.api_calls()[-1] == ("DELETE", "/api/live-activity/stream/prod-web-1")
    assert len(evening.requests) == 3, "the 18:00 run only ends the stream; it streams nothing"
    assert evening.requests[-1]["body"]["content_state"]["auto_dismiss_seconds"] == 60
    ended = only_activity(evening)
    assert ended["activity_id"] == activity["activity_id"]
    assert ended["status"] == "ended"
    assert_key_never_logged(evening, service)


def test_progress_example_reports_percentages_to_one_activity(
    run_example: Callable[..., ExampleRun], service: LocalService
) -> None:
    run = run_example("progress.yml")
    assert run.exit_code == 0, run.log
    assert [path for _, path in run.api_calls()] == [
        "/api/live-activity/start",
        "/api/live-activity/update",
        "/api/live-activity/update",
        "/api/live-activity/end",
    ]
    bodies = [r["body"] for r in run.requests]
    assert bodies[0]["content_state"]["type"] == "progress"
    assert [b["content_state"]["percentage"] for b in bodies] == [0, 33, 66, 100]
    activity = only_activity(run)
    assert {b["activity_id"] for b in bodies[1:]} == {activity["activity_id"]}
    assert activity["status"] == "ended"
    assert activity["content_state"]["percentage"] == 100
    assert_key_never_logged(run, service)


def test_build_status_push_is_replaced_in_place_by_the_failure(
    run_example: Callable[..., ExampleRun], service: LocalService
) -> None:
    run = run_example("build-status-push.yml")
    assert run.exit_code != 0, "the demo repository's test step fails, so the job (and act) must fail"
    (send, replace) = run.requests
    assert (send["method"], send["path"]) == ("POST", "/api/push-notification")
    assert send["body"]["title"] == f"Build started: {REPOSITORY}" and send["body"]["tags"] == ["build"]
    (device,) = run.devices
    (push,) = device["pushes"]  # one notification on the phone, not two
    notification_id = push["notification_id"]
    assert (replace["method"], replace["path"]) == ("PUT", f"/api/push-notification/{notification_id}")
    assert replace["status"] == 200
    assert replace["body"]["title"] == f"Build failed: {REPOSITORY}"
    assert replace["body"]["message"].endswith(": failure")
    assert push["title"] == f"Build failed: {REPOSITORY}"
    assert (push["replaced"], push["silent"], push["tags"]) == (True, True, ["build"])
    assert push["redirection"] == send["body"]["redirection"]
    assert f"notification_id={notification_id}" in run.log
    assert_key_never_logged(run, service)


def test_build_status_push_is_replaced_by_the_pass(
    run_example: Callable[..., ExampleRun], service: LocalService, tmp_path: Path
) -> None:
    repository = green_repository(tmp_path)
    run = run_example("build-status-push.yml", "--repository-files", str(repository))
    assert run.exit_code == 0, run.log
    assert [method for method, _ in run.api_calls()] == ["POST", "PUT"]
    (push,) = run.devices[0]["pushes"]
    assert (push["title"], push["replaced"]) == (f"Build passed: {REPOSITORY}", True)
    assert run.requests[1]["body"]["message"].endswith(": success")
