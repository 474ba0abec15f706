"""Send one planned request with a timeout per attempt, bounded retries, and a duplicate-safe policy.

The only place that catches httpx errors. What may be repeated depends on the request: stream PUT/DELETE,
update, end, metric and badge leave the same state when sent twice, so 429, 5xx, timeouts and dropped
connections are retried. A push or a start would notify twice, so it is repeated only when the first try
certainly was not processed (no connection, 429, 503); a 500/502/504, a read timeout or a dropped
connection fails once, saying it may have been delivered. Backoff is exponential with full jitter, and a
`Retry-After` header (capped) wins. `sleep`, `clock` and `transport` are injectable so tests never sleep.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from activitysmith_action import __version__
from activitysmith_action.errors import (
    AmbiguousError,
    ApiError,
    DeliveryError,
    ErrorCode,
    Problem,
    ResponseError,
    UnreachableError,
)
from activitysmith_action.redact import Redactor
from activitysmith_action.request import PlannedRequest

USER_AGENT = f"activitysmith-action-python/{__version__}"
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
# Answers that say "not processed, try later": safe to repeat even for push and start.
_NOT_PROCESSED = frozenset({429, 503})
_RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class ClientSettings:
    """Where and how to send: from the step's inputs (whose defaults live in inputs.py)."""

    base_url: str
    api_key: str
    timeout: float
    retries: int

    @property
    def total_budget(self) -> float:
        """The longest the step may spend: every attempt timing out plus the longest backoff between them."""
        return self.timeout * (self.retries + 1) + BACKOFF_CAP_SECONDS * self.retries


@dataclass(frozen=True)
class Delivered:
    """A 2xx answer with a JSON object body."""

    status: int
    body: dict[str, Any]
    attempts: int
    duration: float


def request_headers(api_key: str, has_body: bool) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT, "Accept": "application/json"}
    if has_body:
        headers["Content-Type"] = "application/json"
    return headers


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds (delta or HTTP date), capped; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), BACKOFF_CAP_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when - (time.time() if now is None else now), BACKOFF_CAP_SECONDS))


def backoff_seconds(attempt: int, rng: Callable[[], float]) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], so many runners do not retry in step."""
    return rng() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))


def _parse_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _api_error(response: httpx.Response, attempts: int, redactor: Redactor) -> ApiError:
    body = _parse_json(response)
    if isinstance(body, dict):
        error = str(body.get("error") or f"HTTP {response.status_code}")
        message = str(body.get("message") or "")
    else:
        error = response.reason_phrase or f"HTTP {response.status_code}"
        message = redactor.clip(" ".join(response.text.split()), 200)
        body = redactor.clip(response.text, 2000)
    code: ErrorCode = "rate_limited" if response.status_code == 429 else "api_error"
    return ApiError(
        status=response.status_code,
        api_error=error,
        api_message=message,
        body=body,
        attempts=attempts,
        code=code,
    )


def _ambiguous(
    planned: PlannedRequest, what: str, attempts: int, status: int | None = None
) -> AmbiguousError:
    noun = planned.spec.noun
    return AmbiguousError(
        "maybe_delivered",
        [
            Problem(
                "",
                (
                    f"the {noun} may have been delivered ({what}); it was not repeated to avoid a duplicate. "
                    "Check the device before re-running the job."
                ),
            )
        ],
        attempts=attempts,
        status=status,
    )


def send(
    planned: PlannedRequest,
    settings: ClientSettings,
    redactor: Redactor,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: Callable[[], float] = random.random,
    transport: httpx.BaseTransport | None = None,
) -> Delivered:
    """Send the request; return the 2xx JSON answer or raise a DeliveryError after the allowed attempts.

    `redactor` removes the key from server text before error bodies are shortened."""
    started = clock()
    try:
        return _send(planned, settings, redactor, sleep, clock, rng, transport, started)
    except DeliveryError as exc:
        exc.duration = clock() - started
        raise


def _send(
    planned: PlannedRequest,
    settings: ClientSettings,
    redactor: Redactor,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    rng: Callable[[], float],
    transport: httpx.BaseTransport | None,
    started: float,
) -> Delivered:
    url = planned.url(settings.base_url)
    content = planned.body_bytes()
    headers = request_headers(settings.api_key, content is not None)
    deadline = started + settings.total_budget
    attempts = 0
    with httpx.Client(transport=transport, trust_env=True, follow_redirects=False) as client:
        while True:
            attempts += 1
            per_attempt = max(0.1, min(settings.timeout, deadline - clock()))
            failure: DeliveryError
            wait: float | None = None
            try:
                response = client.request(
                    planned.method, url, content=content, headers=headers, timeout=per_attempt
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError) as exc:
                failure = UnreachableError(
                    "unreachable",
                    [
                        Problem(
                            "", (f"could not connect to {url} ({type(exc).__name__}: {exc or 'no detail'})")
                        )
                    ],
                    attempts=attempts,
                )
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                what = (
                    f"no answer within {per_attempt:g}s"
                    if isinstance(exc, httpx.TimeoutException)
                    else f"the connection was dropped: {type(exc).__name__}"
                )
                if not planned.repeat_safe:
                    raise _ambiguous(planned, what, attempts) from exc
                failure = UnreachableError("unreachable", [Problem("", f"{url}: {what}")], attempts=attempts)
            except httpx.HTTPError as exc:
                raise UnreachableError(
                    "unreachable",
                    [Problem("base-url", (f"cannot send to {url}: {type(exc).__name__}: {exc}"))],
                    attempts=attempts,
                ) from exc
            else:
                status = response.status_code
                if 200 <= status < 300:
                    body = _parse_json(response)
                    if isinstance(body, dict):
                        return Delivered(status, body, attempts, clock() - started)
                    what = f"HTTP {status} with a body that is not a JSON object"
                    if not planned.repeat_safe:
                        raise _ambiguous(planned, what, attempts, status)
                    failure = ResponseError(
                        "bad_response",
                        [Problem("", f"{url} answered {what}")],
                        attempts=attempts,
                        status=status,
                    )
                elif status in _RETRYABLE and (planned.repeat_safe or status in _NOT_PROCESSED):
                    failure = _api_error(response, attempts, redactor)
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
                elif status in _RETRYABLE:
                    error = _api_error(response, attempts, redactor)
                    raise _ambiguous(planned, f"HTTP {status}: {error.api_error}", attempts, status)
                else:
                    raise _api_error(response, attempts, redactor)
            if attempts > settings.retries:
                raise failure
            delay = wait if wait is not None else backoff_seconds(attempts, rng)
            if clock() + delay > deadline:
                raise failure
            sleep(delay)
