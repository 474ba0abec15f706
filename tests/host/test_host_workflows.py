"""The host variant through a real runner: act in host mode (`-P macos-latest=-self-hosted`), where steps run
as processes on this machine as on a macOS or Windows runner, against the local service.

One job uses `pyactivitysmith/activitysmith-action/host@v1` four times: a start chained into an update
through the start's outputs, an invalid payload, and a failed send with `errors: false`. Then the same inputs
run through the container variant and the host variant in one workflow, and their outputs are compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.host.act_workflow import KEY_VARIABLE, WorkflowRun, run_workflow
from tests.support.service import LocalService

pytestmark = pytest.mark.docker

HOST = "pyactivitysmith/activitysmith-action/host@v1"
CONTAINER = "pyactivitysmith/activitysmith-action@v1"
KEY = f"${{{{ secrets.{KEY_VARIABLE} }}}}"
START_PAYLOAD = """\
content_state:
  title: Release 4.2 to the App Store
  subtitle: Archiving
  type: segmented_progress
  number_of_steps: 3
  current_step: 1
"""
UPDATE_PAYLOAD = """\
content_state:
  title: Release 4.2 to the App Store
  subtitle: Uploading
  current_step: 2
"""


def use(uses: str, step_id: str, **with_: str) -> dict[str, Any]:
    return {"id": step_id, "uses": uses, "with": {"api-key": KEY, **with_}}


@dataclass
class HostJob:
    run: WorkflowRun
    requests: list[dict[str, Any]]
    devices: list[dict[str, Any]]


@pytest.fixture(scope="module")
def host_job(
    act_ready: None,
    action_checkout: Path,
    service_process: LocalService,
    tmp_path_factory: pytest.TempPathFactory,
) -> HostJob:
    service_process.reset()
    steps = [
        use(HOST, "start", action="start_live_activity", payload=START_PAYLOAD),
        use(
            HOST,
            "update",
            action="update_live_activity",
            **{"live-activity-id": "${{ steps.start.outputs.live_activity_id }}"},
            payload=UPDATE_PAYLOAD,
        ),
        {
            **use(
                HOST,
                "invalid",
                action="start_live_activity",
                payload="content_state:\n  title: Broken\n  type: segmented_progress\n  number_of_steps: 0\n",
            ),
            "continue-on-error": True,
        },
        use(
            HOST,
            "soft",
            action="send_push_notification",
            payload="title: x",
            channels="no-such-channel",
            errors="false",
        ),
    ]
    workflow = {
        "name": "host variant",
        "on": "push",
        "jobs": {"release": {"runs-on": "macos-latest", "steps": steps}},
    }
    run = run_workflow(
        workflow,
        tmp_path_factory.mktemp("host-job"),
        actions={CONTAINER: action_checkout},
        api_key=service_process.api_key,
        base_url=service_process.base_url,
    )
    requests = [r for r in service_process.requests() if r["path"] != "/api/health"]
    return HostJob(run, requests, service_process.devices()["devices"])


def test_the_job_succeeds_in_host_mode_without_a_container(host_job: HostJob) -> None:
    run = host_job.run
    assert run.exit_code == 0, run.log
    assert "Job succeeded" in run.log
    assert "docker create" not in run.log and "docker build" not in run.log
    assert run.steps["release"]["start"]["conclusion"] == "success"


def test_start_is_chained_into_update_through_outputs(
    host_job: HostJob, service_process: LocalService
) -> None:
    run = host_job.run
    start, update = run.outputs("release", "start"), run.outputs("release", "update")
    assert (start["ok"], start["status"], start["attempts"], start["error"]) == ("true", "200", "1", "")
    activity_id = start["live_activity_id"]
    assert activity_id and json.loads(start["response"])["activity_id"] == activity_id
    assert (update["ok"], update["live_activity_id"]) == ("true", activity_id)
    calls = [(r["method"], r["path"]) for r in host_job.requests]
    assert calls[:2] == [("POST", "/api/live-activity/start"), ("POST", "/api/live-activity/update")]
    assert host_job.requests[1]["body"]["activity_id"] == activity_id
    (activity,) = host_job.devices[0]["live_activities"]
    assert (
        activity["content_state"]["subtitle"] == "Uploading"
        and activity["content_state"]["current_step"] == 2
    )
    assert service_process.api_key not in run.log


def test_an_invalid_payload_fails_the_step_with_outputs_naming_the_field(host_job: HostJob) -> None:
    run = host_job.run
    assert run.outcome("release", "invalid") == "failure"
    invalid = run.outputs("release", "invalid")
    assert invalid["ok"] == "false" and invalid["attempts"] == "0"
    assert "payload.content_state.number_of_steps: must be ≥ 1; got 0" in invalid["error"]
    assert invalid["error"].endswith("[invalid_payload]")
    assert len(host_job.requests) == 3, "the invalid payload was refused before sending"


def test_a_failed_send_with_errors_false_passes_with_ok_false(host_job: HostJob) -> None:
    run = host_job.run
    assert run.outcome("release", "soft") == "success"
    soft = run.outputs("release", "soft")
    assert soft["ok"] == "false" and soft["status"].startswith("4") and soft["error"]
    assert host_job.requests[-1]["path"] == "/api/push-notification"
    assert "the request failed but errors: false" in run.log


def test_the_second_and_later_uses_reuse_the_runtime(host_job: HostJob) -> None:
    run = host_job.run
    assert run.log.count("ActivitySmith: installing the locked runtime into") == 1
    assert run.log.count("ActivitySmith: reusing the runtime in") == 3
    assert run.log.count("Successfully installed") == 1, "pip ran once, for the first use only"
    (runtime,) = (run.tool_cache / "activitysmith-action").iterdir()
    assert (runtime / ".complete").is_file()
    assert f"reusing the runtime in {runtime}" in run.log


# --- the same inputs through both variants -----------------------------------------------------------------
def comparable(outputs: dict[str, str]) -> dict[str, Any]:
    """Outputs minus what differs between two sends by nature: the time and the service's ids and stamps."""
    ids = ("live_activity_id", "notification_id")
    result: dict[str, Any] = {k: v for k, v in outputs.items() if k not in ("time", *ids)}
    try:
        response = json.loads(outputs["response"])
    except json.JSONDecodeError:
        return result
    if isinstance(response, dict):
        response = {
            k: v for k, v in response.items() if k not in ("timestamp", "activity_id", "notification_id")
        }
    result["response"] = response
    return result


def test_host_and_container_variants_give_the_same_outputs(
    act_ready: None, action_checkout: Path, service: LocalService, tmp_path: Path
) -> None:
    def steps(uses: str) -> list[dict[str, Any]]:
        return [
            use(uses, "dry", action="start_live_activity", payload=START_PAYLOAD, **{"dry-run": "true"}),
            use(uses, "push", action="send_push_notification", payload="title: Build 812 is on TestFlight"),
            use(uses, "start", action="start_live_activity", payload=START_PAYLOAD, channels="deploys"),
            {
                **use(uses, "invalid", action="send_push_notification", payload="title: x\nbadge: -1\n"),
                "continue-on-error": True,
            },
            use(
                uses,
                "soft",
                action="send_push_notification",
                payload="title: x",
                channels="nope",
                errors="false",
            ),
        ]

    jobs = {
        "host": {"runs-on": "macos-latest", "steps": steps(HOST)},
        "container": {"runs-on": "ubuntu-latest", "needs": "host", "steps": steps(CONTAINER)},
    }
    run = run_workflow(
        {"name": "both variants", "on": "push", "jobs": jobs},
        tmp_path,
        actions={CONTAINER: action_checkout},
        api_key=service.api_key,
        base_url=service.base_url,
    )
    assert run.exit_code == 0, run.log
    assert "docker build" in run.log, "the container job built the image from the Dockerfile"
    for step in ("dry", "push", "start", "invalid", "soft"):
        host, container = run.outputs("host", step), run.outputs("container", step)
        assert comparable(host) == comparable(container), step
        assert run.outcome("host", step) == run.outcome("container", step), step
    assert run.outputs("host", "push")["ok"] == "true" and run.outputs("host", "invalid")["ok"] == "false"
    assert run.outputs("host", "invalid")["error"] == "payload.badge: must be ≥ 0; got -1 [invalid_payload]"
    assert run.outcome("host", "invalid") == "failure" and run.outcome("host", "soft") == "success"
    paths = [r["path"] for r in service.requests() if r["path"] != "/api/health"]
    assert paths.count("/api/push-notification") == 4 and paths.count("/api/live-activity/start") == 2
