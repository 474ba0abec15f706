"""The only writer to the runner: the mask, log lines, annotations, outputs and the job summary.

Everything it writes passes through the step's `Redactor` first, so server text echoing the key (or a bug
message) cannot leak it; the key itself is printed exactly once, in `::add-mask::`, before anything else.
"""

from __future__ import annotations

import json
import os
import time

from activitysmith_action import runner, summary
from activitysmith_action.bounds import MAX_DEBUG_CHARS, MAX_LISTED_PROBLEMS, MAX_LOG_CHARS, bounded
from activitysmith_action.errors import ActionError, ApiError
from activitysmith_action.outcome import OUTPUT_NAMES, Outcome
from activitysmith_action.redact import Redactor

__all__ = ["ISSUES_URL", "MAX_ANNOTATIONS", "Writer"]

MAX_ANNOTATIONS = 10
ISSUES_URL = "https://github.com/pyactivitysmith/activitysmith-action/issues"
_OPERATION_NOTICES = {
    "noop": "stream unchanged (operation noop): the new state matched the current one, "
    "so no update was sent to devices",
    "paused": "stream paused (operation paused): ActivitySmith did not deliver this update; "
    "no Live Activity is active for this stream right now",
}


def _one_line(server_text: str) -> str:
    """A value from the answer, shown as is when it is plain text, JSON-quoted when it holds newlines or
    control characters: one server field stays one log line."""
    return server_text if server_text.isprintable() else json.dumps(server_text, ensure_ascii=False)


def _looks_like_command(line: str) -> bool:
    # The runner trims leading whitespace before matching `::`.
    stripped = line.lstrip()
    return stripped.startswith(("::", "##["))


class Writer:
    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    def mask(self, secret: str) -> None:
        """Must be the first thing printed: the runner then hides the key in every later log line."""
        if secret:
            runner.set_secret(secret)

    # --- log --------------------------------------------------------------------------------------------
    def info(self, text: str) -> None:
        """Plain log lines. Text from the server or the user may hold newlines: a line the runner would read
        as a workflow command (`::set-output`, `::stop-commands`, `##[...]`) is prefixed, so it is only
        shown."""
        lines = self.redactor.redact(text).splitlines()  # CR, LF and CRLF all end a line for the runner
        print("\n".join(f"| {line}" if _looks_like_command(line) else line for line in lines), flush=True)

    def warning(self, text: str) -> None:
        runner.warning(self.redactor.redact(text), title="ActivitySmith")

    def notice(self, text: str) -> None:
        runner.notice(self.redactor.redact(text), title="ActivitySmith")

    def debug(self, text: str) -> None:
        runner.debug(self.redactor.redact(text))

    def annotate_failure(self, exc: ActionError) -> None:
        """One `::error` per problem (at most 10, the runner's display limit) under a count header."""
        title = f"ActivitySmith {exc.code}"
        if isinstance(exc, ApiError):
            message = f"HTTP {exc.status}: {exc.api_error}" + (
                f" - {exc.api_message}" if exc.api_message else ""
            )
            runner.error(
                self.redactor.redact(f"{message} (after {exc.attempts} attempt(s)) [{exc.code}]"), title=title
            )
            return
        problems = exc.problems
        if len(problems) > 1:
            self.info(f"{len(problems):,} problems found:")
        for problem in problems[:MAX_ANNOTATIONS]:
            runner.error(self.redactor.redact(f"{problem} [{exc.code}]"), title=title)
        for problem in problems[MAX_ANNOTATIONS:MAX_LISTED_PROBLEMS]:
            self.info(f"  also: {problem}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            self.info(f"  … and {len(problems) - MAX_LISTED_PROBLEMS:,} more problems")

    def bug(self, exc: BaseException) -> None:
        """A failure nobody anticipated: one annotation asking for a report, and still every output
        (ok=false), so later steps that read them see a failed step rather than missing values."""
        detail = self.redactor.clip(f"{type(exc).__name__}: {exc}", 300)
        runner.error(
            f"The action hit an unexpected error ({detail}). This is a bug in activitysmith-action, "
            f"not in your workflow: please report it with this log at {ISSUES_URL}",
            title="ActivitySmith internal error",
        )
        values = dict.fromkeys(OUTPUT_NAMES, "") | {
            "ok": "false",
            "error": f"internal error: {detail} [bug]",
            "time": str(int(time.time())),
            "attempts": "0",
        }
        try:
            self.outputs(values)
        except Exception:  # noqa: S110  (the annotation above already reports the bug; nothing more to do)
            pass

    # --- file commands ------------------------------------------------------------------------------
    def outputs(self, values: dict[str, str]) -> None:
        if not os.environ.get("GITHUB_OUTPUT"):
            return
        for name, value in values.items():
            runner.set_output(name, self.redactor.redact(value))

    def summary(self, markdown: str) -> None:
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            runner.append_summary(self.redactor.redact(markdown))

    # --- the step's ending ------------------------------------------------------------------------------
    def report(self, outcome: Outcome) -> None:
        """Log what happened, then write every output and (unless turned off) the job summary."""
        if outcome.error is not None:
            self.annotate_failure(outcome.error)
            if outcome.keep_going:
                self.warning("the request failed but errors: false, so the step continues with ok=false")
        elif outcome.dry_run:
            self._log_dry_run(outcome)
        else:
            self._log_delivery(outcome)
        self.outputs(outcome.outputs())
        if outcome.write_summary:
            self.summary(summary.render(outcome))

    def _log_dry_run(self, outcome: Outcome) -> None:
        plan = outcome.plan()
        assert plan is not None and outcome.planned is not None  # a dry run always has a planned request
        with runner.group(f"Dry run: {plan['method']} {plan['url']} (nothing is sent)"):
            self.info(f"{plan['method']} {plan['url']}")
            for name, value in plan["headers"].items():
                self.info(f"{name}: {value}")
            if outcome.planned.body is not None:
                self.info("")
                self.info(
                    bounded(json.dumps(outcome.planned.body, indent=2, ensure_ascii=False), MAX_LOG_CHARS)
                )

    def _log_delivery(self, outcome: Outcome) -> None:
        operation, activity = outcome.operation, outcome.activity_id
        self.info(
            f"ActivitySmith answered HTTP {outcome.status} after {outcome.attempts} attempt(s)"
            + (f": operation {_one_line(operation)}" if operation else "")
            + (f", activity {_one_line(activity)}" if activity else "")
        )
        self.debug(f"response: {bounded(json.dumps(outcome.answer, ensure_ascii=False), MAX_DEBUG_CHARS)}")
        unreadable = outcome.delivered.unreadable if outcome.delivered else None
        if unreadable:
            self.warning(
                f"ActivitySmith accepted the request (HTTP {outcome.status}) but answered with {unreadable}: "
                "outputs that come from the answer (live_activity_id, operation) are empty"
            )
        if operation in _OPERATION_NOTICES:
            self.notice(_OPERATION_NOTICES[operation])
