"""POST /api/metrics/{key}/value (Lock Screen widget metrics).

The key is taken with the `path` converter, so a key holding a `/` or an empty key reaches the key check and
gets the documented 400 MetricError instead of a bare 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import MetricsKey, RuntimeDep
from activitysmith_mock.schemas import MetricValueRequest
from activitysmith_mock.validation import parse_json, parse_model

router = APIRouter(prefix="/api/metrics", tags=["metrics"])


@router.post("/{metric_key:path}/value")
async def update_metric(
    metric_key: str, request: Request, key: MetricsKey, runtime: RuntimeDep
) -> dict[str, Any]:
    document = parse_json(await request.body(), allow_non_finite=True)
    body = parse_model(MetricValueRequest, document)
    return runtime.state.set_metric(key, metric_key, body)
