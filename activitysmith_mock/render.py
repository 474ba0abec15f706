"""Text rendering of what each device shows now: Live Activity cards, the badge, the last pushes.

Input is the `GET /_mock/devices` document, so the renderer works the same for a local state or a remote
service (show.py). Pure functions: easy to test, and the demo prints their output to the user.
"""

from __future__ import annotations

from typing import Any

CARD_WIDTH = 46
BAR_CELLS = 10


def segmented_bar(current: int, steps: int) -> str:
    """`▰▰▰▱▱ 3/5`: one cell per step, filled up to the current step."""
    steps = max(steps, 1)
    current = min(max(current, 0), steps)
    if steps > 20:  # keep the card narrow: fall back to a proportional bar
        return f"{proportional_bar(current / steps)} {current}/{steps}"
    return "▰" * current + "▱" * (steps - current) + f" {current}/{steps}"


def proportional_bar(fraction: float) -> str:
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * BAR_CELLS)
    return "█" * filled + "░" * (BAR_CELLS - filled)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def body_lines(activity: dict[str, Any]) -> list[str]:
    """The type-specific part of a card."""
    state = activity["content_state"]
    kind = state.get("type")
    lines: list[str] = []
    if kind == "segmented_progress":
        lines.append(segmented_bar(int(state.get("current_step", 0)), int(state.get("number_of_steps", 1))))
    elif kind == "progress":
        if state.get("percentage") is not None:
            percent = float(state["percentage"])
            lines.append(f"{proportional_bar(percent / 100)} {_number(round(percent, 1))}%")
        elif state.get("value") is not None and state.get("upper_limit"):
            value, limit = float(state["value"]), float(state["upper_limit"])
            lines.append(f"{proportional_bar(value / limit)} {_number(value)}/{_number(limit)}")
    elif kind in ("metrics", "stats"):
        parts = [
            f"{metric['label']} {_number(metric['value'])}{metric.get('unit', '')}"
            for metric in state.get("metrics", [])
        ]
        lines.extend(" · ".join(parts[i : i + 3]) for i in range(0, len(parts), 3))
    elif kind == "alert":
        lines.append(f"! {state.get('message', '')}")
    elif kind == "timer":
        lines.append(_timer_line(activity))
    elif kind == "value":
        lines.append(_number(state.get("value", "")))
    if state.get("badge"):
        lines.append(f"[{state['badge']['title']}]")
    buttons = [activity[name]["title"] for name in ("action", "secondary_action") if activity.get(name)]
    if buttons:
        lines.append("  ".join(f"[ {title} ]" for title in buttons))
    return lines


def _timer_line(activity: dict[str, Any]) -> str:
    state = activity["content_state"]
    elapsed = float(activity.get("timer_elapsed_seconds") or 0)
    paused = state.get("is_running") is False
    suffix = " (paused)" if paused else ""
    if state.get("counts_down", True) and state.get("duration_seconds"):
        return f"timer {_clock(float(state['duration_seconds']) - elapsed)} left{suffix}"
    return f"timer {_clock(elapsed)} elapsed{suffix}"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def card(activity: dict[str, Any]) -> list[str]:
    """A small boxed card for one Live Activity."""
    inner = CARD_WIDTH - 4
    state = activity["content_state"]
    status = "LIVE" if activity["status"] == "active" else "ENDED"
    title = _fit(state.get("title", ""), inner - len(status) - 1)
    lines = [f"{title}{' ' * (inner - len(title) - len(status))}{status}"]
    if state.get("subtitle"):
        lines.append(state["subtitle"])
    lines.extend(body_lines(activity))
    if activity.get("stream_key"):
        lines.append(f"stream {activity['stream_key']}")
    if activity["status"] == "ended" and activity.get("dismiss_at"):
        lines.append(f"dismisses at {activity['dismiss_at'][11:19]} UTC")
    top = "╭" + "─" * (CARD_WIDTH - 2) + "╮"
    bottom = "╰" + "─" * (CARD_WIDTH - 2) + "╯"
    return [top, *(f"│ {_fit(line, inner).ljust(inner)} │" for line in lines), bottom]


def render_device(device: dict[str, Any], *, last_pushes: int = 3) -> str:
    connected = "connected" if device["connected"] else "DISCONNECTED"
    channels = ", ".join(device["channels"]) or "none"
    badge = device["badge"] if device["badge"] is not None else "-"
    header = f"{device['name']} ({device['id']}) · {device['member']} · channels: {channels} · {connected}"
    lines = [header, f"  app icon badge: {badge}"]
    activities = device["live_activities"]
    active = sum(1 for a in activities if a["status"] == "active")
    capacity = device.get("capacity")
    lines.append(f"  Live Activities: {active} active" + (f" of {capacity}" if capacity else ""))
    for activity in activities:
        lines.extend(f"  {row}" for row in card(activity))
    pushes = device["pushes"][-last_pushes:]
    lines.append(f"  last pushes ({len(device['pushes'])} received):" if pushes else "  no pushes yet")
    for push in pushes:
        text = push["title"] + (f" — {push['message']}" if push.get("message") else "")
        if push.get("replaced"):
            text += f"  (replaced at {push['replaced_at'][11:19]})"
        lines.append(f"    {push['received_at'][11:19]}  {text}")
    return "\n".join(lines)


def render_devices(document: dict[str, Any]) -> str:
    devices = document.get("devices", [])
    if not devices:
        return "No devices."
    return "\n\n".join(render_device(device) for device in devices)
