"""The preview's HTTP side: the page at `/`, its assets, the state it renders and the change stream.

    GET /                      the page (static/index.html)
    GET /_preview/static/...   its CSS and JS, from the package
    GET /_preview/state        devices, timelines, tap outcomes and recent requests, as one JSON document
    GET /_preview/events       server-sent events: `change` with {"version": N} whenever something may have
                               changed; the page then fetches the state once (no polling loop)

Every answer of the page carries a Content-Security-Policy that allows only this origin, so the page cannot
load a font, script or image from the network, and a string that slipped past escaping could not run.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from activitysmith_mock.preview.recorder import PreviewRecorder

STATIC = Path(__file__).parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 2000

router = APIRouter(tags=["preview"])


def recorder_of(request: Request) -> PreviewRecorder:
    recorder: PreviewRecorder = request.app.state.preview
    return recorder


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


@router.get("/_preview/state")
async def state(request: Request) -> Any:
    return recorder_of(request).document()


@router.get("/_preview/events")
async def events(request: Request) -> StreamingResponse:
    feed = recorder_of(request).feed

    async def stream() -> AsyncIterator[str]:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        seen = -1
        while True:
            version = await feed.wait_past(seen, HEARTBEAT_SECONDS)
            if version == seen:
                yield ": still here\n\n"  # a comment: a dead connection surfaces; EventSource ignores it
                continue
            seen = version
            yield f"event: change\ndata: {json.dumps({'version': version})}\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


class _PageFiles(StaticFiles):
    """The package's static files, with the page's security headers on every answer."""

    async def get_response(self, path: str, scope: Any) -> Any:
        response = await super().get_response(path, scope)
        response.headers.update(PAGE_HEADERS)
        return response


def install(app: FastAPI, recorder: PreviewRecorder) -> None:
    """Serve the page on `app` and give its routes the recorder."""
    app.state.preview = recorder
    app.include_router(router)
    app.mount("/_preview/static", _PageFiles(directory=STATIC), name="preview-static")
