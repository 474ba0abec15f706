"""Every state each Live Activity passed through, and the request that caused each one.

The recorder hands in what the devices show after a request (the operator API's activity views); a state is
kept only when an activity's view differs from the last one kept, so a no-op update adds nothing. Ticking
timer figures (`timer_elapsed_seconds`) are not a change. An activity that leaves every device (dismissed)
keeps its timeline, so a deploy can be scrubbed back after its card is gone; which activities a device still
shows is the device view's business, not the timeline's.

Memory is bounded: the newest `max_activities` activities are kept, each with its first state and its newest
`max_states - 1`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

VOLATILE_FIELDS = frozenset({"timer_elapsed_seconds"})
MAX_ACTIVITIES = 200
MAX_STATES = 500


@dataclass
class ActivityHistory:
    activity_id: str
    devices: list[str]
    states: list[dict[str, Any]] = field(default_factory=list)
    dropped: int = 0  # states left out between the first and the kept newest ones

    def as_json(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "devices": list(self.devices),
            "dropped_states": self.dropped,
            "states": copy.deepcopy(self.states),
        }


def comparable(view: dict[str, Any]) -> dict[str, Any]:
    """The part of a view that counts as what the device shows (ticking timer figures left out)."""
    return {name: value for name, value in view.items() if name not in VOLATILE_FIELDS}


class Timeline:
    def __init__(self, *, max_activities: int = MAX_ACTIVITIES, max_states: int = MAX_STATES) -> None:
        self.max_activities = max_activities
        self.max_states = max(max_states, 2)
        self._histories: dict[str, ActivityHistory] = {}
        self._last: dict[str, dict[str, Any]] = {}

    def record(self, shown: dict[str, tuple[dict[str, Any], list[str]]], cause: dict[str, Any]) -> bool:
        """`shown`: activity id -> (its view, the devices showing it), for the activities that may have
        changed (others are left as they are). True when any timeline changed.

        `cause` is the request as the request log holds it (method, path, body, status, received_at).
        """
        changed = False
        for activity_id, (view, devices) in shown.items():
            history = self._histories.get(activity_id)
            if history is None:
                history = self._histories[activity_id] = ActivityHistory(activity_id, list(devices))
            history.devices = sorted(set(history.devices) | set(devices))
            now = comparable(view)
            if self._last.get(activity_id) == now:
                continue
            self._last[activity_id] = now
            self._append(history, {"view": copy.deepcopy(view), "cause": cause_of(cause)})
            changed = True
        self._forget_oldest()
        return changed

    def _append(self, history: ActivityHistory, state: dict[str, Any]) -> None:
        state["index"] = len(history.states) + history.dropped
        history.states.append(state)
        if len(history.states) > self.max_states:
            del history.states[1]  # the first state (the start) stays: it is where a deploy began
            history.dropped += 1

    def _forget_oldest(self) -> None:
        while len(self._histories) > self.max_activities:
            oldest = next(iter(self._histories))
            del self._histories[oldest]
            self._last.pop(oldest, None)

    def histories(self) -> list[dict[str, Any]]:
        """Every kept timeline, oldest activity first (copies)."""
        return [history.as_json() for history in self._histories.values()]


def cause_of(entry: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of the request behind a state (the log entry never holds credentials)."""
    return {
        "method": entry.get("method"),
        "path": entry.get("path"),
        "body": copy.deepcopy(entry.get("body")),
        "status": entry.get("status"),
        "fault": entry.get("fault"),
        "at": entry.get("received_at"),
    }
