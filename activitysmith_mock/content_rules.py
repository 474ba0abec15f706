"""Required fields per Live Activity type at start, update and end (as the API documents them).

The spec states these as prose, so the service enforces them here with 400 "Invalid content_state" and a
message naming the field, e.g. `content_state.number_of_steps: required for type segmented_progress`.
"""

from __future__ import annotations

from typing import Any, Literal

from activitysmith_mock.errors import ApiError, bad_request

Phase = Literal["start", "update", "end"]


def _fail(field: str, problem: str) -> ApiError:
    return bad_request("Invalid content_state", f"content_state.{field}: {problem}", "invalid_content_state")


def check_content_state(phase: Phase, state: dict[str, Any], kind: str | None) -> None:
    """`state` is the request's content state; `kind` its type, or the activity's when the request omits it.

    Updates and ends are checked on what the request sends (the spec lists what each call must carry), not on
    the merged state, so a client that forgets `current_step` on an update learns it.
    """
    if kind is None:
        raise _fail("type", "required (the first PUT of a stream or a start must say which type)")
    present = {name for name, value in state.items() if value is not None}

    def need(field: str) -> None:
        if field not in present:
            raise _fail(field, f"required for type {kind}")

    if kind == "segmented_progress":
        if phase == "start":
            need("number_of_steps")
        need("current_step")
        # Only against the request's own number_of_steps: the API bounds current_step "when number_of_steps is
        # provided", and a workflow may gain steps without saying so on every update.
        steps = state.get("number_of_steps")
        if steps is not None and state["current_step"] > steps:
            raise _fail("current_step", f"must be at most number_of_steps ({steps})")
    elif kind == "progress":
        if "value" in present and not isinstance(state["value"], int | float):
            raise _fail("value", "must be a number for type progress")
        if "value" in present and "upper_limit" not in present:
            raise _fail("upper_limit", "required together with value for type progress")
        if "upper_limit" in present and "value" not in present:
            raise _fail("value", "required together with upper_limit for type progress")
        if "percentage" not in present and "value" not in present:
            raise _fail("percentage", "required for type progress (or value with upper_limit)")
    elif kind in ("metrics", "stats"):
        if phase != "end":
            need("metrics")
    elif kind == "alert":
        need("message")
    elif kind == "timer":
        # A countdown needs its duration at start; counts_down false counts up, open-ended without
        # duration_seconds or bounded with it (the API forbids neither).
        if phase == "start" and state.get("counts_down", True):
            need("duration_seconds")
    elif kind == "value":
        need("value")
