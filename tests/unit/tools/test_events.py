"""tools/events.py: the event a simulated run gets, its ref and inputs, and refusals GitHub would share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.events import (
    DEFAULT_REF,
    EventError,
    EventRequest,
    Trigger,
    load_triggers,
    matches_filter,
    payload,
    resolve,
)

SHA = "0123456789abcdef0123456789abcdef01234567"
RELEASE = """
name: Release
on:
  push:
    tags: ["v*.*.*", "!v0.*"]
  workflow_dispatch:
    inputs:
      environment: {type: choice, options: [staging, production], default: staging}
      notify: {type: boolean, default: true}
      retries: {type: number, default: 3}
      ticket: {required: true}
      note: {required: false}
  schedule:
    - cron: "0 6 * * 1"
jobs: {}
"""


def triggers(text: str, tmp_path: Path) -> dict[str, Any]:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(text)
    return load_triggers(workflow)


def release(tmp_path: Path, **request: Any) -> Trigger:
    return resolve(triggers(RELEASE, tmp_path), "release.yml", EventRequest(**request))


def test_a_ref_given_as_the_event_is_a_push_of_that_ref(tmp_path: Path) -> None:
    as_event = release(tmp_path, event="refs/tags/v1.4.0")
    explicit = release(tmp_path, event="push", ref="refs/tags/v1.4.0")
    assert as_event == explicit == Trigger("push", ref="refs/tags/v1.4.0")


def test_the_first_trigger_is_the_default_event_and_main_the_default_ref(tmp_path: Path) -> None:
    simple = resolve(triggers("on: [push, pull_request]\n", tmp_path), "ci.yml", EventRequest())
    assert simple == Trigger("push", ref=DEFAULT_REF)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"event": "push"},
            "a push to refs/heads/main would not start release.yml: its push trigger filters tags",
        ),
        ({"event": "refs/tags/v0.9.0"}, "its push trigger has tags: v*.*.*, !v0.*"),
        ({"event": "refs/tags/nightly"}, "would not start release.yml"),
        ({"event": "push", "ref": "v1.4.0"}, "give a full ref, e.g. refs/tags/v1.4.0 or refs/heads/v1.4.0"),
        ({"event": "refs/tags/v1.4.0", "ref": "refs/tags/v1"}, "already names the ref"),
        ({"event": "schedule", "ref": "refs/heads/main"}, "--ref applies to push, workflow_dispatch"),
        ({"event": "release"}, "listens to push, workflow_dispatch, schedule only"),
        ({"event": "push", "ref": "refs/tags/v1.0.0", "inputs": ("a=b",)}, "--input only applies"),
        ({"event": "workflow_dispatch", "inputs": ("ticket",)}, "--input 'ticket': expected NAME=VALUE"),
        (
            {"event": "workflow_dispatch", "inputs": ("ticket=1", "colour=red")},
            "no such workflow_dispatch input",
        ),
        ({"event": "workflow_dispatch"}, "input 'ticket' is required: pass --input ticket=VALUE"),
        (
            {"event": "workflow_dispatch", "inputs": ("ticket=1", "notify=yes")},
            "a boolean input is true or false",
        ),
        (
            {"event": "workflow_dispatch", "inputs": ("ticket=1", "environment=qa")},
            "choose one of staging, production",
        ),
        (
            {"event": "workflow_dispatch", "inputs": ("ticket=1", "retries=many")},
            "a number input needs a number",
        ),
        ({"event": "schedule", "schedule": "* * * * *"}, "is not one of the workflow's crons: 0 6 * * 1"),
        ({"event": "push", "ref": "refs/tags/v1.0.0", "schedule": "0 6 * * 1"}, "--schedule only applies"),
    ],
)
def test_refusals_name_the_problem(tmp_path: Path, request_: dict[str, Any], message: str) -> None:
    with pytest.raises(EventError) as refused:
        release(tmp_path, **request_)
    assert message in str(refused.value)


def test_dispatch_inputs_are_strings_with_defaults_filled_in(tmp_path: Path) -> None:
    trigger = release(tmp_path, event="workflow_dispatch", inputs=("ticket=OPS-7", "environment=production"))
    assert trigger.ref == DEFAULT_REF
    assert trigger.inputs == {
        "environment": "production",
        "notify": "true",
        "retries": "3",
        "ticket": "OPS-7",
        "note": "",
    }
    body = payload(trigger, "acme/app", SHA)
    assert body["inputs"] == trigger.inputs and body["ref"] == DEFAULT_REF


def test_dispatch_on_another_branch_and_a_workflow_without_inputs(tmp_path: Path) -> None:
    trigger = release(tmp_path, event="workflow_dispatch", ref="refs/heads/hotfix", inputs=("ticket=1",))
    assert trigger.ref == "refs/heads/hotfix"
    bare = resolve(triggers("on: workflow_dispatch\n", tmp_path), "b.yml", EventRequest())
    assert bare.inputs == {}
    with pytest.raises(EventError, match="it declares none"):
        resolve(triggers("on: workflow_dispatch\n", tmp_path), "b.yml", EventRequest(inputs=("a=1",)))


def test_push_payload_carries_what_expressions_read(tmp_path: Path) -> None:
    body = payload(release(tmp_path, event="refs/tags/v1.4.0"), "acme/app", SHA)
    assert body["ref"] == "refs/tags/v1.4.0"
    assert body["after"] == body["head_commit"]["id"] == SHA
    assert body["deleted"] is False, "act takes github.sha from `after` only when `deleted` is false"
    assert body["head_commit"]["message"] == "Ship it"
    assert body["repository"]["full_name"] == "acme/app"
    assert body["repository"]["owner"]["login"] == "acme"


def test_schedule_payload_names_the_cron_that_fired(tmp_path: Path) -> None:
    trigger = release(tmp_path, event="schedule")
    assert payload(trigger, "acme/app", SHA)["schedule"] == "0 6 * * 1"


def test_release_and_pull_request_payloads(tmp_path: Path) -> None:
    workflow = triggers("on: [release, pull_request]\n", tmp_path)
    released = resolve(workflow, "r.yml", EventRequest(event="release", ref="refs/tags/v2.0.0"))
    assert payload(released, "acme/app", SHA)["release"]["tag_name"] == "v2.0.0"
    with pytest.raises(EventError, match="a release is made from a tag"):
        resolve(workflow, "r.yml", EventRequest(event="release", ref="refs/heads/main"))
    pull = payload(resolve(workflow, "r.yml", EventRequest(event="pull_request")), "acme/app", SHA)
    assert pull["number"] == pull["pull_request"]["number"] == 1
    assert pull["pull_request"]["base"]["ref"] == "main"


def test_event_path_is_the_whole_payload(tmp_path: Path) -> None:
    mine = tmp_path / "event.json"
    mine.write_text(json.dumps({"ref": "refs/tags/v9.9.9", "custom": [1, 2]}))
    trigger = release(tmp_path, event="push", event_path=mine)
    assert payload(trigger, "ignored/repo", SHA) == {"ref": "refs/tags/v9.9.9", "custom": [1, 2]}
    with pytest.raises(EventError, match="put what --ref, --input say into it"):
        release(tmp_path, event="push", event_path=mine, ref="refs/tags/v1.0.0", inputs=("a=b",))


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not JSON (Expecting property name"), ("[1, 2]", "the payload must be a JSON object")],
)
def test_event_path_refusals(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(EventError) as refused:
        release(tmp_path, event="push", event_path=bad)
    assert f"--event-path {bad}: {message}" in str(refused.value)
    with pytest.raises(EventError, match="No such file"):
        release(tmp_path, event="push", event_path=tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("patterns", "name", "included"),
    [
        (["main"], "main", True),
        (["main"], "mainline", False),
        (["releases/*"], "releases/1.0", True),
        (["releases/*"], "releases/1.0/hotfix", False),
        (["releases/**"], "releases/1.0/hotfix", True),
        (["v[0-9].*"], "v1.x", True),
        (["v[0-9].*"], "vx.1", False),
        (["v1.?"], "v1.", True),
        (["v1+"], "v111", True),
        (["*", "!v0*"], "v0.9", False),
        (["*", "!v0*", "v0.9"], "v0.9", True),
        (["feature\\*"], "feature*", True),
        (["feature\\*"], "featureX", False),
    ],
)
def test_filter_patterns_follow_githubs_syntax(patterns: list[str], name: str, included: bool) -> None:
    assert matches_filter(patterns, name) is included


@pytest.mark.parametrize(
    ("push", "ref", "runs"),
    [
        ({"branches": ["main"]}, "refs/heads/main", True),
        ({"branches": ["main"]}, "refs/tags/v1", False),
        ({"branches-ignore": ["wip/**"]}, "refs/heads/wip/x", False),
        ({"branches-ignore": ["wip/**"]}, "refs/heads/main", True),
        ({"tags-ignore": ["*-rc*"]}, "refs/tags/v1.0-rc1", False),
        ({"tags-ignore": ["*-rc*"]}, "refs/heads/main", False),
        ({"paths": ["src/**"]}, "refs/tags/anything", True),
        (None, "refs/tags/anything", True),
    ],
)
def test_push_filters_decide_whether_the_workflow_starts(
    tmp_path: Path, push: dict[str, Any] | None, ref: str, runs: bool
) -> None:
    workflow = triggers(yaml.safe_dump({"on": {"push": push}, "jobs": {}}), tmp_path)
    if runs:
        assert resolve(workflow, "w.yml", EventRequest(ref=ref)).ref == ref
    else:
        with pytest.raises(EventError, match=f"a push to {ref} would not start w.yml"):
            resolve(workflow, "w.yml", EventRequest(ref=ref))


@pytest.mark.parametrize(
    ("text", "message"),
    [("- just\n- a list\n", "is not a YAML mapping"), ("name: x\njobs: {}\n", "has no 'on:' triggers")],
)
def test_unreadable_workflows_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(EventError, match=message):
        triggers(text, tmp_path)
