"""Templating, quick inputs and clear chains, as the real step (entrypoint.py in a subprocess) against the
local service: assertions come from what the service received."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.hostile_strings import HOSTILE
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService

RUNNER = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "your-org/your-app",
    "GITHUB_RUN_ID": "77",
}


def step(service: LocalService, env: dict[str, str] | None = None, **inputs: str) -> Result:
    given = {"api-key": service.api_key, "base-url": service.base_url} | {
        name.replace("_", "-"): value for name, value in inputs.items()
    }
    return run_action(given, env=RUNNER | (env or {}))


def received(service: LocalService) -> list[dict]:
    return [r for r in service.requests() if r["path"] != "/api/health"]


def assert_clean(result: Result, service: LocalService) -> None:
    everything = result.stdout + result.stderr + result.summary + json.dumps(result.outputs)
    assert "Traceback" not in everything
    assert everything.count(service.api_key) == 1


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h.strip()])
def test_a_hostile_commit_message_reaches_the_phone_as_one_string(
    service: LocalService, hostile: str
) -> None:
    """What `${{ github.event.head_commit.message }}` pasted into the YAML would break: through env: and a
    placeholder it is one string value, byte for byte."""
    result = step(
        service,
        env={"COMMIT_MSG": hostile},
        action="send_push_notification",
        payload="title: Deployed\nmessage: '{{ env.COMMIT_MSG }}'\n",
    )
    assert result.returncode == 0, result.stdout
    assert_clean(result, service)
    (request,) = received(service)
    assert request["body"] == {"title": "Deployed", "message": hostile}
    assert service.devices()["devices"][0]["pushes"][-1]["message"] == hostile


def test_a_placeholder_in_a_payload_file_is_filled_too(service: LocalService, tmp_path: Path) -> None:
    """A payload file is static (the runner expands nothing in it): placeholders are how it gets values."""
    env = {"RELEASE": 'v2 "final": done'}
    workspace = tmp_path
    (workspace / "push.json").write_text(json.dumps({"title": "Released {{ env.RELEASE }}"}))
    result = run_action(
        {
            "action": "send_push_notification",
            "api-key": service.api_key,
            "base-url": service.base_url,
            "payload-file-path": "push.json",
        },
        env=env | {"GITHUB_WORKSPACE": str(workspace)},
        cwd=workspace,
    )
    assert result.returncode == 0, result.stdout
    assert received(service)[0]["body"] == {"title": 'Released v2 "final": done'}


def test_an_unset_placeholder_fails_naming_the_field_and_sends_nothing(service: LocalService) -> None:
    result = step(
        service,
        action="start_live_activity",
        payload="content_state:\n  title: Deploy\n  type: alert\n  message: x\n"
        "  subtitle: '{{ env.COMMIT_MSG }}'\n",
    )
    assert result.returncode == 1
    assert (
        "::error title=ActivitySmith invalid_payload::payload.content_state.subtitle: {{ env.COMMIT_MSG }} "
        "is not set in the step's env"
    ) in result.stdout
    assert received(service) == []
    assert result.outputs["ok"] == "false"
    assert_clean(result, service)


def test_a_one_line_push_with_a_link_to_the_run(service: LocalService) -> None:
    result = step(service, action="send_push_notification", title="CI failed", link_to_run="true")
    assert result.returncode == 0, result.stdout
    assert received(service)[0]["body"] == {
        "title": "CI failed",
        "redirection": "https://github.com/your-org/your-app/actions/runs/77",
    }


def test_a_live_activity_from_quick_inputs_alone(service: LocalService) -> None:
    started = step(
        service,
        action="start_live_activity",
        title="Deploy",
        type="segmented_progress",
        number_of_steps="3",
        current_step="1",
        color="blue",
        link_to_run="true",
    )
    assert started.returncode == 0, started.stdout
    activity_id = started.outputs["live_activity_id"]
    updated = step(
        service,
        action="update_live_activity",
        live_activity_id=activity_id,
        title="Deploy",
        subtitle="Migrating",
        current_step="2",
    )
    assert updated.returncode == 0, updated.stdout
    start_body, update_body = (r["body"] for r in received(service))
    assert start_body["action"] == {
        "title": "View run",
        "type": "open_url",
        "url": "https://github.com/your-org/your-app/actions/runs/77",
    }
    assert update_body == {
        "activity_id": activity_id,
        "content_state": {"title": "Deploy", "subtitle": "Migrating", "current_step": 2},
    }
    (activity,) = service.devices()["devices"][0]["live_activities"]
    assert (activity["content_state"]["current_step"], activity["action"]["type"]) == (2, "open_url")


def test_a_bad_quick_input_is_named_and_nothing_is_sent(service: LocalService) -> None:
    result = step(service, action="start_live_activity", title="Deploy", type="segmented_progress",
                  number_of_steps="3", current_step="two")  # fmt: skip
    assert result.returncode == 1
    assert '::error title=ActivitySmith invalid_input::current-step: must be a whole number; got "two"' in (
        result.stdout
    )
    assert received(service) == []


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("failure", "The job had already failed before this step, so that step failed or was skipped"),
        ("success", "it was skipped or failed, or the expression names another step or output"),
    ],
)
def test_an_empty_live_activity_id_says_which_step_did_not_produce_it(
    service: LocalService, status: str, says: str
) -> None:
    """The README's old `if: always()` end step after a failed start: one clear message, nothing sent."""
    result = step(
        service,
        action="end_live_activity",
        live_activity_id="",
        job_status=status,
        payload="content_state:\n  title: Deploy failed\n  current_step: 1\n",
    )
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert "missing_input::live-activity-id: is required for action end_live_activity but is empty: " in line
    assert (
        "the step that should have produced live_activity_id (your start_live_activity step) did not" in line
    )
    assert says in line
    assert received(service) == []
