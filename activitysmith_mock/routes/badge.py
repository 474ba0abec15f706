"""POST /api/badge (App Icon Badge Count)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import BadgesKey, RuntimeDep, required_body
from activitysmith_mock.schemas import BadgeRequest
from activitysmith_mock.validation import check_target

router = APIRouter(prefix="/api", tags=["badge"])


@router.post("/badge")
async def update_badge(request: Request, key: BadgesKey, runtime: RuntimeDep) -> dict[str, Any]:
    body = await required_body(request, BadgeRequest)
    channels = check_target(body.target)
    return runtime.state.set_badge(key, body.badge, channels)
