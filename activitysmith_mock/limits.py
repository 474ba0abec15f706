"""Request-rate limits as the API documents them: fixed windows per client IP and per account, per feature.

Every answer of a limited endpoint carries `RateLimit` and `RateLimit-Policy` (IETF draft-8 structured
fields); a request over either limit gets 429, `Retry-After` and the documented body, and is not counted.
Windows run on the service clock, so tests advance the clock instead of waiting a minute.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from activitysmith_mock.clock import Clock
from activitysmith_mock.config import RateLimits
from activitysmith_mock.errors import rate_limited

FEATURES = ("notifications", "live-activities", "metrics", "badges")


@dataclass
class _Window:
    started: float
    used: int


class RateLimiter:
    def __init__(self, limits: RateLimits, clock: Clock) -> None:
        self.limits = limits
        self.clock = clock
        self._windows: dict[tuple[str, str, str], _Window] = {}
        self._lock = threading.Lock()

    def _quota(self, scope: str, feature: str) -> int:
        if scope == "public-api-ip":
            return self.limits.ip
        return int(getattr(self.limits, feature.replace("-", "_")))

    def hit(self, feature: str, ip: str, account: str | None) -> dict[str, str]:
        """Count one request and return the headers to send; over a limit, raise the 429 (with headers)."""
        if feature not in FEATURES:
            raise ValueError(f"unknown rate-limit feature {feature!r}")
        scopes = [("public-api-ip", ip)] + ([("account", account)] if account is not None else [])
        width = self.limits.window_seconds
        now = self.clock.now()
        with self._lock:
            windows = []
            for scope, who in scopes:
                window = self._windows.get((scope, who, feature))
                if window is None or now - window.started >= width:
                    window = self._windows[(scope, who, feature)] = _Window(now, 0)
                windows.append((scope, window))
            exceeded = [(s, w) for s, w in windows if w.used >= self._quota(s, feature)]
            if not exceeded:
                for _, window in windows:
                    window.used += 1
            headers = self._headers(feature, windows, now)
        if exceeded:
            error = rate_limited(max(self._reset_in(w, now) for _, w in exceeded))
            error.headers.update(headers)
            raise error
        return headers

    def _reset_in(self, window: _Window, now: float) -> int:
        return max(0, math.ceil(window.started + self.limits.window_seconds - now))

    def _headers(self, feature: str, windows: list[tuple[str, _Window]], now: float) -> dict[str, str]:
        remaining = ", ".join(
            f'"{scope}:{feature}"; r={max(0, self._quota(scope, feature) - window.used)}; '
            f"t={self._reset_in(window, now)}"
            for scope, window in windows
        )
        policy = ", ".join(
            f'"{scope}:{feature}"; q={self._quota(scope, feature)}; w={self.limits.window_seconds}'
            for scope, _ in windows
        )
        return {"RateLimit": remaining, "RateLimit-Policy": policy}
