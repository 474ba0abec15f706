"""Per-type Live Activity rules: which fields a type needs at start, update and end (docs/api.md).

These are prose in the API's spec rather than JSON-Schema, so the server's answer to a violation is not
documented; checking them here turns a vague 400 (or a silently blank Live Activity) into a message that
names the missing field. They also run on a content state the structural models found faults in (so every
problem is reported at once), and so must not assume any field has the right type.
"""

from __future__ import annotations

from typing import Any

from activitysmith_action.actions import Phase
from activitysmith_action.errors import Problem
from activitysmith_action.models import ACTIVITY_TYPES

_PHASE_WORDS = {
    "start": "starting",
    "update": "updating",
    "end": "ending",
    "stream": "streaming",
    "stream_end": "ending a stream",
}
_SECONDARY_TYPES = frozenset({"alert", "progress", "segmented_progress", "value"})


def _known_type(state: dict[str, Any]) -> str | None:
    """The state's Live Activity type, or None when it is absent or invalid (the models report that one):
    no per-type rule applies then, and an unhashable value never reaches a set lookup."""
    kind = state.get("type")
    return kind if isinstance(kind, str) and kind in ACTIVITY_TYPES else None


def content_state_problems(
    state: dict[str, Any], phase: Phase, base: str = "payload.content_state"
) -> list[Problem]:
    """Every per-type problem in one content state, each naming its field."""
    problems: list[Problem] = []
    kind = _known_type(state)
    when = _PHASE_WORDS[phase]

    def need(name: str, why: str = "") -> None:
        if state.get(name) is None:
            problems.append(Problem(f"{base}.{name}", f"is required for type {kind} when {when}{why}"))

    if kind is None and phase == "start":
        problems.append(
            Problem(
                f"{base}.type", "is required to start a Live Activity; one of: " + ", ".join(ACTIVITY_TYPES)
            )
        )
    steps, step = state.get("number_of_steps"), state.get("current_step")
    if isinstance(steps, int) and isinstance(step, int) and step > steps:
        problems.append(Problem(f"{base}.current_step", f"must be ≤ number_of_steps ({steps}); got {step}"))
    # By key, not value: the API's start/update content states have no such field, so even a null is refused.
    if "auto_dismiss_minutes" in state and phase in ("start", "update"):
        problems.append(
            Problem(
                f"{base}.auto_dismiss_minutes",
                "is only accepted when ending a Live Activity (end_live_activity) or on a stream",
            )
        )
    if "auto_dismiss_seconds" in state and phase not in ("stream", "stream_end"):
        problems.append(
            Problem(
                f"{base}.auto_dismiss_seconds",
                "is only accepted on a stream (stream_live_activity, end_live_activity_stream)",
            )
        )
    if state.get("step_color") is not None and kind not in (None, "segmented_progress"):
        problems.append(
            Problem(f"{base}.step_color", f"is only used by type segmented_progress; got type {kind}")
        )
    if kind == "segmented_progress":
        if phase == "start":
            need("number_of_steps")
        need("current_step")
    elif kind == "progress":
        _progress(state, base, when, problems)
    elif kind in ("metrics", "stats") and phase in ("start", "update", "stream"):
        need("metrics")
    elif kind == "alert":
        need("message")
    elif kind == "timer":
        # counts_down false counts up: open-ended without duration_seconds, bounded with it.
        if phase == "start" and state.get("counts_down") is not False:
            need("duration_seconds", " (or set counts_down: false for a timer that counts up)")
    elif kind == "value":
        need("value")
    return problems


def _progress(state: dict[str, Any], base: str, when: str, problems: list[Problem]) -> None:
    value, limit = state.get("value"), state.get("upper_limit")
    if value is not None and not isinstance(value, int | float):
        problems.append(Problem(f"{base}.value", f"must be a number for type progress; got {value!r}"))
    # value and upper_limit depend on each other in every request, with or without percentage (the API's
    # dependentRequired): a lone one is refused by the service even when percentage is also given.
    if value is not None and limit is None:
        problems.append(Problem(f"{base}.upper_limit", "is required together with value for type progress"))
    elif limit is not None and value is None:
        problems.append(Problem(f"{base}.value", "is required together with upper_limit for type progress"))
    elif value is None and state.get("percentage") is None:
        problems.append(
            Problem(
                f"{base}.percentage",
                f"is required for type progress when {when} (or give value together with upper_limit)",
            )
        )


def secondary_action_problem(body: dict[str, Any], base: str = "payload") -> Problem | None:
    """`secondary_action` shows only on alert, progress, segmented_progress and value activities."""
    state = body.get("content_state")
    kind = _known_type(state) if isinstance(state, dict) else None
    if kind is None:
        return None
    if body.get("secondary_action") is not None and kind not in _SECONDARY_TYPES:
        return Problem(
            f"{base}.secondary_action",
            f"is not shown on type {kind}; only on " + ", ".join(sorted(_SECONDARY_TYPES)),
        )
    return None
