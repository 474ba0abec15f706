"""Lock Screen widget metrics: POST /api/metrics/{key}/value checks the value and stores it per account."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from activitysmith_mock.config import METRIC_KEY_PATTERN
from activitysmith_mock.domain.entities import ApiKey
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import ApiError
from activitysmith_mock.schemas import MetricValueRequest


def set_value(world: World, key: ApiKey, metric_key: str, request: MetricValueRequest) -> dict[str, Any]:
    """Billing does not block metrics; an unknown key is 404, a bad value or timestamp 400."""
    if not METRIC_KEY_PATTERN.match(metric_key):
        raise ApiError(
            400,
            {"error": "Invalid metric key", "message": f"key: must match {METRIC_KEY_PATTERN.pattern}"},
        )
    _check_value(request.value)
    timestamp = world.stamp() if request.timestamp is None else _checked_timestamp(request.timestamp)
    account = world.accounts[key.account]
    if metric_key not in account.metrics:
        raise ApiError(404, {"error": "Metric not found"})
    account.metrics[metric_key] = {"value": request.value, "timestamp": timestamp}
    return {"success": True}


def _check_value(value: Any) -> None:
    """A finite number or a string of 1-64 characters (JSON `true` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApiError(
            400,
            {
                "error": "value must be a number or a string",
                "message": "value: must be a finite number or a string of 1-64 characters",
            },
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ApiError(400, {"error": "value must be a finite number"})
    if isinstance(value, str) and not 1 <= len(value) <= 64:
        raise ApiError(400, {"error": "value must be a string of 1-64 characters"})


def _checked_timestamp(stamp: str) -> str:
    """`format: date-time`: a date alone is refused; the stamp is stored as sent."""
    try:
        if len(stamp) < 16 or stamp[10] not in "Tt ":
            raise ValueError(stamp)
        datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            400,
            {
                "error": "timestamp must be an ISO-8601 date-time",
                "message": "timestamp: must be an ISO-8601 date-time",
            },
        ) from None
    return stamp
