"""The only writer to the runner: masks, annotations, outputs, job summary.

Everything printed or written passes through `Reporter.scrub`, which removes the API key, so server text
echoing the key (or a bug message) cannot leak it; the key itself is printed exactly once, in `::add-mask::`.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from activitysmith_action import preview, runner
from activitysmith_action.client import Delivered, request_headers
from activitysmith_action.errors import ActionError, ApiError, DeliveryError
from activitysmith_action.inputs import CHANNEL_ACTIONS
from activitysmith_action.redact import REDACTED, redact, register
from activitysmith_action.request import PlannedRequest

MAX_ANNOTATIONS = 10
README_ERRORS = "https://github.com/pyactivitysmith/activitysmith-action#errors"
ISSUES_URL = "https://github.com/pyactivitysmith/activitysmith-action/issues"
OUTPUT_NAMES: tuple[str, ...] = (
    "ok",
    "response",
    "time",
    "live_activity_id",
    "operation",
    "status",
    "attempts",
    "error",
)


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def _channels(planned: PlannedRequest | None, answer: dict[str, Any] | None) -> str | None:
    if answer and isinstance(answer.get("effective_channel_slugs"), list):
        return ", ".join(map(str, answer["effective_channel_slugs"]))
    if planned is None or planned.action not in CHANNEL_ACTIONS:
        return None  # update, end, end-stream and metric requests are not targeted by channel
    body = planned.body or {}
    target = body.get("target")
    chosen = target.get("channels") if isinstance(target, dict) else body.get("channels")
    return ", ".join(map(str, chosen)) if isinstance(chosen, list) else "all recipients of the key"


def _seconds(duration: float | None) -> str | None:
    return f"{duration:.2f} s" if duration is not None else None


def _one_line(server_text: str) -> str:
    """A value from the answer, shown as is when it is plain text, JSON-quoted when it holds newlines or
    control characters: one server field stays one log line."""
    return server_text if server_text.isprintable() else json.dumps(server_text, ensure_ascii=False)


def _looks_like_command(line: str) -> bool:
    # The runner trims leading whitespace before matching `::`.
    stripped = line.lstrip()
    return stripped.startswith(("::", "##["))


class Reporter:
    def __init__(self, secret: str):
        self.secret = secret
        register(secret)

    # --- text hygiene -------------------------------------------------------------------------------
    def scrub(self, text: str) -> str:
        return redact(text)

    def mask(self) -> None:
        """Must be the first thing printed: the runner then hides the key in every later log line."""
        if self.secret:
            runner.set_secret(self.secret)

    # --- log ------------------------------------------------------------------------------------------
    def info(self, text: str) -> None:
        """Plain log lines. Text from the server or the user may hold newlines: a line the runner would read
        as a workflow command (`::set-output`, `::stop-commands`, `##[...]`) is prefixed, so it is only
        shown."""
        lines = self.scrub(text).splitlines()  # CR, LF and CRLF all end a line for the runner
        print("\n".join(f"| {line}" if _looks_like_command(line) else line for line in lines), flush=True)

    def warning(self, text: str) -> None:
        runner.warning(self.scrub(text), title="ActivitySmith")

    def notice(self, text: str) -> None:
        runner.notice(self.scrub(text), title="ActivitySmith")

    def debug(self, text: str) -> None:
        runner.debug(self.scrub(text))

    def annotate_failure(self, exc: ActionError) -> None:
        """One `::error` per problem (at most 10, the runner's display limit) under a count header."""
        title = f"ActivitySmith {exc.code}"
        if isinstance(exc, ApiError):
            message = f"HTTP {exc.status}: {exc.api_error}" + (
                f" - {exc.api_message}" if exc.api_message else ""
            )
            runner.error(self.scrub(f"{message} (after {exc.attempts} attempt(s)) [{exc.code}]"), title=title)
            return
        problems = exc.problems
        if len(problems) > 1:
            self.info(f"{len(problems)} problems found:")
        for problem in problems[:MAX_ANNOTATIONS]:
            runner.error(self.scrub(f"{problem} [{exc.code}]"), title=title)
        for problem in problems[MAX_ANNOTATIONS:]:
            self.info(f"  also: {problem}")

    def bug(self, exc: BaseException) -> None:
        detail = self.scrub(f"{type(exc).__name__}: {exc}")[:300]
        runner.error(
            f"The action hit an unexpected error ({detail}). This is a bug in activitysmith-action, "
            f"not in your workflow: please report it with this log at {ISSUES_URL}",
            title="ActivitySmith internal error",
        )

    # --- outputs and summary ------------------------------------------------------------------------
    def outputs(self, values: dict[str, Any]) -> None:
        if not os.environ.get("GITHUB_OUTPUT"):
            return
        for name in OUTPUT_NAMES:
            runner.set_output(name, self.scrub(runner.to_command_value(values.get(name, ""))))

    def summary(self, markdown: str) -> None:
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            runner.append_summary(self.scrub(markdown))

    # --- the three endings ------------------------------------------------------------------------------
    def planned_request(self, planned: PlannedRequest, base_url: str) -> dict[str, Any]:
        headers = request_headers(REDACTED, planned.body is not None)
        return {
            "method": planned.method,
            "url": planned.url(base_url),
            "headers": headers,
            "body": planned.body,
        }

    def dry_run(self, planned: PlannedRequest, base_url: str, with_summary: bool) -> None:
        plan = self.planned_request(planned, base_url)
        with runner.group(f"Dry run: {planned.method} {plan['url']} (nothing is sent)"):
            self.info(f"{planned.method} {plan['url']}")
            for name, value in plan["headers"].items():
                self.info(f"{name}: {value}")
            if planned.body is not None:
                self.info("")
                self.info(json.dumps(planned.body, indent=2, ensure_ascii=False))
        self.outputs(
            {
                "ok": "true",
                "response": json.dumps(plan, ensure_ascii=False),
                "time": int(time.time()),
                "attempts": 0,
            }
        )
        if with_summary:
            self.summary(self._markdown(planned, base_url, "🧪 dry run: nothing was sent", None, None, plan))

    def success(
        self, planned: PlannedRequest, base_url: str, delivered: Delivered, with_summary: bool
    ) -> None:
        answer = delivered.body
        operation = answer.get("operation") if isinstance(answer.get("operation"), str) else ""
        activity = answer.get("activity_id") if isinstance(answer.get("activity_id"), str) else ""
        self.info(
            f"ActivitySmith answered HTTP {delivered.status} after {delivered.attempts} attempt(s)"
            + (f": operation {_one_line(operation)}" if operation else "")
            + (f", activity {_one_line(activity)}" if activity else "")
        )
        self.debug(f"response: {json.dumps(answer, ensure_ascii=False)}")
        if operation == "noop":
            self.notice(
                "stream unchanged (operation noop): the new state matched the current one, "
                "so no update was sent to devices"
            )
        elif operation == "paused":
            self.notice(
                "stream paused (operation paused): ActivitySmith did not deliver this update; "
                "no Live Activity is active for this stream right now"
            )
        self.outputs(
            {
                "ok": "true",
                "response": json.dumps(answer, ensure_ascii=False),
                "time": int(time.time()),
                "live_activity_id": activity,
                "operation": operation,
                "status": delivered.status,
                "attempts": delivered.attempts,
            }
        )
        if with_summary:
            self.summary(self._markdown(planned, base_url, "✅ delivered", delivered, None, None))

    def failure(
        self,
        exc: ActionError,
        planned: PlannedRequest | None,
        base_url: str,
        with_summary: bool,
        keep_going: bool,
        action: str = "",
    ) -> None:
        """`action` names the step in the summary when the failure came before a request was planned."""
        self.annotate_failure(exc)
        if keep_going:
            self.warning("the request failed but errors: false, so the step continues with ok=false")
        status = exc.status if isinstance(exc, DeliveryError) else None
        attempts = exc.attempts if isinstance(exc, DeliveryError) else 0
        body = exc.body if isinstance(exc, DeliveryError) and exc.body is not None else {"error": str(exc)}
        self.outputs(
            {
                "ok": "false",
                "response": json.dumps(body, ensure_ascii=False),
                "time": int(time.time()),
                "status": status or "",
                "attempts": attempts,
                "error": str(exc),
            }
        )
        if with_summary:
            self.summary(self._markdown(planned, base_url, "❌ failed", None, exc, None, action))

    def _markdown(
        self,
        planned: PlannedRequest | None,
        base_url: str,
        verdict: str,
        delivered: Delivered | None,
        exc: ActionError | None,
        plan: dict[str, Any] | None,
        action: str = "",
    ) -> str:
        action = planned.action if planned else action
        answer = delivered.body if delivered else {}
        rows = [
            ("Request", f"`{planned.method} {planned.path}`" if planned else None),
            ("Service", base_url),
            ("Status", delivered.status if delivered else getattr(exc, "status", None)),
            ("Operation", answer.get("operation")),
            (
                "Activity id",
                answer.get("activity_id") or (planned.body or {}).get("activity_id") if planned else None,
            ),
            ("Channels", _channels(planned, answer) if planned else None),
            ("Attempts", delivered.attempts if delivered else getattr(exc, "attempts", None)),
            ("Duration", _seconds(delivered.duration if delivered else getattr(exc, "duration", None))),
        ]
        heading = f"### ActivitySmith `{action}`: {verdict}" if action else f"### ActivitySmith: {verdict}"
        lines = [heading]
        if (
            planned is not None
        ):  # before a request is planned (a bad input or payload) every row would be empty
            lines += ["", "| | |", "|---|---|"] + [f"| {name} | {_cell(value)} |" for name, value in rows]
        picture = preview.render((planned.body or {}).get("content_state") if planned else None)
        if picture:
            lines += ["", "```text", picture, "```"]
        if exc is not None:
            lines += ["", f"**{len(exc.problems)} problem(s)** (`{exc.code}`, see {README_ERRORS}):", ""]
            lines += [f"- {p}" for p in exc.problems]
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
