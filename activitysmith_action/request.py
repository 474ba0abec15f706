"""Build the one HTTP request an action makes, and validate it completely before anything is sent.

The only place that catches pydantic errors: each becomes a `Problem` naming the field with the user's
spelling (`payload.content_state.current_step`) and saying what is wrong and what was given. All problems
are raised together in one `PayloadError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from activitysmith_action import models
from activitysmith_action.actions import ACTIONS, ActionSpec
from activitysmith_action.errors import PayloadError, Problem
from activitysmith_action.inputs import Inputs
from activitysmith_action.redact import Redactor
from activitysmith_action.rules import content_state_problems, secondary_action_problem


@dataclass(frozen=True)
class PlannedRequest:
    """Exactly what will go on the wire (minus the headers, which the client adds)."""

    action: str
    method: str
    path: str
    body: dict[str, Any] | None
    repeat_safe: bool

    @property
    def spec(self) -> ActionSpec:
        return ACTIONS[self.action]

    @property
    def channels(self) -> list[str] | None:
        """The channel slugs the request targets; None when untargeted (all recipients of the key) or when
        the action is not targeted by channels at all (see `spec.takes_channels`)."""
        body = self.body or {}
        target = body.get("target")
        chosen = target.get("channels") if isinstance(target, dict) else body.get("channels")
        return [str(slug) for slug in chosen] if isinstance(chosen, list) else None

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + self.path

    def body_bytes(self) -> bytes | None:
        if self.body is None:
            return None
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _path(loc: tuple[int | str, ...]) -> str:
    text = "payload"
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _given(value: Any, redactor: Redactor) -> str:
    return redactor.clip(json.dumps(value, ensure_ascii=False, default=str), 60)


_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "list_type": "a list",
}


def _message(error: Any, redactor: Redactor) -> str:
    """One pydantic error in our words; the JSON given is appended unless it could mislead."""
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field the API accepts here (check the spelling)"
    if kind in _TYPE_WORDS or kind.endswith("_type"):
        text = f"must be {_TYPE_WORDS.get(kind, kind.removesuffix('_type'))}"
    elif kind == "literal_error":
        text = "must be one of: " + str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[
            kind
        ]
        bound = next(iter(v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")))
        bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
        text = f"must be {sign} {bound}"
    elif kind == "too_short":
        text = f"must have at least {ctx.get('min_length')} item(s)"
    elif kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items; got {ctx.get('actual_length')}"
    elif kind == "string_too_short":
        text = "must not be empty"
    elif kind == "finite_number":
        text = "must be a finite number"
    elif kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    else:
        text = error["msg"][:1].lower() + error["msg"][1:]
    return f"{text}; got {_given(given, redactor)}"


def _apply_channels(body: dict[str, Any], inputs: Inputs) -> None:
    """`channels` input (and a payload `channels` on push/start/badge) -> `target.channels`, like the SDKs."""
    if not ACTIONS[inputs.action].takes_channels or "target" in body:
        return
    if "channels" in body and inputs.action != "stream_live_activity":
        given = body.pop("channels")
        if isinstance(given, str):
            given = [part.strip() for part in given.split(",") if part.strip()]
        if isinstance(given, list) and given:
            body["target"] = {"channels": given}
        elif given not in ([], None):
            body["channels"] = given  # leave it for the model to report with its path
        return
    if inputs.channels and "channels" not in body:
        body["target"] = {"channels": list(inputs.channels)}


def _slugs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(slug, str) for slug in value)


def _stream_channels_problem(body: dict[str, Any], redactor: Redactor) -> Problem | None:
    """A stream takes `channels` or `target.channels`; the API refuses both when they name different slugs."""
    channels, target = body.get("channels"), body.get("target")
    chosen = target.get("channels") if isinstance(target, dict) else None
    if not (_slugs(channels) and _slugs(chosen)):
        return None  # absent, or malformed and already reported by the model
    assert isinstance(channels, list) and isinstance(chosen, list)
    if {c.strip() for c in channels} == {c.strip() for c in chosen}:
        return None
    return Problem(
        "payload.target.channels",
        "must name the same channels as payload.channels when both are given; got "
        f"{_given(chosen, redactor)} and payload.channels {_given(channels, redactor)} "
        "(give just one of them)",
    )


def _body(inputs: Inputs, payload: dict[str, Any] | None) -> dict[str, Any] | None:
    if payload is None:
        return None
    body = dict(payload)
    _apply_channels(body, inputs)
    spec = ACTIONS[inputs.action]
    if spec.id_body_field:
        body[spec.id_body_field] = inputs.live_activity_id
    return body


def build_request(inputs: Inputs, payload: dict[str, Any] | None, redactor: Redactor) -> PlannedRequest:
    """Validate the payload for the chosen action and return the request; raise every problem at once.

    `redactor` removes the key from the payload values quoted in messages before they are shortened."""
    spec = ACTIONS[inputs.action]
    body = _body(inputs, payload)
    problems: list[Problem] = []
    if body is not None:
        model: type[BaseModel] = getattr(models, spec.model)
        try:
            model.model_validate_json(json.dumps(body, ensure_ascii=False))
        except ValidationError as exc:
            problems.extend(
                Problem(_path(e["loc"]), _message(e, redactor)) for e in exc.errors(include_url=False)
            )
        state = body.get("content_state")
        if spec.phase and isinstance(state, dict):
            # Per-type rules run beside the models' findings; a field the models already faulted is not
            # reported twice (a wrong-typed `number_of_steps` needs no second "≤" message).
            reported = {p.field for p in problems}
            problems.extend(p for p in content_state_problems(state, spec.phase) if p.field not in reported)
        extra = secondary_action_problem(body)
        if extra:
            problems.append(extra)
        if inputs.action == "stream_live_activity":
            mismatch = _stream_channels_problem(body, redactor)
            if mismatch:
                problems.append(mismatch)
        if spec.model in ("PushRequest", "PushReplaceRequest") and body.get("media") and body.get("actions"):
            problems.append(
                Problem(
                    "payload.media",
                    "cannot be combined with actions (iOS shows one or the other); remove media or actions",
                )
            )
    if problems:
        raise PayloadError("invalid_payload", problems)
    key = inputs.stream_key or inputs.metric_key or inputs.notification_id
    path = spec.path.replace("{key}", quote(key, safe=""))
    return PlannedRequest(inputs.action, spec.method, path, body, spec.repeat_safe)
