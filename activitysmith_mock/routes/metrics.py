"""POST /api/metrics/{key}/value (Lock Screen widget metrics).

The key is taken with the `path` converter, so a key holding a `/` or an empty key reaches the key check and
gets the documented 400 MetricError instead of a bare 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from activitysmith_mock.routes.deps import limited, runtime_of
from activitysmith_mock.schemas import MetricValueRequest
from activitysmith_mock.state import ApiKey
from activitysmith_mock.validation import parse_json, parse_model

router = APIRouter(prefix="/api/metrics", tags=["metrics"])
MetricsKey = Annotated[ApiKey, Depends(limited("metrics"))]


@router.post("/{metric_key:path}/value")
async def update_metric(metric_key: str, request: Request, key: MetricsKey) -> dict[str, Any]:
    document = parse_json(await request.body(), allow_non_finite=True)
    body = parse_model(MetricValueRequest, document)
    return runtime_of(request).state.set_metric(key, metric_key, body)
