"""POST /api/push-notification, and PUT /api/push-notification/{notification_id} (replace a sent push)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import NotificationsKey, RuntimeDep, required_body
from activitysmith_mock.schemas import PushNotificationRequest, PushReplaceRequest
from activitysmith_mock.validation import check_metadata, check_push, check_tags, check_target

router = APIRouter(prefix="/api", tags=["push"])


@router.post("/push-notification")
async def send_push(request: Request, key: NotificationsKey, runtime: RuntimeDep) -> dict[str, Any]:
    body = await required_body(request, PushNotificationRequest)
    check_push(body)
    channels = check_target(body.target)
    tags = check_tags(body.tags)
    metadata = check_metadata(body.metadata)
    return runtime.state.send_push(key, body, channels, tags, metadata)


@router.put("/push-notification/{notification_id}")
async def replace_push(
    notification_id: str, request: Request, key: NotificationsKey, runtime: RuntimeDep
) -> dict[str, Any]:
    body = await required_body(request, PushReplaceRequest)
    check_push(body)
    tags = check_tags(body.tags)
    metadata = check_metadata(body.metadata)
    return runtime.state.replace_push(key, notification_id, body, tags, metadata)
