"""After each request: keep what changed in the activities' timelines, then tell the open pages.

The recorder reads the service only through its public facade (`activity_views` after each request, which
copies no push records; `device_views`, the request log and the tap outcomes when a page asks), so the domain
knows nothing of the page. A reset (`POST /_mock/reset`) replaces the runtime's state; the recorder notices
the new state object and starts a fresh timeline with it.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.preview.feed import ChangeFeed
from activitysmith_mock.preview.timeline import Timeline
from activitysmith_mock.runtime import Runtime
from activitysmith_mock.state import ServiceState

RECENT_REQUESTS = 50


class PreviewRecorder:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.feed = ChangeFeed()
        self.timeline = Timeline()
        self._state: ServiceState = runtime.state
        self._since = 0.0  # service clock at the last snapshot: activities updated before it are recorded

    def _current_timeline(self) -> Timeline:
        if self.runtime.state is not self._state:  # reset since the last look: nothing of before applies
            self._state = self.runtime.state
            self.timeline = Timeline()
            self._since = 0.0
        return self.timeline

    def after_api_request(self, entry: dict[str, Any]) -> None:
        """An `/api` request was answered (or rejected, faulted, dropped): snapshot, then announce."""
        self._snapshot(entry)
        self.feed.publish()

    def after_operator_request(self, method: str, path: str) -> None:
        """A reset, tap, clock move or fault: no new activity state, but the page may show something new."""
        self._snapshot({"method": method, "path": path, "body": None, "status": None, "received_at": None})
        self.feed.publish()

    def _snapshot(self, cause: dict[str, Any]) -> None:
        """Only activities updated since the last snapshot are looked at: a run that keeps thousands of
        activities open costs each request a scan of their update times, not thousands of views."""
        timeline = self._current_timeline()
        mark = self.runtime.clock.now()
        timeline.record(self.runtime.state.activity_views(changed_since=self._since), cause)
        self._since = mark

    def document(self) -> dict[str, Any]:
        """Everything the page renders, in one consistent read: `GET /_preview/state`."""
        timeline = self._current_timeline()
        state = self.runtime.state
        requests = [
            {key: entry[key] for key in ("method", "path", "status", "fault", "received_at")}
            for entry in self.runtime.log.entries()[-RECENT_REQUESTS:]
        ]
        return {
            "version": self.feed.version,
            "now": state.stamp(),
            "accounts": [
                {"name": account.name, "channels": list(account.channels)}
                for account in self.runtime.config.accounts
            ],
            "devices": state.device_views(),
            "timelines": timeline.histories(),
            "taps": state.tap_outcomes(),
            "requests": requests,
        }
