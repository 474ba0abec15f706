"""The job summary of one step: a pure function from an `Outcome` to Markdown.

No I/O and no redaction here (the writer removes the key from everything it writes), so tests render the
summary of any outcome directly and compare text. Everything that came from a user or a server (payload text,
answer fields, error bodies, URLs) is escaped, so it shows as text and never becomes a heading, link, image,
checkbox or HTML; code blocks use fences their content cannot close. The whole summary is bounded.
"""

from __future__ import annotations

import json
import re
from typing import Any

from activitysmith_action import preview
from activitysmith_action.bounds import MAX_LISTED_PROBLEMS, MAX_SUMMARY_CHARS, bounded
from activitysmith_action.outcome import Outcome

__all__ = ["README_ERRORS", "render"]

README_ERRORS = "https://github.com/pyactivitysmith/activitysmith-action#errors"
_VERDICTS = {
    "dry_run": "🧪 dry run: nothing was sent",
    "delivered": "✅ delivered",
    "failed": "❌ failed",
}
# The planned request shown in a dry run's summary (the log has it whole, up to its own bound).
_MAX_PLAN_CHARS = 16 * 1024
# Every ASCII punctuation character may be backslash-escaped in CommonMark, and escaped it is plain text: no
# emphasis, link, image, HTML tag, entity, heading, list marker, table pipe or (GitHub) bare-URL autolink.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_BACKTICKS = re.compile(r"`+")


def _text(value: Any) -> str:
    """Text that came from a user or a server, as inert Markdown on one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def _cell(value: Any) -> str:
    return _text(value) if value not in (None, "") else "—"


def _fence(text: str, shortest: int) -> str:
    """A run of backticks longer than any inside `text`, so the text cannot close what it opens."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(shortest, longest + 1)


def _code(value: str) -> str:
    """An inline code span (pipes escaped, which GitHub's tables require even inside code)."""
    fence = _fence(value, 1)
    inner = value.replace("|", "\\|")
    return f"{fence} {inner} {fence}" if "`" in value else f"{fence}{inner}{fence}"


def _block(language: str, text: str) -> list[str]:
    fence = _fence(text, 3)
    return [f"{fence}{language}", text, fence]


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
    action = outcome.action  # one of the known action names, or ""
    heading = f"### ActivitySmith `{action}`: {verdict}" if action else f"### ActivitySmith: {verdict}"
    lines = [heading]
    if planned is not None:  # before a request is planned (a bad input or payload) every row would be empty
        rows = [
            ("Request", _code(f"{planned.method} {planned.path}")),
            ("Service", _cell(outcome.base_url)),
            ("Status", _cell(outcome.status)),
            ("Operation", _cell(outcome.answer.get("operation"))),
            (
                "Activity id",
                _cell(outcome.answer.get("activity_id") or (planned.body or {}).get("activity_id")),
            ),
            ("Channels", _cell(_channels(outcome))),
            ("Attempts", _cell(outcome.attempts if outcome.sent else None)),
            ("Duration", _cell(_seconds(outcome.duration))),
        ]
        lines += ["", "| | |", "|---|---|"] + [f"| {name} | {value} |" for name, value in rows]
        picture = preview.render((planned.body or {}).get("content_state"))
        if picture:
            lines += ["", *_block("text", picture)]
    error = outcome.error
    if error is not None:
        lines += ["", f"**{len(error.problems):,} problem(s)** (`{error.code}`, see {README_ERRORS}):", ""]
        lines += [f"- {_text(p)}" for p in error.problems[:MAX_LISTED_PROBLEMS]]
        if len(error.problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"- … and {len(error.problems) - MAX_LISTED_PROBLEMS:,} more problems")
    plan = outcome.plan()
    if plan is not None:
        text = bounded(json.dumps(plan, indent=2, ensure_ascii=False), _MAX_PLAN_CHARS)
        lines += [
            "",
            "<details><summary>Planned request</summary>",
            "",
            *_block("json", text),
            "",
            "</details>",
        ]
    return bounded("\n".join(lines), MAX_SUMMARY_CHARS) + "\n"
