"""scripts/run-example simulates other events through a real act run: a tag push, a dispatch with inputs, a
payload file. What the workflow sees is read from the step's own output (act's log) and from the request the
action sent to the local service."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.workflows.conftest import ExampleRun

pytestmark = pytest.mark.docker

RELEASE = Path(__file__).parent / "workflows" / "release-notify.yml"


def seen(run: ExampleRun) -> dict[str, str]:
    """`seen NAME=VALUE` lines the workflow's first step printed (act shows them as `| seen ...`)."""
    return dict(re.findall(r"\| seen ([^=\s]+)=(.*?)\s*$", run.log, re.MULTILINE))


def test_a_tag_push_sets_ref_ref_name_and_the_workspace_tag(
    run_example: Callable[..., ExampleRun], tmp_path: Path
) -> None:
    work = tmp_path / "run"
    run = run_example(str(RELEASE), "--event", "refs/tags/v1.4.0", "--work-dir", str(work))
    assert run.exit_code == 0, run.log
    context = seen(run)
    assert context["ref"] == "refs/tags/v1.4.0"
    assert context["ref_name"] == "v1.4.0"
    assert context["ref_type"] == "tag"
    assert context["GITHUB_REF"] == "refs/tags/v1.4.0"
    assert context["event_name"] == "push"
    assert context["head_commit"] == "Ship it"
    assert context["sha_is_after"] == "true"
    assert context["repository"] == "your-org/your-app"
    (request,) = run.requests
    assert request["body"]["title"] == "Released v1.4.0"
    assert request["body"]["message"] == "push to production"
    tags = subprocess.run(
        ["git", "-C", str(work / "workspace"), "tag", "--points-at", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert tags.stdout.split() == ["v1.4.0"]


def test_dispatch_inputs_arrive_with_defaults_filled_in(run_example: Callable[..., ExampleRun]) -> None:
    run = run_example(
        str(RELEASE),
        "--event",
        "workflow_dispatch",
        "--input",
        "environment=production",
        "--input",
        "note=hi",
    )
    assert run.exit_code == 0, run.log
    context = seen(run)
    assert context["event_name"] == "workflow_dispatch"
    assert context["ref"] == "refs/heads/main" and context["ref_name"] == "main"
    assert context["event.inputs.environment"] == "production"
    assert context["inputs.notify"] == "true", "the boolean input's default, typed by act"
    assert context["inputs.note"] == "hi"
    (request,) = run.requests
    assert request["body"]["title"] == "Released main"
    assert request["body"]["message"] == "workflow_dispatch to production"


def test_an_event_file_is_the_payload_the_workflow_sees(
    run_example: Callable[..., ExampleRun], tmp_path: Path
) -> None:
    event = tmp_path / "my-event.json"
    event.write_text(json.dumps({"ref": "refs/tags/v2.0.0", "head_commit": {"message": "from my file"}}))
    run = run_example(str(RELEASE), "--event", "push", "--event-path", str(event))
    assert run.exit_code == 0, run.log
    context = seen(run)
    assert (context["ref"], context["ref_name"], context["head_commit"]) == (
        "refs/tags/v2.0.0",
        "v2.0.0",
        "from my file",
    )
    assert run.requests[0]["body"]["title"] == "Released v2.0.0"
