"""The one place requests reach the preview: an outer ASGI middleware that calls the recorder afterwards.

It sits outside `ServiceMiddleware` and never touches a request or an answer: it awaits the app, then hands
the recorder the request-log entry `ServiceMiddleware` left in the scope (for `/api/*`), or the method and
path of an operator call that changes something (`POST /_mock/reset`, `/tap`, `/clock`, ...). Reads (GET) and
the preview's own calls change nothing, so they pass without a snapshot; so does the event stream, whose
answer never ends.
"""

from __future__ import annotations

import logging

from activitysmith_mock.middleware import LOG_ENTRY_KEY, ASGIApp, Receive, Scope, Send
from activitysmith_mock.preview.recorder import PreviewRecorder

logger = logging.getLogger("activitysmith_mock")


class PreviewHook:
    def __init__(self, app: ASGIApp, recorder: PreviewRecorder) -> None:
        self.app = app
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                try:
                    self._after(scope)
                except Exception:  # the answer is already out; a preview bug must not take the API down
                    logger.exception("the preview could not record %s %s", scope["method"], scope["path"])

    def _after(self, scope: Scope) -> None:
        entry = scope.get("state", {}).get(LOG_ENTRY_KEY)
        if entry is not None:
            self.recorder.after_api_request(entry)
        elif scope["path"].startswith("/_mock/") and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            self.recorder.after_operator_request(scope["method"], scope["path"])
