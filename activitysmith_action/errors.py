"""Every way the action can fail, as one small exception tree.

```
ActionError               base: .code, .problems; each problem is one `::error` annotation
├── InputError            a runner input is missing or malformed            (always fails the step)
├── PayloadError          the payload cannot be read, parsed or validated   (always fails the step)
└── DeliveryError         the request did not succeed                       (`errors: false` may keep going)
    ├── ApiError          the API answered non-2xx: .status, .api_error, .api_message, .body
    ├── UnreachableError  no answer after the allowed attempts (connect error, timeout)
    ├── AmbiguousError    push/start may have been delivered; not repeated to avoid a duplicate
    └── ResponseError     a 2xx answer whose body is not the JSON object the API documents
```

`main()` catches `ActionError` only; anything else is a bug in the action. The `code` values form a closed
list (`ErrorCode`); the README "Errors" section has one heading per code and a test keeps them in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from activitysmith_action.bounds import MAX_LISTED_PROBLEMS, MAX_PROBLEM_CHARS, bounded

ErrorCode = Literal[
    "missing_input",
    "invalid_input",
    "payload_syntax",
    "payload_file",
    "invalid_payload",
    "api_error",
    "rate_limited",
    "unreachable",
    "maybe_delivered",
    "bad_response",
]
ERROR_CODES: tuple[str, ...] = get_args(ErrorCode)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, named by the field the user wrote (`stream-key`, `payload.content_state.title`)."""

    field: str
    message: str

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        return bounded(text, MAX_PROBLEM_CHARS)


class ActionError(Exception):
    """Base of every expected failure; `str()` is the one-line summary shown in the `error` output."""

    def __init__(self, code: ErrorCode, problems: list[Problem]):
        self.code = code
        self.problems = problems
        super().__init__(self.summary())

    def summary(self) -> str:
        if len(self.problems) == 1:
            return f"{self.problems[0]} [{self.code}]"
        listed = "; ".join(str(p) for p in self.problems[:MAX_LISTED_PROBLEMS])
        rest = len(self.problems) - MAX_LISTED_PROBLEMS
        more = f"; … and {rest:,} more" if rest > 0 else ""
        return f"{len(self.problems):,} problems: {listed}{more} [{self.code}]"


class InputError(ActionError):
    """A runner input (`with:` key) is missing or malformed; raised before any request is made.

    `action` is the step's action when that input was valid, so the summary can name the step."""

    def __init__(self, code: ErrorCode, problems: list[Problem], *, action: str = ""):
        self.action = action
        super().__init__(code, problems)


class PayloadError(ActionError):
    """The payload cannot be read, parsed, or does not match the API contract; raised before any request."""


class DeliveryError(ActionError):
    """The request was made but did not succeed; `errors: false` turns this into `ok=false` and a warning."""

    def __init__(
        self,
        code: ErrorCode,
        problems: list[Problem],
        *,
        attempts: int,
        status: int | None = None,
        body: Any = None,
    ):
        self.attempts = attempts
        self.status = status
        self.body = body
        self.duration: float | None = None  # seconds spent sending, set by the client when it gives up
        super().__init__(code, problems)


class ApiError(DeliveryError):
    """The API answered with a non-2xx status; carries the API's own `error` and `message`."""

    def __init__(
        self,
        *,
        status: int,
        api_error: str,
        api_message: str,
        body: Any,
        attempts: int,
        code: ErrorCode = "api_error",
    ):
        self.api_error = api_error
        self.api_message = api_message
        detail = f"HTTP {status}: {api_error}" + (f" - {api_message}" if api_message else "")
        super().__init__(code, [Problem("", detail)], attempts=attempts, status=status, body=body)


class UnreachableError(DeliveryError):
    """No HTTP answer within the allowed attempts and time (DNS, connect, TLS, timeout)."""


class AmbiguousError(DeliveryError):
    """A push or start failed in a way that may have delivered it; repeating could notify twice."""


class ResponseError(DeliveryError):
    """The API answered 2xx but the body is not the JSON object it documents."""
