"""POST /api/badge (App Icon Badge Count)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from activitysmith_mock.routes.deps import limited, required_body, runtime_of
from activitysmith_mock.schemas import BadgeRequest
from activitysmith_mock.state import ApiKey
from activitysmith_mock.validation import check_target

router = APIRouter(prefix="/api", tags=["badge"])
BadgesKey = Annotated[ApiKey, Depends(limited("badges"))]


@router.post("/badge")
async def update_badge(request: Request, key: BadgesKey) -> dict[str, Any]:
    body = await required_body(request, BadgeRequest)
    channels = check_target(body.target)
    return runtime_of(request).state.set_badge(key, body.badge, channels)
