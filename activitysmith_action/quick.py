"""Quick inputs: `title`, `message`, `current-step`, `link-to-run`, ... as one `with:` line each.

A one-line push (`title: Deployed`) needs no YAML block. Each quick input fills one field of the body, at the
action's `quick_home` from the actions table: the top level of a push, the `content_state` of a Live Activity
request. The payload wins: a field the payload already has is left as the payload wrote it. Numbers are read
as numbers here, naming the input (`current-step: must be a whole number; got "two"`); everything else is
checked by the same models as a payload, and a problem in a field a quick input filled is reported under the
input's name, not the payload path the user never wrote.

Quick inputs are plain strings: no placeholder is expanded in them (`${{ }}` is expanded by the runner, and a
value from it is one string, so no quoting can break it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from activitysmith_action import runner
from activitysmith_action.actions import ACTIONS, QUICK_INPUTS, QuickInput, listed
from activitysmith_action.errors import ActionError, InputError, PayloadError, Problem

__all__ = ["RUN_BUTTON_TITLE", "merge", "read_quick_inputs", "renamed", "run_url"]

RUN_BUTTON_TITLE = "View run"
_WHOLE = re.compile(r"-?[0-9]{1,12}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,12})?")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")


def run_url() -> str | None:
    """This run's page, from what the runner sets in every step (None when any part is missing)."""
    parts = [os.environ.get(name, "").strip() for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run_id = os.environ.get("GITHUB_RUN_ID", "").strip()
    if not all(parts) or not run_id.isdigit():
        return None
    return f"{parts[0].rstrip('/')}/{parts[1]}/actions/runs/{run_id}"


def _convert(quick: QuickInput, raw: str, shown: Callable[[str], str]) -> tuple[Any, str | None]:
    """The JSON value for the input's text, or a problem message."""
    if quick.kind == "whole":
        if _WHOLE.fullmatch(raw):
            return int(raw), None
        return None, f"must be a whole number; got {shown(raw)}"
    if quick.kind == "number":
        if _NUMBER.fullmatch(raw):
            return (float(raw) if "." in raw else int(raw)), None
        return None, f"must be a number such as 40 or 62.5; got {shown(raw)}"
    if quick.kind == "run_link":
        if raw in _FALSE:
            return None, None
        if raw not in _TRUE:
            return None, f"must be true or false; got {shown(raw)}"
        url = run_url()
        if url is None:
            return None, (
                "needs GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID, which the runner sets in "
                "every step; they are missing here"
            )
        return url, None
    return raw, None


def read_quick_inputs(
    action: str, shown: Callable[[str], str]
) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Every quick input the step gives: their JSON values (by input name) for the ones this action takes,
    the problems, and a warning for each given one the action does not take. Reads every quick input, so an
    unknown action still gets its quick inputs checked."""
    spec = ACTIONS.get(action)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    for quick in QUICK_INPUTS:
        raw = runner.get_input(quick.name)
        if not raw:
            continue
        value, problem = _convert(quick, raw, shown)
        if problem:
            problems.append(Problem(quick.name, problem))
            continue
        if spec is None or value is None:
            continue
        if spec.quick_home is None or spec.quick_home not in quick.homes:
            takers = [s.name for s in ACTIONS.values() if s.quick_home in quick.homes]
            verb = "takes" if len(takers) == 1 else "take"
            warnings.append(f"{quick.name} is ignored for {action}: only {listed(takers)} {verb} it")
            continue
        values[quick.name] = value
    return values, problems, warnings


def merge(
    action: str, payload: dict[str, Any] | None, values: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The body with the quick values filled in where the payload is silent, and which payload paths came
    from which input (for `renamed`). With no payload, every path a quick input could fill is attributed to
    it, so "is required" names the input the user would give."""
    spec = ACTIONS[action]
    if not values or spec.quick_home is None:
        return payload, {}
    body = dict(payload or {})
    origins: dict[str, str] = {}
    if spec.quick_home == "content_state":
        existing = body.get("content_state", {})
        if not isinstance(existing, dict):
            return body, {}  # the model names the malformed content_state; nothing to merge into
        home: dict[str, Any] = dict(existing)
        prefix = "payload.content_state"
    else:
        home, prefix = body, "payload"
    for quick in QUICK_INPUTS:
        if spec.quick_home not in quick.homes:
            continue
        if quick.kind == "run_link" and spec.quick_home == "content_state":
            # A Live Activity has no redirection: the run link is its `open_url` button.
            if quick.name in values and "action" not in body:
                body["action"] = {"title": RUN_BUTTON_TITLE, "type": "open_url", "url": values[quick.name]}
                origins["payload.action"] = quick.name
            continue
        path = f"{prefix}.{quick.field}"
        if quick.name in values and quick.field not in home:
            home[quick.field] = values[quick.name]
            origins[path] = quick.name
        elif payload is None:
            origins[path] = quick.name
    # An end of a stream may carry no content state at all; every other Live Activity request needs one, and
    # an empty one lets the models name each missing field (`title: is required`).
    if spec.quick_home == "content_state" and (home or spec.phase != "stream_end"):
        body["content_state"] = home
    return body, origins


def renamed(error: PayloadError, origins: dict[str, str]) -> ActionError:
    """The payload error with each problem in a quick-filled field named by its input. When every problem is
    an input's, it is an input error (`invalid_input`, or `missing_input` when all are missing fields)."""
    if not origins:
        return error

    def origin(field: str) -> str | None:
        for path, name in origins.items():
            if field == path or field.startswith((path + ".", path + "[")):
                return name
        return None

    problems = [Problem(origin(p.field) or p.field, p.message) for p in error.problems]
    if all(origin(p.field) for p in error.problems):
        missing = all(p.message.startswith("is required") for p in problems)
        return InputError("missing_input" if missing else "invalid_input", problems)
    return PayloadError(error.code, problems)
