"""GET /api/health: no auth; the HealthResponse shape of the reference (§3.10)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import runtime_of

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    state = runtime_of(request).state
    return {
        "ok": True,
        "service": "activitysmith-local",
        "timestamp": state.stamp(),
        "checks": [
            {"name": "database", "status": "ok", "duration_ms": 0},
            {"name": "redis", "status": "ok", "duration_ms": 0},
        ],
    }
