"""PUT|DELETE /api/live-activity/stream/{stream_key} (the managed stream lifecycle).

The key is taken with the `path` converter, so a key holding a `/` (sent raw or as `%2F`), an empty key or a
trailing slash reaches `check_stream_key` and gets the documented 400 instead of a bare 404 or a redirect.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from activitysmith_mock.routes.deps import LiveActivityKey, RuntimeDep, body_as, required_body
from activitysmith_mock.schemas import StreamDeleteRequest, StreamPutRequest
from activitysmith_mock.validation import (
    check_buttons,
    check_metadata,
    check_stream_channels,
    check_stream_key,
    check_tags,
)

router = APIRouter(prefix="/api/live-activity/stream", tags=["stream"])


@router.put("/{stream_key:path}")
async def put_stream(
    stream_key: str, request: Request, key: LiveActivityKey, runtime: RuntimeDep
) -> dict[str, Any]:
    check_stream_key(stream_key)
    body = await required_body(request, StreamPutRequest)
    check_buttons(body)
    channels = check_stream_channels(body.channels, body.target)
    tags = check_tags(body.tags)
    metadata = check_metadata(body.metadata)
    return runtime.state.stream_put(key, stream_key, body, channels, tags, metadata)


@router.delete("/{stream_key:path}")
async def delete_stream(
    stream_key: str, request: Request, key: LiveActivityKey, runtime: RuntimeDep
) -> dict[str, Any]:
    check_stream_key(stream_key)
    body = await body_as(request, StreamDeleteRequest, optional=True)
    tags = metadata = None
    if body is not None:
        check_buttons(body)
        tags = check_tags(body.tags)
        metadata = check_metadata(body.metadata)
    return runtime.state.stream_delete(key, stream_key, body, tags, metadata)
