"""GET /api/health: no auth; the API's HealthResponse shape."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from activitysmith_mock.routes.deps import RuntimeDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
async def health(runtime: RuntimeDep) -> dict[str, Any]:
    return {
        "ok": True,
        "service": "activitysmith-local",
        "timestamp": runtime.state.stamp(),
        "checks": [
            {"name": "database", "status": "ok", "duration_ms": 0},
            {"name": "redis", "status": "ok", "duration_ms": 0},
        ],
    }
