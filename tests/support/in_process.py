"""The local ActivitySmith service in the test's own process: `create_app` behind httpx's ASGI transport.

Requests pass through the whole ASGI stack (the middleware that logs them and injects faults, the routes, the
error handlers) without a socket or a process, so a test runs in milliseconds. What needs a real wire (dropped
connections, timeouts, the CLIs, concurrency across sockets, webhook calls) stays on `LocalService`.

Why not FastAPI's TestClient: this Starlette deprecates it on top of httpx (it wants the separate httpx2
package, whose responses are another type); the ASGI transport keeps the answers `httpx.Response`s, like
`LocalService`'s. One anyio portal (an event-loop thread) serves every call, as a server's loop would.
"""

from __future__ import annotations

from contextlib import ExitStack
from functools import partial
from types import TracebackType
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from activitysmith_mock.app import create_app
from activitysmith_mock.config import ServiceConfig
from tests.support.service_api import TEST_API_KEY, ServiceApi

ROOT = "http://in-process"


class InProcessService(ServiceApi):
    """One app with fresh state; use it as a context manager (it starts and stops the event-loop thread)."""

    def __init__(self, *, api_key: str = TEST_API_KEY, config: ServiceConfig | None = None) -> None:
        self.api_key = api_key
        self.app = create_app(config, api_key=api_key)
        self._exits = ExitStack()
        self._portal: BlockingPortal | None = None
        self._client: httpx.AsyncClient | None = None

    def __enter__(self) -> InProcessService:
        portal = self._exits.enter_context(start_blocking_portal())
        # A bug in the service answers 500, as it would over the wire, instead of raising into the test;
        # the client address is loopback, as for a real local caller (rate limits count per IP).
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False, client=("127.0.0.1", 50000))
        client = httpx.AsyncClient(transport=transport, base_url=ROOT)
        self._exits.callback(portal.call, client.aclose)  # runs before the portal stops (last in, first out)
        self._portal, self._client = portal, client
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._portal = self._client = None
        self._exits.close()

    @property
    def root(self) -> str:
        return ROOT

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if self._portal is None or self._client is None:
            raise RuntimeError(
                "use InProcessService as a context manager: `with InProcessService() as service:`"
            )
        return self._portal.call(partial(self._client.request, method, url, **kwargs))
