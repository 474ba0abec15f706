"""Send one planned request within a hard deadline, with bounded retries and a duplicate-safe policy.

The only place that catches httpx errors. What may be repeated depends on the request: stream PUT/DELETE,
update, end, metric and badge leave the same state when sent twice, so 429, 5xx, timeouts and dropped
connections are retried. A push or a start would notify twice, so it is repeated only when the first try
certainly was not processed (no connection, 429, 503); a 500/502/504, a timeout or a dropped connection fails
once, saying it may have been delivered. Backoff is exponential with full jitter, and a `Retry-After` header
(capped) wins.

`timeout` bounds a whole attempt (connect, send, and the whole answer), not each read: httpx's timeouts apply
per socket operation, so a server trickling one byte a second would never trip them. Each attempt therefore
runs in a worker thread that the step stops waiting for at its deadline (threads, unlike SIGALRM, work on
every runner OS). The step's total time is bounded by `ClientSettings.total_budget`. `sleep`, `clock` and
`transport` are injectable so tests never sleep.
"""

from __future__ import annotations

import email.utils
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from activitysmith_action import __version__, tls
from activitysmith_action.answer import MAX_ANSWER_BYTES, Answer, read_answer
from activitysmith_action.errors import (
    AmbiguousError,
    ApiError,
    DeliveryError,
    ErrorCode,
    InputError,
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
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@dataclass(frozen=True)
class ClientSettings:
    """Where and how to send: from the step's inputs (whose defaults live in inputs.py)."""

    base_url: str
    api_key: str
    timeout: float
    retries: int

    @property
    def total_budget(self) -> float:
        """The longest the step may spend sending: every attempt using its whole `timeout`, plus the longest
        wait between attempts. README and docs/reliability.md quote this bound."""
        return self.timeout * (self.retries + 1) + BACKOFF_CAP_SECONDS * self.retries


@dataclass(frozen=True)
class Delivered:
    """A 2xx answer. `body` is its JSON object; when the body could not be read as one, `body` is {} and
    `unreadable` says why (the request was still accepted: the step succeeds with a warning)."""

    status: int
    body: dict[str, Any]
    attempts: int
    duration: float
    unreadable: str | None = None
    # The answer's text (key removed, shortened) when it was unreadable, for the `response` output.
    raw: str | None = None


def request_headers(api_key: str, has_body: bool) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {api_key}",
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        # An answer is a few hundred bytes: compression gains nothing and would let a small body inflate.
        "Accept-Encoding": "identity",
    }
    if has_body:
        headers["Content-Type"] = "application/json"
    return headers


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds (delta or HTTP date), capped; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,10}", value):  # ASCII digits only: "²".isdigit() is True, float("²") fails
        return min(float(value), BACKOFF_CAP_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when - (time.time() if now is None else now), BACKOFF_CAP_SECONDS))


def backoff_seconds(attempt: int, rng: Callable[[], float]) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], so many runners do not retry in step."""
    return rng() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))


def _api_error(answer: Answer, attempts: int, redactor: Redactor) -> ApiError:
    body, _ = answer.json()
    if isinstance(body, dict):
        # One line each: the `error` output and annotations are one-line descriptions.
        error = redactor.clip(" ".join(str(body.get("error") or f"HTTP {answer.status}").split()), 200)
        message = redactor.clip(" ".join(str(body.get("message") or "").split()), 500)
    else:
        error = answer.reason or f"HTTP {answer.status}"
        message = redactor.clip(" ".join(answer.text.split()), 200)
        body = redactor.clip(answer.text, 2000)
    code: ErrorCode = "rate_limited" if answer.status == 429 else "api_error"
    return ApiError(
        status=answer.status,
        api_error=error,
        api_message=message,
        body=body,
        attempts=attempts,
        code=code,
    )


def _too_large(planned: PlannedRequest, url: str, answer: Answer, attempts: int) -> ResponseError:
    accepted = (
        f"; the {planned.spec.noun} was accepted, so it was not repeated"
        if 200 <= answer.status < 300
        else ""
    )
    return ResponseError(
        "bad_response",
        [
            Problem(
                "",
                f"{url} answered HTTP {answer.status} with more than {MAX_ANSWER_BYTES // 1024} KiB "
                f"(an API answer is a few hundred bytes; reading stopped there){accepted}",
            )
        ],
        attempts=attempts,
        status=answer.status,
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
    """Send the request; return the 2xx answer or raise a DeliveryError after the allowed attempts.

    `redactor` removes the key from server text before error bodies are shortened. A base URL or proxy
    setting that httpx cannot use is an `InputError` naming it."""
    started = clock()
    client = _client(transport)
    sender = _Sender(planned, settings, redactor, client)
    try:
        return sender.run(sleep, clock, rng, started)
    except DeliveryError as exc:
        exc.duration = clock() - started
        raise
    finally:
        # An abandoned attempt's thread may still hold a connection: leave it to the process exit.
        if not sender.abandoned:
            client.close()


def _client(transport: httpx.BaseTransport | None) -> httpx.Client:
    """An httpx client for the step; an unusable proxy variable is named (httpx only says "invalid URL")."""
    for name in _PROXY_VARIABLES:
        value = os.environ.get(name, "")
        if value and transport is None:
            try:
                scheme = httpx.URL(value).scheme
            except (httpx.InvalidURL, ValueError):
                scheme = ""
            if scheme not in ("http", "https"):
                raise InputError(
                    "invalid_input",
                    [Problem(name, "must be an http:// or https:// proxy URL such as http://proxy:3128")],
                )
    try:
        return httpx.Client(
            transport=transport, trust_env=True, follow_redirects=False, verify=tls.verifying_context()
        )
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(
            "invalid_input", [Problem("HTTPS_PROXY", f"a proxy setting cannot be used: {exc}")]
        ) from None


class _Sender:
    """The attempts of one request: each bounded by a deadline, repeated only when the policy allows."""

    def __init__(
        self, planned: PlannedRequest, settings: ClientSettings, redactor: Redactor, client: httpx.Client
    ) -> None:
        self.planned = planned
        self.settings = settings
        self.redactor = redactor
        self.client = client
        self.url = planned.url(settings.base_url)
        self.content = planned.body_bytes()
        self.headers = request_headers(settings.api_key, self.content is not None)
        self.abandoned = False

    def attempt(self, seconds: float) -> Answer:
        """One attempt that returns or raises within `seconds`, whatever the server does."""
        outcome: list[Answer | BaseException] = []

        def work() -> None:
            try:
                with self.client.stream(
                    self.planned.method, self.url, content=self.content, headers=self.headers, timeout=seconds
                ) as response:
                    outcome.append(read_answer(response))
            except BaseException as exc:  # handed to the waiting thread, which classifies it
                outcome.append(exc)

        worker = threading.Thread(target=work, name="activitysmith-attempt", daemon=True)
        worker.start()
        worker.join(seconds)
        if not outcome:
            self.abandoned = True
            raise httpx.ReadTimeout(f"no complete answer within {seconds:g}s")
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def run(
        self,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rng: Callable[[], float],
        started: float,
    ) -> Delivered:
        planned, url, settings = self.planned, self.url, self.settings
        deadline = started + settings.total_budget
        attempts = 0
        while True:
            attempts += 1
            per_attempt = max(0.1, min(settings.timeout, deadline - clock()))
            failure: DeliveryError
            wait: float | None = None
            try:
                answer = self.attempt(per_attempt)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError) as exc:
                detail = self.redactor.clip(f"{type(exc).__name__}: {exc or 'no detail'}", 300)
                failure = UnreachableError(
                    "unreachable", [Problem("", f"could not connect to {url} ({detail})")], attempts=attempts
                )
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                what = (
                    f"no complete answer within {per_attempt:g}s"
                    if isinstance(exc, httpx.TimeoutException)
                    else f"the connection was dropped: {type(exc).__name__}"
                )
                if not planned.repeat_safe:
                    raise _ambiguous(planned, what, attempts) from None
                failure = UnreachableError("unreachable", [Problem("", f"{url}: {what}")], attempts=attempts)
            except UnicodeEncodeError:
                # Only the key can carry characters an HTTP header cannot (inputs.py refuses them first).
                raise InputError(
                    "invalid_input", [Problem("api-key", "holds characters an HTTP header cannot carry")]
                ) from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                # httpx parses the host (IDNA) and port only when sending: these are input problems.
                raise InputError(
                    "invalid_input",
                    [Problem("base-url", self.redactor.clip(f"cannot be used by httpx: {exc}", 300))],
                ) from None
            except httpx.HTTPError as exc:
                detail = self.redactor.clip(f"{type(exc).__name__}: {exc}", 300)
                raise UnreachableError(
                    "unreachable", [Problem("base-url", f"cannot send to {url}: {detail}")], attempts=attempts
                ) from None
            else:
                status = answer.status
                retryable = status in _RETRYABLE and (planned.repeat_safe or status in _NOT_PROCESSED)
                if answer.over_cap:
                    if not retryable or 200 <= status < 300:
                        raise _too_large(planned, url, answer, attempts)
                    failure = _too_large(planned, url, answer, attempts)
                elif 200 <= status < 300:
                    return self.delivered(answer, attempts, clock() - started)
                elif retryable:
                    failure = _api_error(answer, attempts, self.redactor)
                    wait = retry_after_seconds(answer.retry_after)
                elif status in _RETRYABLE:
                    error = _api_error(answer, attempts, self.redactor)
                    raise _ambiguous(planned, f"HTTP {status}: {error.api_error}", attempts, status)
                else:
                    raise _api_error(answer, attempts, self.redactor)
            if attempts > settings.retries:
                raise failure
            delay = wait if wait is not None else backoff_seconds(attempts, rng)
            if clock() + delay > deadline:
                raise failure
            sleep(delay)

    def delivered(self, answer: Answer, attempts: int, duration: float) -> Delivered:
        body, why = answer.json()
        if isinstance(body, dict):
            return Delivered(answer.status, body, attempts, duration)
        reason = why or f"a JSON {type(body).__name__} instead of an object"
        raw = self.redactor.clip(answer.text, 2000)
        return Delivered(answer.status, {}, attempts, duration, unreadable=reason, raw=raw)
