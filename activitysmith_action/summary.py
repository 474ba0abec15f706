"""The job summary of one step: a pure function from an `Outcome` to Markdown.

No I/O and no redaction here (the writer removes the key from everything it writes), so tests render the
summary of any outcome directly and compare text.
"""

from __future__ import annotations

import json
from typing import Any

from activitysmith_action import preview
from activitysmith_action.outcome import Outcome

__all__ = ["README_ERRORS", "render"]

README_ERRORS = "https://github.com/pyactivitysmith/activitysmith-action#errors"
_VERDICTS = {
    "dry_run": "🧪 dry run: nothing was sent",
    "delivered": "✅ delivered",
    "failed": "❌ failed",
}


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def _channels(outcome: Outcome) -> str | None:
    """The channels the answer says it reached, else those the request targeted; None when the action is
    not targeted by channels."""
    reached = outcome.answer.get("effective_channel_slugs")
    if isinstance(reached, list):
        return ", ".join(map(str, reached))
    planned = outcome.planned
    if planned is None or not planned.spec.takes_channels:
        return None  # update, end, end-stream and metric requests are not targeted by channel
    chosen = planned.channels
    return ", ".join(chosen) if chosen is not None else "all recipients of the key"


def _seconds(duration: float | None) -> str | None:
    return f"{duration:.2f} s" if duration is not None else None


def render(outcome: Outcome) -> str:
    planned = outcome.planned
    verdict = _VERDICTS[outcome.kind]
    action = outcome.action
    heading = f"### ActivitySmith `{action}`: {verdict}" if action else f"### ActivitySmith: {verdict}"
    lines = [heading]
    if planned is not None:  # before a request is planned (a bad input or payload) every row would be empty
        rows = [
            ("Request", f"`{planned.method} {planned.path}`"),
            ("Service", outcome.base_url),
            ("Status", outcome.status),
            ("Operation", outcome.answer.get("operation")),
            ("Activity id", outcome.answer.get("activity_id") or (planned.body or {}).get("activity_id")),
            ("Channels", _channels(outcome)),
            ("Attempts", outcome.attempts if outcome.sent else None),
            ("Duration", _seconds(outcome.duration)),
        ]
        lines += ["", "| | |", "|---|---|"] + [f"| {name} | {_cell(value)} |" for name, value in rows]
        picture = preview.render((planned.body or {}).get("content_state"))
        if picture:
            lines += ["", "```text", picture, "```"]
    error = outcome.error
    if error is not None:
        lines += ["", f"**{len(error.problems)} problem(s)** (`{error.code}`, see {README_ERRORS}):", ""]
        lines += [f"- {p}" for p in error.problems]
    plan = outcome.plan()
    if plan is not None:
        lines += [
            "",
            "<details><summary>Planned request</summary>",
            "",
            "```json",
            json.dumps(plan, indent=2, ensure_ascii=False),
            "```",
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"
