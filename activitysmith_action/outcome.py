"""What one step did, in one object: the log, the outputs and the summary are all derived from it.

`main()` builds exactly one `Outcome` (a dry run, a delivered request, or a failure) and hands it to the
writer; nothing else carries the step's result around, so the outputs and the summary cannot disagree.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from activitysmith_action.bounds import MAX_OUTPUT_CHARS, bounded
from activitysmith_action.client import Delivered, request_headers
from activitysmith_action.errors import ActionError, DeliveryError
from activitysmith_action.redact import REDACTED
from activitysmith_action.request import PlannedRequest

__all__ = ["OUTPUT_NAMES", "Outcome"]

# Every output action.yml declares, in the order they are written; a test keeps the two equal.
OUTPUT_NAMES: tuple[str, ...] = (
    "ok",
    "response",
    "time",
    "live_activity_id",
    "operation",
    "notification_id",
    "status",
    "attempts",
    "error",
)


def _answer_text(answer: dict[str, Any], name: str) -> str:
    """A string field of the API's answer; anything else (absent, null, a number) reads as empty."""
    value = answer.get(name)
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Outcome:
    """One of three endings: `dry_run`, `delivered` (a 2xx answer) or `failed` (an `ActionError`)."""

    # The step's action when it is one we know ("" when the `action` input itself was wrong).
    action: str
    base_url: str
    planned: PlannedRequest | None = None
    delivered: Delivered | None = None
    error: ActionError | None = None
    dry_run: bool = False
    # `errors: false` after a failed delivery: the step passes with ok=false.
    keep_going: bool = False
    # The `summary` input: whether the job summary is written.
    write_summary: bool = True
    finished_at: int = field(default_factory=lambda: int(time.time()))

    @property
    def kind(self) -> Literal["dry_run", "delivered", "failed"]:
        if self.error is not None:
            return "failed"
        return "dry_run" if self.dry_run else "delivered"

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def sent(self) -> bool:
        """Whether a request went out (a dry run and an input or payload error send nothing)."""
        return self.delivered is not None or isinstance(self.error, DeliveryError)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok or self.keep_going else 1

    @property
    def answer(self) -> dict[str, Any]:
        """The API's 2xx answer ({} when there is none)."""
        return self.delivered.body if self.delivered else {}

    @property
    def operation(self) -> str:
        return _answer_text(self.answer, "operation")

    @property
    def activity_id(self) -> str:
        return _answer_text(self.answer, "activity_id")

    @property
    def status(self) -> int | None:
        if self.delivered:
            return self.delivered.status
        return self.error.status if isinstance(self.error, DeliveryError) else None

    @property
    def attempts(self) -> int:
        if self.delivered:
            return self.delivered.attempts
        return self.error.attempts if isinstance(self.error, DeliveryError) else 0

    @property
    def duration(self) -> float | None:
        if self.delivered:
            return self.delivered.duration
        return self.error.duration if isinstance(self.error, DeliveryError) else None

    def plan(self) -> dict[str, Any] | None:
        """For a dry run: the request exactly as it would be sent, with the key's place shown as `***`."""
        if not self.dry_run or self.planned is None:
            return None
        return {
            "method": self.planned.method,
            "url": self.planned.url(self.base_url),
            "headers": request_headers(REDACTED, self.planned.body is not None),
            "body": self.planned.body,
        }

    def outputs(self) -> dict[str, str]:
        """Every declared output; the ones that do not apply to this ending are empty."""
        if self.error is not None:
            error = self.error
            body = error.body if isinstance(error, DeliveryError) and error.body is not None else None
            response: Any = body if body is not None else {"error": str(error)}
            values: dict[str, Any] = {"ok": "false", "error": str(error)}
        else:
            response = self.plan() if self.dry_run else self.answer
            if self.delivered is not None and self.delivered.unreadable is not None:
                response = self.delivered.raw  # the answer as text (key removed, shortened), as a JSON string
            values = {
                "ok": "true",
                "live_activity_id": self.activity_id,
                "operation": self.operation,
                "notification_id": _answer_text(self.answer, "notification_id"),
            }
        text = json.dumps(response, ensure_ascii=False)
        if len(text) > MAX_OUTPUT_CHARS:  # still valid JSON for fromJSON(): a string saying what was cut
            text = json.dumps(bounded(text, MAX_OUTPUT_CHARS), ensure_ascii=False)
        values |= {
            "response": text,
            "time": self.finished_at,
            "status": self.status if self.status is not None else "",
            "attempts": self.attempts,
        }
        return {name: bounded(str(values.get(name, "")), MAX_OUTPUT_CHARS) for name in OUTPUT_NAMES}
