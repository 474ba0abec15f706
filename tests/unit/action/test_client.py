"""client.py: retry policy with httpx.MockTransport, an injected sleep and a fake clock (no real waiting)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from activitysmith_action.client import (
    BACKOFF_CAP_SECONDS,
    USER_AGENT,
    ClientSettings,
    Delivered,
    backoff_seconds,
    retry_after_seconds,
    send,
)
from activitysmith_action.errors import AmbiguousError, ApiError, UnreachableError
from activitysmith_action.redact import Redactor
from activitysmith_action.request import PlannedRequest

KEY = "ask_unit_key_0123456789"
REDACTOR = Redactor(KEY)
PUSH = PlannedRequest("send_push_notification", "POST", "/push-notification", {"title": "x"}, False)
STREAM = PlannedRequest("stream_live_activity", "PUT", "/live-activity/stream/k", {"content_state": {}}, True)


class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def run(
    planned: PlannedRequest,
    answers: list[Handler | httpx.Response],
    *,
    retries: int = 3,
    timeout: float = 10.0,
) -> tuple[object, list[httpx.Request], FakeTime]:
    seen: list[httpx.Request] = []
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers[min(len(seen), len(answers)) - 1]
        return answer(request) if callable(answer) else answer

    settings = ClientSettings("http://api.test/api", KEY, timeout=timeout, retries=retries)
    try:
        result: object = send(
            planned,
            settings,
            REDACTOR,
            sleep=fake.sleep,
            clock=fake.clock,
            rng=lambda: 0.5,
            transport=httpx.MockTransport(handler),
        )
    except Exception as exc:
        result = exc
    return result, seen, fake


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"success": True})


def raise_(exc_type: type[Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("boom", request=request)  # type: ignore[call-arg]

    return handler


def test_send_headers_and_body() -> None:
    result, seen, _ = run(PUSH, [ok({"success": True, "devices_notified": 1})])
    request = seen[0]
    assert request.method == "POST" and str(request.url) == "http://api.test/api/push-notification"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"] == USER_AGENT == "activitysmith-action-python/1.0.0"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"title": "x"}
    assert result.body == {"success": True, "devices_notified": 1} and result.attempts == 1  # type: ignore[attr-defined]


def test_delete_without_body_has_no_content_type() -> None:
    planned = PlannedRequest("end_live_activity_stream", "DELETE", "/live-activity/stream/k", None, True)
    _, seen, _ = run(planned, [ok()])
    assert seen[0].content == b"" and "Content-Type" not in seen[0].headers


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_safe_request_retries_retryable_statuses(status: int) -> None:
    result, seen, fake = run(STREAM, [httpx.Response(status, json={"error": "x"}), ok()])
    assert len(seen) == 2 and result.attempts == 2  # type: ignore[attr-defined]
    assert fake.sleeps == [0.25]  # full jitter: 0.5 (rng) * 0.5 s base


def test_a_failure_carries_the_time_spent_sending() -> None:
    answer = httpx.Response(503, json={"error": "down"}, headers={"Retry-After": "2"})
    result, seen, _ = run(STREAM, [answer], retries=2)
    assert isinstance(result, ApiError) and len(seen) == 3
    assert result.duration == 4.0  # two Retry-After waits on the fake clock


@pytest.mark.parametrize("status", [429, 503])
def test_push_retries_when_certainly_not_processed(status: int) -> None:
    result, seen, _ = run(PUSH, [httpx.Response(status, json={"error": "busy"}), ok()])
    assert len(seen) == 2 and result.status == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_push_is_not_repeated_after_a_maybe_processed_status(status: int) -> None:
    result, seen, fake = run(PUSH, [httpx.Response(status, json={"error": "Server error"}), ok()])
    assert len(seen) == 1 and fake.sleeps == []
    assert isinstance(result, AmbiguousError) and result.code == "maybe_delivered" and result.status == status
    assert str(result) == (
        f"the push notification may have been delivered (HTTP {status}: Server "
        f"error); it was not repeated to "
        "avoid a duplicate. Check the device before re-running the job. [maybe_delivered]"
    )


@pytest.mark.parametrize("exc_type", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
def test_start_is_not_repeated_after_read_timeout_or_drop(exc_type: type[Exception]) -> None:
    start = PlannedRequest(
        "start_live_activity", "POST", "/live-activity/start", {"content_state": {}}, False
    )
    result, seen, _ = run(start, [raise_(exc_type), ok()])
    assert len(seen) == 1 and isinstance(result, AmbiguousError)
    assert str(result).startswith("the Live Activity start may have been delivered")


@pytest.mark.parametrize("exc_type", [httpx.ConnectError, httpx.ConnectTimeout])
def test_push_retries_connect_errors(exc_type: type[Exception]) -> None:
    result, seen, _ = run(PUSH, [raise_(exc_type), ok()])
    assert len(seen) == 2 and result.attempts == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("exc_type", [httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_safe_request_retries_read_failures(exc_type: type[Exception]) -> None:
    result, seen, _ = run(STREAM, [raise_(exc_type), ok()])
    assert len(seen) == 2 and result.status == 200  # type: ignore[attr-defined]


def test_retries_exhausted_gives_last_api_error_with_attempts() -> None:
    busy = httpx.Response(
        429,
        json={"error": "Rate limit exceeded", "message": "Too many requests"},
        headers={"Retry-After": "2"},
    )
    result, seen, fake = run(STREAM, [busy], retries=2)
    assert len(seen) == 3 and fake.sleeps == [2.0, 2.0]
    assert isinstance(result, ApiError) and result.code == "rate_limited" and result.attempts == 3
    assert str(result) == "HTTP 429: Rate limit exceeded - Too many requests [rate_limited]"


def test_retry_after_is_capped() -> None:
    busy = httpx.Response(503, json={"error": "x"}, headers={"Retry-After": "3600"})
    _, _, fake = run(STREAM, [busy, ok()])
    assert fake.sleeps == [BACKOFF_CAP_SECONDS]


def test_connect_errors_exhausted_are_unreachable() -> None:
    result, seen, fake = run(STREAM, [raise_(httpx.ConnectError)], retries=3)
    assert len(seen) == 4 and fake.sleeps == [0.25, 0.5, 1.0]
    assert isinstance(result, UnreachableError) and result.attempts == 4
    assert str(result) == (
        "could not connect to http://api.test/api/live-activity/stream/k (ConnectError: boom) [unreachable]"
    )


def test_zero_retries_means_one_attempt() -> None:
    result, seen, _ = run(STREAM, [httpx.Response(503, json={"error": "x"})], retries=0)
    assert len(seen) == 1 and isinstance(result, ApiError) and result.attempts == 1


def test_client_errors_are_not_retried_and_carry_the_api_text() -> None:
    body = {"error": "No recipients found", "message": "No devices matched", "effective_channel_slugs": ["x"]}
    result, seen, _ = run(STREAM, [httpx.Response(422, json=body)])
    assert len(seen) == 1 and isinstance(result, ApiError)
    assert (result.status, result.api_error, result.api_message, result.body) == (
        422,
        "No recipients found",
        "No devices matched",
        body,
    )


def test_non_json_error_body_is_summarised() -> None:
    result, _, _ = run(STREAM, [httpx.Response(404, text="<html>\n<b>Not here</b>\n</html>")])
    assert isinstance(result, ApiError)
    assert str(result) == "HTTP 404: Not Found - <html> <b>Not here</b> </html> [api_error]"


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (httpx.Response(200, text="<html>ok</html>"), "a body that is not valid JSON"),
        (httpx.Response(200, json=[1, 2]), "a JSON list instead of an object"),
        (httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000), "JSON nested too deeply to read"),
        (httpx.Response(200, content=b'{"n": ' + b"9" * 5000 + b"}"), "a body that is not valid JSON"),
        (httpx.Response(200, content=b"\xff\xfe{}"), "not valid JSON"),
        (httpx.Response(200), "an empty body"),
    ],
)
def test_2xx_with_an_unreadable_body_is_delivered_with_the_reason(answer: httpx.Response, why: str) -> None:
    """The API accepted the request (2xx): it is not repeated and the step succeeds; the reason is kept for a
    warning. Before, a deep or huge-integer body crashed the step as a "bug" after the push was delivered."""
    for planned in (STREAM, PUSH):
        result, seen, _ = run(planned, [answer, ok()])
        assert isinstance(result, Delivered) and len(seen) == 1
        assert result.body == {} and result.unreadable is not None and why in result.unreadable


def test_total_time_bound_stops_retrying() -> None:
    # Each attempt "takes" the full timeout on the fake clock; the budget is timeout*(retries+1)+cap*retries.
    fake_now = {"t": 0.0}

    def slow_503(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": "x"}, headers={"Retry-After": "30"})

    seen: list[httpx.Request] = []
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        fake_now["t"] += 100.0  # far beyond the per-attempt timeout: the budget runs out
        return slow_503(request)

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        fake_now["t"] += seconds

    settings = ClientSettings("http://api.test/api", KEY, timeout=10, retries=3)
    with pytest.raises(ApiError):
        send(
            STREAM,
            settings,
            REDACTOR,
            sleep=sleep,
            clock=lambda: fake_now["t"],
            transport=httpx.MockTransport(handler),
        )
    assert settings.total_budget == 10 * 4 + 30 * 3
    assert len(seen) == 2 and sleeps == [30.0]


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0) == 10.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225700.0) == 0.0


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n, lambda: 1.0) for n in (1, 2, 3, 10)] == [0.5, 1.0, 2.0, BACKOFF_CAP_SECONDS]
    assert backoff_seconds(5, lambda: 0.0) == 0.0


def test_proxy_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    """trust_env: HTTPS_PROXY sends the request to the (closed) proxy port; NO_PROXY bypasses it."""
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    settings = ClientSettings("https://api.test/api", KEY, timeout=1, retries=0)
    with pytest.raises(UnreachableError) as via_proxy:
        send(STREAM, settings, REDACTOR, sleep=lambda s: None)
    assert "Connection refused" in str(via_proxy.value)
    monkeypatch.setenv("NO_PROXY", "api.test")
    with pytest.raises(UnreachableError) as direct:
        send(STREAM, settings, REDACTOR, sleep=lambda s: None)
    assert "Connection refused" not in str(direct.value)


def test_retry_after_reads_ascii_digits_only() -> None:
    """`"²".isdigit()` is True but float("²") fails: that header used to crash the step."""
    assert retry_after_seconds("\u00b2") is None
    assert retry_after_seconds("\u0663") is None  # ARABIC-INDIC DIGIT THREE
    assert retry_after_seconds(" 3 ") == 3.0
