"""POST /api/live-activity/start|update|end (the legacy manual lifecycle)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import LiveActivityKey, RuntimeDep, required_body
from activitysmith_mock.schemas import (
    LiveActivityEndRequest,
    LiveActivityStartRequest,
    LiveActivityUpdateRequest,
)
from activitysmith_mock.validation import check_buttons, check_metadata, check_tags, check_target

router = APIRouter(prefix="/api/live-activity", tags=["live-activity"])


@router.post("/start")
async def start(request: Request, key: LiveActivityKey, runtime: RuntimeDep) -> dict[str, Any]:
    body = await required_body(request, LiveActivityStartRequest)
    check_buttons(body)
    channels = check_target(body.target)
    tags = check_tags(body.tags)
    metadata = check_metadata(body.metadata)
    return runtime.state.start_activity(key, body, channels, tags, metadata)


@router.post("/update")
async def update(request: Request, key: LiveActivityKey, runtime: RuntimeDep) -> dict[str, Any]:
    body = await required_body(request, LiveActivityUpdateRequest)
    check_buttons(body)
    tags = check_tags(body.tags, patterned=False)
    metadata = check_metadata(body.metadata)
    return runtime.state.update_activity(key, body, tags, metadata)


@router.post("/end")
async def end(request: Request, key: LiveActivityKey, runtime: RuntimeDep) -> dict[str, Any]:
    body = await required_body(request, LiveActivityEndRequest)
    check_buttons(body)
    tags = check_tags(body.tags, patterned=False)
    metadata = check_metadata(body.metadata)
    return runtime.state.end_activity(key, body, tags, metadata)
