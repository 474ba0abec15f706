"""Every request that reached `/api/*`, answered, rejected, faulted or dropped, for `GET /_mock/requests`."""

from __future__ import annotations

import threading
from typing import Any

from activitysmith_mock import safe_json

HIDDEN_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def record(
        self, *, method: str, path: str, query: str, body: bytes, headers: list[tuple[bytes, bytes]], at: str
    ) -> dict[str, Any]:
        """A new entry (status filled in later); credentials never enter the log."""
        try:
            # NaN/Infinity stay readable as strings, lone surrogates as `\\udXXX` text: the log stays JSON.
            parsed = safe_json.shown(safe_json.load(body, parse_constant=str)) if body.strip() else None
        except (ValueError, UnicodeDecodeError):  # malformed or nested too deeply: the API answered 400
            parsed = None
        entry: dict[str, Any] = {
            "method": method,
            "path": path,
            "query": query,
            "body": parsed,
            "headers": {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in headers
                if name.decode("latin-1").lower() not in HIDDEN_HEADERS
            },
            "status": None,
            "fault": None,
            "received_at": at,
        }
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self._entries]
