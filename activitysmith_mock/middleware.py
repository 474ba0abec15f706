"""ASGI middleware in front of `/api/*`: logs each request, applies injected faults, adds rate-limit headers.

It buffers the request body (so the log and the app both see it) and the app's answer (so an `after` fault
can replace it). The body is bounded: over `settings.max_body_bytes` (declared or as it arrives) the request
is answered 413 in the API's error shape without reading the rest, and a body that is not small is read only
for a valid API key (otherwise the app sees no body and answers 401), so memory stays flat whatever arrives.

A dropped connection is simulated by announcing a Content-Length, sending less, and returning: uvicorn then
closes the socket and the client sees a transport error, never a complete answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from activitysmith_mock.errors import ApiError
from activitysmith_mock.faults import Fault
from activitysmith_mock.runtime import Runtime

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
RATE_HEADERS_KEY = "activitysmith_rate_headers"
LOG_ENTRY_KEY = "activitysmith_log_entry"  # the request's log entry, for the preview's hook (preview/hook.py)
INTERNAL_ERROR_BODY = json.dumps(
    {"error": "Internal Server Error", "message": "Signifies a server error with ActivitySmith."}
).encode()
# A body up to this size is read whatever the key (so the log shows what a rejected caller sent); a larger
# one only after the key was found valid.
UNAUTHENTICATED_BODY_BYTES = 65_536
UNAUTHENTICATED_PATHS = frozenset({"/api/health"})
logger = logging.getLogger("activitysmith_mock")


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (scope["path"] == "/api" or scope["path"].startswith("/api/")):
            await self.app(scope, receive, send)
            return
        runtime = self.runtime
        limit = runtime.config.settings.max_body_bytes
        declared = _content_length(scope)
        body: bytes | None = b""
        if declared is not None and declared > limit:
            body = None  # refused before a byte of it is read
        elif (declared is None or declared > UNAUTHENTICATED_BODY_BYTES) and not _authorized(runtime, scope):
            body = b""  # not read: the app answers 401 (or 404) without it
        else:
            body = await _read_body(receive, limit)
        entry = runtime.log.record(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            body=body or b"",
            headers=scope.get("headers", []),
            at=runtime.state.stamp(),
        )
        scope.setdefault("state", {})[LOG_ENTRY_KEY] = entry
        if body is None:
            await _send_json(send, 413, _too_large(limit))
            entry["status"] = 413
            return
        fault = runtime.faults.take(scope["method"], scope["path"])
        if fault is not None:
            entry["fault"] = fault.kind
        before = fault if fault is not None and fault.spec.phase == "before" else None
        after = fault if fault is not None and fault.spec.phase == "after" else None
        if before is not None and await _inject(before, entry, send):
            return

        scope.setdefault("state", {})
        try:
            status, headers, chunks = await _run(self.app, scope, body)
        except Exception:  # a bug in the service: answer in the API's 5xx shape, keep the trace in the log
            logger.exception("unhandled error while answering %s %s", scope["method"], scope["path"])
            status, headers, chunks = 500, [(b"content-type", b"application/json")], [INTERNAL_ERROR_BODY]
        extra = scope["state"].get(RATE_HEADERS_KEY) or {}
        headers = [h for h in headers if h[0].decode("latin-1").lower() not in {k.lower() for k in extra}]
        headers += [(name.encode("latin-1"), value.encode("latin-1")) for name, value in extra.items()]

        if after is not None and await _inject(after, entry, send):
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})
        entry["status"] = status


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _authorized(runtime: Runtime, scope: Scope) -> bool:
    """Whether the request may have its body read: the health check needs no key, the rest a valid one."""
    if scope["path"] in UNAUTHENTICATED_PATHS:
        return True
    authorization = next(
        (
            value.decode("latin-1")
            for name, value in scope.get("headers", [])
            if name.lower() == b"authorization"
        ),
        None,
    )
    try:
        runtime.state.authenticate(authorization)
    except ApiError:
        return False
    return True


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it grows past `limit` (the rest is never read)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _too_large(limit: int) -> dict[str, str]:
    return {
        "error": "Payload Too Large",
        "message": f"body: the request body is larger than {limit} bytes, the largest this service accepts",
        "code": "body_too_large",
    }


async def _send_json(send: Send, status: int, document: dict[str, Any]) -> None:
    payload = json.dumps(document).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _run(app: ASGIApp, scope: Scope, body: bytes) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            await asyncio.Event().wait()  # the app waits for a disconnect that never comes: fine, it is done
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    captured: dict[str, Any] = {"status": 500, "headers": [], "chunks": []}

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            captured["headers"] = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            captured["chunks"].append(message.get("body", b""))

    await app(scope, replay, capture)
    return captured["status"], captured["headers"], captured["chunks"]


async def _inject(fault: Fault, entry: dict[str, Any], send: Send) -> bool:
    """Wait out the fault's delay, then send its answer if it replaces one; True when that answer went out."""
    if fault.spec.delay_seconds:
        await asyncio.sleep(fault.spec.delay_seconds)
    if not fault.replaces_answer:
        return False
    entry["status"] = await _send_fault(fault, send)
    return True


async def _send_fault(fault: Fault, send: Send) -> int | None:
    """Send the injected answer; `None` when the connection is dropped (no complete answer)."""
    if fault.spec.drop:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"success": tr', "more_body": True})
        return None
    status, headers, body = fault.response()
    raw_headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
    return status
