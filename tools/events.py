"""The event a simulated run is triggered by: which event, which ref, which inputs, and the webhook payload.

act takes the event name on its command line and the payload from a file (`-e`). For push, create and
workflow_dispatch it reads `github.ref` from the payload's `ref` (and derives `github.ref_name` and
`github.ref_type` from it); for release from `release.tag_name`; for pull_request from the PR number; for any
other event it uses the default branch. `inputs.*` and `github.event.inputs.*` of a workflow_dispatch come
from the payload's `inputs`, as strings (act turns a boolean input's "true" into true). So this module builds
a payload GitHub could have sent, and refuses what GitHub would refuse or never do: an input the workflow
does not declare, a missing required input, a value outside a choice, a push its branch/tag filters skip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

DEFAULT_BRANCH = "main"
DEFAULT_REF = f"refs/heads/{DEFAULT_BRANCH}"
DEFAULT_RELEASE_TAG = "v1.0.0"
# The events whose ref the payload sets (act reads `ref` for these, `release.tag_name` for release).
REF_EVENTS = ("push", "workflow_dispatch", "create", "release")


class EventError(Exception):
    """An event the workflow cannot receive, or arguments that contradict each other: one clear line."""


@dataclass(frozen=True)
class EventRequest:
    """What the user asked for on the command line (all optional)."""

    event: str | None = None
    ref: str | None = None
    inputs: tuple[str, ...] = ()
    schedule: str | None = None
    event_path: Path | None = None


@dataclass(frozen=True)
class Trigger:
    """The event a run simulates and what its payload carries."""

    event: str
    ref: str | None = None
    schedule: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    payload_file: Path | None = None


def load_triggers(workflow: Path) -> dict[str, Any]:
    """The `on:` triggers as {event: config}: a string, list or mapping (YAML reads the `on` key as True)."""
    try:
        document = yaml.safe_load(workflow.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise EventError(f"cannot read workflow {workflow}: {error}") from error
    if not isinstance(document, dict):
        raise EventError(f"workflow {workflow} is not a YAML mapping")
    triggers = document.get("on", document.get(True))
    if isinstance(triggers, str):
        return {triggers: None}
    if isinstance(triggers, list):
        return {str(t): None for t in triggers}
    if isinstance(triggers, dict) and triggers:
        return {str(t): config for t, config in triggers.items()}
    raise EventError(f"workflow {workflow} has no 'on:' triggers")


def resolve(triggers: dict[str, Any], workflow_name: str, request: EventRequest) -> Trigger:
    """The trigger to simulate: the event, checked ref, filled-in inputs and schedule, or a clear refusal."""
    requested, ref = request.event, request.ref
    if requested is not None and requested.startswith("refs/"):
        if ref is not None:
            raise EventError(f"--event {requested} already names the ref; drop --ref {ref}")
        requested, ref = "push", requested
    event = choose_event(triggers, workflow_name, requested)
    if request.event_path is not None:
        given = [name for name, value in (("--ref", ref), ("--schedule", request.schedule)) if value]
        if request.inputs:
            given.append("--input")
        if given:
            raise EventError(f"--event-path is the whole payload: put what {', '.join(given)} say into it")
        read_payload_file(request.event_path)
        return Trigger(event, payload_file=request.event_path)
    ref_chosen = ref is not None
    if ref is not None:
        check_ref(event, ref)
    elif event in ("push", "workflow_dispatch", "create"):
        ref = DEFAULT_REF
    if event == "push" and ref is not None:
        check_push_filters(triggers.get("push"), workflow_name, ref, chosen=ref_chosen)
    if request.inputs and event != "workflow_dispatch":
        raise EventError(f"--input only applies to --event workflow_dispatch (this run is '{event}')")
    inputs = {}
    if event == "workflow_dispatch":
        inputs = dispatch_inputs(triggers.get("workflow_dispatch"), request.inputs)
    schedule = choose_schedule(triggers, event, request.schedule)
    return Trigger(event, ref=ref, schedule=schedule, inputs=inputs)


def choose_event(triggers: dict[str, Any], workflow_name: str, requested: str | None) -> str:
    """The requested event if the workflow listens to it; else its first trigger."""
    if requested is None:
        return next(iter(triggers))
    if requested not in triggers:
        raise EventError(f"--event {requested!r}: {workflow_name} listens to {', '.join(triggers)} only")
    return requested


def check_ref(event: str, ref: str) -> None:
    """A full branch or tag ref, on an event whose ref comes from the payload."""
    if event not in REF_EVENTS:
        raise EventError(
            f"--ref applies to {', '.join(REF_EVENTS)}; for '{event}' the ref follows from the event "
            "(write the whole payload with --event-path to change it)"
        )
    match = re.fullmatch(r"refs/(heads|tags)/(.+)", ref)
    if match is None:
        short = ref.removeprefix("refs/")
        raise EventError(f"--ref {ref!r}: give a full ref, e.g. refs/tags/{short} or refs/heads/{short}")
    if event == "release" and match.group(1) != "tags":
        raise EventError(f"--ref {ref!r}: a release is made from a tag, e.g. refs/tags/v1.4.0")


def check_push_filters(config: Any, workflow_name: str, ref: str, chosen: bool = True) -> None:
    """Refuse a push GitHub would not start this workflow for (branch and tag filters; paths are not read)."""
    if not isinstance(config, dict):
        return
    kind, name = ("branches", ref.removeprefix("refs/heads/"))
    if ref.startswith("refs/tags/"):
        kind, name = ("tags", ref.removeprefix("refs/tags/"))
    other = "tags" if kind == "branches" else "branches"
    filters = {
        key: config[key] for key in (kind, f"{kind}-ignore", other, f"{other}-ignore") if key in config
    }
    if not filters:
        return
    reason = None
    ignored = _patterns(filters.get(f"{kind}-ignore"))
    if kind not in filters and f"{kind}-ignore" not in filters:
        reason = f"filters {other} only"
    elif kind in filters and not matches_filter(_patterns(filters[kind]), name):
        reason = f"has {kind}: {', '.join(_patterns(filters[kind]))}"
    elif any(_pattern_regex(p).fullmatch(name) for p in ignored):
        reason = f"has {kind}-ignore: {', '.join(ignored)}"
    if reason is not None:
        hint = "" if chosen else "; choose another with --ref"
        raise EventError(f"a push to {ref} would not start {workflow_name}: its push trigger {reason}{hint}")


def matches_filter(patterns: Iterable[str], name: str) -> bool:
    """GitHub's include list: the last pattern that matches decides; a `!pattern` excludes."""
    included = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _pattern_regex(pattern.removeprefix("!")).fullmatch(name):
            included = not negated
    return included


def _patterns(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """GitHub's filter patterns: `*` (not `/`), `**` (anything), `?` and `+` (previous character), `[a-z]`."""
    parts: list[str] = []
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if pattern.startswith("**", position):
            parts.append(".*")
            position += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char in "?+" and parts:
            parts.append(char)
        elif char == "[" and (end := pattern.find("]", position)) > position + 1:
            if re.fullmatch(r"[A-Za-z0-9-]+", pattern[position + 1 : end]):
                parts.append(pattern[position : end + 1])
                position = end + 1
                continue
            parts.append(re.escape(char))
        elif char == "\\" and position + 1 < len(pattern):
            parts.append(re.escape(pattern[position + 1]))
            position += 1
        else:
            parts.append(re.escape(char))
        position += 1
    return re.compile("".join(parts))


def dispatch_inputs(config: Any, given: Iterable[str]) -> dict[str, str]:
    """`github.event.inputs` as GitHub fills it: every declared input, as a string, defaults filled in."""
    declared: dict[str, Any] = {}
    if isinstance(config, dict) and isinstance(config.get("inputs"), dict):
        declared = {str(name): spec or {} for name, spec in config["inputs"].items()}
    values: dict[str, str] = {}
    for item in given:
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise EventError(f"--input {item!r}: expected NAME=VALUE")
        if name not in declared:
            known = f"it declares: {', '.join(declared)}" if declared else "it declares none"
            raise EventError(f"--input {name}: the workflow has no such workflow_dispatch input ({known})")
        values[name] = value
    for name, spec in declared.items():
        kind = str(spec.get("type", "string"))
        if name not in values:
            if spec.get("default") is not None:
                values[name] = _as_text(spec["default"])
            elif spec.get("required"):
                raise EventError(f"workflow_dispatch input {name!r} is required: pass --input {name}=VALUE")
            else:
                values[name] = "false" if kind == "boolean" else ""
        _check_input_value(name, kind, spec, values[name])
    return values


def _check_input_value(name: str, kind: str, spec: dict[str, Any], value: str) -> None:
    if kind == "boolean" and value not in ("true", "false"):
        raise EventError(f"--input {name}={value}: a boolean input is true or false")
    if kind == "choice":
        options = [_as_text(option) for option in spec.get("options") or []]
        if value not in options:
            raise EventError(f"--input {name}={value}: choose one of {', '.join(options)}")
    if kind == "number" and value != "":
        try:
            float(value)
        except ValueError:
            raise EventError(f"--input {name}={value}: a number input needs a number") from None


def _as_text(value: Any) -> str:
    """How a YAML default reaches `github.event.inputs`: a boolean as true/false, anything else as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def choose_schedule(triggers: dict[str, Any], event: str, requested: str | None) -> str | None:
    """For a schedule event, the cron that fired (`github.event.schedule`): one the workflow declares."""
    if event != "schedule":
        if requested is not None:
            raise EventError("--schedule only applies to --event schedule")
        return None
    entries = triggers.get("schedule") or []
    crons = [str(entry["cron"]) for entry in entries if isinstance(entry, dict) and entry.get("cron")]
    if not crons:
        raise EventError("the workflow's schedule trigger has no cron entries")
    if requested is None:
        return crons[0]
    if requested not in crons:
        raise EventError(f"--schedule {requested!r} is not one of the workflow's crons: {', '.join(crons)}")
    return requested


def read_payload_file(path: Path) -> dict[str, Any]:
    """A user's own event payload: a JSON object, or a refusal naming the file and the problem."""
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise EventError(f"--event-path {path}: {error.strerror or error}") from error
    except json.JSONDecodeError as error:
        raise EventError(f"--event-path {path}: not JSON ({error.msg}, line {error.lineno})") from error
    if not isinstance(document, dict):
        raise EventError(f"--event-path {path}: the payload must be a JSON object")
    return document


def payload(trigger: Trigger, repository: str, sha: str) -> dict[str, Any]:
    """The webhook payload GitHub would send, with what workflows' expressions read from it."""
    if trigger.payload_file is not None:
        return read_payload_file(trigger.payload_file)
    owner, name = repository.split("/", 1)
    body: dict[str, Any] = {
        "repository": {
            "full_name": repository,
            "name": name,
            "owner": {"login": owner},
            "default_branch": DEFAULT_BRANCH,
            "html_url": f"https://github.com/{repository}",
        },
        "sender": {"login": "octocat"},
    }
    if trigger.event == "push":
        now = datetime.now(UTC).isoformat(timespec="seconds")
        author = {"name": "Octo Cat", "email": "octocat@users.noreply.github.com", "username": "octocat"}
        body |= {
            "ref": trigger.ref,
            "before": "0" * 40,
            "after": sha,
            "created": False,
            "deleted": False,
            "forced": False,
            "base_ref": None,
            "pusher": {"name": "octocat", "email": author["email"]},
            "head_commit": {"id": sha, "message": "Ship it", "timestamp": now, "author": author},
        }
    elif trigger.event in ("workflow_dispatch", "create"):
        body["ref"] = trigger.ref
        if trigger.event == "workflow_dispatch":
            body["inputs"] = dict(trigger.inputs)
        else:
            body["ref_type"] = "tag" if str(trigger.ref).startswith("refs/tags/") else "branch"
    elif trigger.event == "schedule":
        body["schedule"] = trigger.schedule
    elif trigger.event == "release":
        tag = (trigger.ref or "").removeprefix("refs/tags/") or DEFAULT_RELEASE_TAG
        body |= {"action": "published", "release": {"tag_name": tag, "name": tag, "draft": False}}
    elif trigger.event in ("pull_request", "pull_request_target"):
        body |= {
            "action": "opened",
            "number": 1,
            "pull_request": {
                "number": 1,
                "title": "Ship it",
                "head": {"ref": "feature", "sha": sha},
                "base": {"ref": DEFAULT_BRANCH},
                "html_url": f"https://github.com/{repository}/pull/1",
            },
        }
    return body
