"""The service's clock: real time plus an offset that the operator API can move forward.

Auto-dismiss, the iOS 8-hour limit and rate-limit windows all read this clock, so tests advance it
(`POST /_mock/clock`) instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime


class Clock:
    """Wall-clock seconds since the epoch, shifted by everything `advance` has added."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds

    def reset(self) -> None:
        self._offset = 0.0


def iso(seconds: float) -> str:
    """The API's timestamp format: ISO-8601 with milliseconds and `Z` (e.g. `2025-08-12T12:00:00.000Z`)."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
