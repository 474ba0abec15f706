"""Simulated taps: find the action a tap on a push or a Live Activity button hits, and keep each outcome.

Performing the action (calling a webhook) is HTTP work, done by `activitysmith_mock.webhooks`, not here.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain import lifecycle
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import invalid_request, not_found


def action_at(
    world: World,
    device_id: str,
    *,
    push: int | None,
    action: int | None,
    activity_id: str | None,
    button: str | None,
) -> dict[str, Any]:
    """The action a simulated tap hits; 404/400 naming the field when it does not exist."""
    lifecycle.sweep(world)
    device = world.devices.get(device_id)
    if device is None:
        raise not_found("Device not found", f"device: no device {device_id!r}")
    if activity_id is not None:
        activity = world.activities.get(activity_id)
        if activity is None or activity.dismissed or device.id not in activity.device_ids:
            raise not_found("Live Activity not found", f"activity_id: {activity_id} is not on {device_id}")
        if button not in ("action", "secondary_action"):
            raise invalid_request("button: must be 'action' or 'secondary_action'")
        chosen: dict[str, Any] | None = getattr(activity, button)
        if chosen is None:
            raise not_found("Button not found", f"button: this Live Activity has no {button}")
        return dict(chosen)
    if push is None or action is None:
        raise invalid_request("body: give push and action, or activity_id and button")
    if not 0 <= push < len(device.pushes):
        raise not_found("Push not found", f"push: {device_id} has {len(device.pushes)} pushes")
    actions = device.pushes[push]["actions"]
    if not 0 <= action < len(actions):
        raise not_found("Action not found", f"action: that push has {len(actions)} actions")
    return dict(actions[action])


def record(world: World, outcome: dict[str, Any]) -> None:
    world.taps.append(outcome)


def outcomes(world: World) -> list[dict[str, Any]]:
    """Every tap outcome, oldest first (copies)."""
    return [dict(outcome) for outcome in world.taps]
