"""The built image run exactly as the GitHub runner runs it, against the local ActivitySmith service.

Outputs are read back through a port of the runner's file-command parser, so what passes here is what a job's
`steps.<id>.outputs` would hold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.container.docker_runner import RunnerSandbox
from tests.support.service import LocalService, free_port

pytestmark = pytest.mark.docker


def api_calls(service: LocalService) -> list[dict]:
    return [r for r in service.requests() if r["path"] != "/api/health"]


def assert_key_only_masked(log: str, key: str) -> None:
    """The API key appears once, in the `::add-mask::` command, and nowhere else in the step's log."""
    assert log.count(key) == 1, "the API key must appear only in the ::add-mask:: command"
    assert f"::add-mask::{key}" in log


def test_push_notification_succeeds_with_outputs_and_summary(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    step = sandbox.run_step(
        action_image,
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload": "title: Build passed\nmessage: main is green\n",
        },
    )
    assert step.exit_code == 0, step.log
    assert step.outputs["ok"] == "true"
    assert step.outputs["status"] == "200"
    assert json.loads(step.outputs["response"])["success"] is True
    assert step.outputs["time"].isdigit()
    assert_key_only_masked(step.log, service.api_key)
    assert service.api_key not in step.summary + "".join(step.outputs.values())
    assert "send_push_notification" in step.summary
    (call,) = api_calls(service)
    assert (call["method"], call["path"]) == ("POST", "/api/push-notification")
    assert call["body"] == {"title": "Build passed", "message": "main is green"}
    (device,) = service.devices()["devices"]
    assert [(p["title"], p["message"]) for p in device["pushes"]] == [("Build passed", "main is green")]


def test_live_activity_id_output_feeds_the_next_container(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    common = {"api-key": service.api_key, "base-url": service.base_url}
    start = sandbox.run_step(
        action_image,
        common
        | {
            "action": "start_live_activity",
            "payload": "content_state:\n  title: Deploy\n  type: segmented_progress\n"
            "  number_of_steps: 2\n  current_step: 1\n",
        },
    )
    assert start.exit_code == 0, start.log
    activity_id = start.outputs["live_activity_id"]
    assert activity_id
    end = sandbox.run_step(
        action_image,
        common
        | {
            "action": "end_live_activity",
            "live-activity-id": activity_id,
            "payload": "content_state:\n  title: Deployed\n  current_step: 2\n",
        },
    )
    assert end.exit_code == 0, end.log
    assert [c["path"] for c in api_calls(service)] == ["/api/live-activity/start", "/api/live-activity/end"]
    assert api_calls(service)[1]["body"]["activity_id"] == activity_id
    (activity,) = service.devices()["devices"][0]["live_activities"]
    assert (activity["activity_id"], activity["status"]) == (activity_id, "ended")


def test_base_url_falls_back_to_the_environment_variable(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    """What the examples rely on: no `base-url` line, `ACTIVITYSMITH_BASE_URL` in the job's env."""
    step = sandbox.run_step(
        action_image,
        {"action": "send_push_notification", "api-key": service.api_key, "payload": "title: via env\n"},
        env={"ACTIVITYSMITH_BASE_URL": service.base_url},
    )
    assert step.exit_code == 0, step.log
    assert [c["body"]["title"] for c in api_calls(service)] == ["via env"]


def test_api_error_fails_the_step_with_outputs_and_no_traceback(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    wrong_key = "ask_wrong_0000000000000000000000000000"
    step = sandbox.run_step(
        action_image,
        {
            "action": "send_push_notification",
            "api-key": wrong_key,
            "base-url": service.base_url,
            "payload": "title: nope\n",
        },
    )
    assert step.exit_code == 1
    assert step.outputs["ok"] == "false"
    assert step.outputs["status"] == "401"
    assert step.outputs["error"]
    assert "Traceback" not in step.log
    assert "::error" in step.stdout
    assert_key_only_masked(step.log, wrong_key)
    assert "401" in step.summary


def test_bad_input_names_the_input_and_sends_nothing(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    step = sandbox.run_step(
        action_image,
        {
            "action": "update_live_activity",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload": "content_state:\n  title: x\n",
        },
    )
    assert step.exit_code == 1
    assert "live-activity-id" in step.log
    assert "Traceback" not in step.log
    assert step.outputs["ok"] == "false"
    assert api_calls(service) == []


def test_unreachable_service_fails_the_step_after_its_retries(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    """Nothing listens on the port: a refused connection was never processed, so it is retried, then fails."""
    step = sandbox.run_step(
        action_image,
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": f"http://127.0.0.1:{free_port()}/api",
            "payload": "title: nobody home\n",
            "retries": "1",
        },
    )
    assert step.exit_code == 1, step.log
    assert step.outputs["ok"] == "false"
    assert step.outputs["attempts"] == "2"
    assert step.outputs["status"] == ""
    assert "Traceback" not in step.log


def test_dropped_push_is_not_repeated_and_fails_the_step(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    """A dropped answer to a POST may have been delivered: a repeat could notify twice, so it fails once."""
    service.fault(path="/api/push-notification", drop=True, count=10)
    step = sandbox.run_step(
        action_image,
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload": "title: dropped\n",
            "retries": "3",
        },
    )
    assert step.exit_code == 1, step.log
    assert step.outputs["ok"] == "false"
    assert step.outputs["attempts"] == "1"
    assert len(api_calls(service)) == 1
    assert "Traceback" not in step.log


def test_hostile_python_environment_and_workspace_files_are_ignored(
    action_image: str, sandbox: RunnerSandbox, service: LocalService
) -> None:
    """A job may leak PYTHON* variables and the workspace is the user's checkout: neither may steer it."""
    marker = "/github/workspace/HIJACKED"
    for module in ("json.py", "httpx.py", "yaml.py", "sitecustomize.py", "usercustomize.py"):
        (sandbox.workspace / module).write_text(
            f"open({marker!r}, 'a').write({module!r} + '\\n')\nraise SystemExit(97)\n"
        )
    (sandbox.workspace / "activitysmith_action").mkdir()
    (sandbox.workspace / "activitysmith_action" / "__init__.py").write_text(
        f"open({marker!r}, 'a').write('package\\n')\nraise SystemExit(98)\n"
    )
    step = sandbox.run_step(
        action_image,
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload": "title: still safe\n",
        },
        env={
            "PYTHONPATH": "/github/workspace",
            "PYTHONHOME": "/github/workspace/no-such-python",
            "PYTHONSTARTUP": "/github/workspace/sitecustomize.py",
            "PYTHONUSERBASE": "/github/workspace",
            "PYTHONSAFEPATH": "",
            "PYTHONINSPECT": "1",
            "PYTHONWARNINGS": "error",
        },
    )
    assert step.exit_code == 0, step.log
    assert not (sandbox.workspace / "HIJACKED").exists()
    assert [c["body"]["title"] for c in api_calls(service)] == ["still safe"]
    assert not list(Path(sandbox.workspace).rglob("__pycache__")), "-B: no .pyc files left in the workspace"
