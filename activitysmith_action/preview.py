"""A plain-text picture of a Live Activity, so the job summary shows what the phone shows.

Text rather than images: it renders the same in the log, the job summary and a terminal, and tests can
compare it exactly.
"""

from __future__ import annotations

from typing import Any

BAR_WIDTH = 10


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bar(fraction: float) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _duration(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def body_line(state: dict[str, Any]) -> str:
    """The one line that carries the activity's state, by type (empty when nothing is known)."""
    kind = state.get("type")
    steps, step = state.get("number_of_steps"), state.get("current_step")
    if kind == "segmented_progress" or (kind is None and step is not None):
        if isinstance(steps, int) and isinstance(step, int):
            return "▰" * step + "▱" * max(0, steps - step) + f" step {step} of {steps}"
        return f"step {step}" if step is not None else ""
    if kind == "progress" or (kind is None and state.get("percentage") is not None):
        percentage = state.get("percentage")
        value, limit = state.get("value"), state.get("upper_limit")
        if isinstance(percentage, int | float):
            return f"{_bar(percentage / 100)} {_number(percentage)}%"
        if isinstance(value, int | float) and isinstance(limit, int | float) and limit > 0:
            return f"{_bar(value / limit)} {_number(value)} / {_number(limit)}"
        return ""
    if state.get("metrics"):
        return " · ".join(
            f"{m.get('label')} {_number(m.get('value'))}{m.get('unit') or ''}" for m in state["metrics"]
        )
    if kind == "alert":
        return f"⚠ {state.get('message', '')}".rstrip()
    if kind == "timer":
        running = "" if state.get("is_running", True) else " (paused)"
        if state.get("counts_down") is False:
            return f"⏱ counting up{running}"
        duration = state.get("duration_seconds")
        return (
            f"⏱ {_duration(duration)} countdown{running}"
            if isinstance(duration, int | float)
            else f"⏱ timer{running}"
        )
    if state.get("value") is not None:
        return _number(state["value"])
    if state.get("message"):
        return str(state["message"])
    return ""


def render(state: dict[str, Any] | None) -> str:
    """Title line, optional subtitle, then the state line; empty for requests without a content state."""
    if not isinstance(state, dict):
        return ""
    lines = [str(state.get("title", ""))]
    if state.get("subtitle"):
        lines.append(str(state["subtitle"]))
    line = body_line(state)
    if line:
        lines.append(line)
    return "\n".join(lines)
