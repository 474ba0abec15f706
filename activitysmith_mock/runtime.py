"""Everything one running service holds, rebuilt on `POST /_mock/reset`: state, clock, limits, faults, log."""

from __future__ import annotations

from activitysmith_mock.clock import Clock
from activitysmith_mock.config import ServiceConfig
from activitysmith_mock.faults import FaultBook
from activitysmith_mock.limits import RateLimiter
from activitysmith_mock.request_log import RequestLog
from activitysmith_mock.state import ServiceState


class Runtime:
    def __init__(self, config: ServiceConfig, *, default_api_key: str) -> None:
        self.startup_config = config
        self.default_api_key = default_api_key
        self.clock = Clock()
        self.faults = FaultBook()
        self.reset()

    def reset(self, config: ServiceConfig | None = None) -> None:
        """Back to the start-up seed, or to `config` (until the next reset)."""
        self.config = config or self.startup_config
        self.clock.reset()
        self.faults.clear()
        self.log = RequestLog()
        self.state = ServiceState(self.config, self.clock)
        self.limiter = RateLimiter(self.config.settings.rate_limits, self.clock)
