"""Injected faults: the next N matching requests get a status, a raw body, a delay or a dropped connection.

`phase: before` answers without processing (no state change); `phase: after` processes the request, then
replaces the answer: that is how a client meets a request that succeeded but whose answer got lost.
"""

from __future__ import annotations

import itertools
import threading
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from activitysmith_mock.errors import RATE_LIMIT_BODY

FaultKind = Literal["drop", "body", "status", "delay"]


class FaultSpec(BaseModel):
    """The body of `POST /_mock/faults` (docs/local-service.md, "Operator API")."""

    model_config = ConfigDict(extra="forbid", strict=True)

    method: str | None = Field(None, pattern=r"^[A-Za-z]+$")
    path: str | None = Field(None, pattern=r"^/")
    count: int = Field(1, ge=1, le=100_000)
    status: int | None = Field(None, ge=100, le=599)
    retry_after: int | None = Field(None, ge=0)
    delay_seconds: float | None = Field(None, ge=0, le=60, allow_inf_nan=False)
    drop: bool = False
    body: str | None = None
    content_type: str | None = Field(None, min_length=1)
    phase: Literal["before", "after"] = "before"

    @model_validator(mode="after")
    def _does_something(self) -> FaultSpec:
        if self.status is None and self.body is None and not self.drop and self.delay_seconds is None:
            raise ValueError("give at least one of status, body, drop or delay_seconds")
        if self.drop and (self.status is not None or self.body is not None):
            raise ValueError("drop closes the connection, so it cannot be combined with status or body")
        return self


class Fault:
    def __init__(self, fault_id: int, spec: FaultSpec) -> None:
        self.id = fault_id
        self.spec = spec
        self.remaining = spec.count

    @property
    def kind(self) -> FaultKind:
        if self.spec.drop:
            return "drop"
        if self.spec.body is not None:
            return "body"
        if self.spec.status is not None:
            return "status"
        return "delay"

    @property
    def replaces_answer(self) -> bool:
        return self.kind != "delay"

    def matches(self, method: str, path: str) -> bool:
        spec = self.spec
        if spec.method is not None and spec.method.upper() != method.upper():
            return False
        if spec.path is None:
            return True
        if spec.path.endswith("*"):
            return path.startswith(spec.path[:-1])
        return path == spec.path

    def response(self) -> tuple[int, dict[str, str], bytes]:
        """The injected answer: the raw body as given, or a JSON error body in the API's shape."""
        import json

        status = self.spec.status or 200
        headers: dict[str, str] = {}
        if self.spec.retry_after is not None:
            headers["Retry-After"] = str(self.spec.retry_after)
        if self.spec.body is not None:
            body = self.spec.body.encode("utf-8")
            headers["Content-Type"] = self.spec.content_type or "text/plain; charset=utf-8"
        else:
            if status == 429:
                document: dict[str, Any] = dict(RATE_LIMIT_BODY)
                headers.setdefault("Retry-After", "30")
            else:
                phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
                document = {"error": phrase, "message": f"The local service injected a {status} fault."}
            body = json.dumps(document).encode("utf-8")
            headers["Content-Type"] = self.spec.content_type or "application/json"
        return status, headers, body

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "remaining": self.remaining, "kind": self.kind, **self.spec.model_dump()}


class FaultBook:
    """Pending faults in the order they were added; the first match is used and counted down."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, spec: FaultSpec) -> Fault:
        with self._lock:
            fault = Fault(next(self._ids), spec)
            self._faults.append(fault)
            return fault

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.view() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
