"""What routes receive from FastAPI: the runtime, the caller's API key (after auth and rate limits), bodies.

Every route takes the runtime as `RuntimeDep` and the key as its feature's alias (`NotificationsKey`, ...),
so auth and limits live here, not in the routes, and every limited endpoint counts and answers the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from activitysmith_mock.domain.entities import ApiKey
from activitysmith_mock.errors import ApiError
from activitysmith_mock.middleware import RATE_HEADERS_KEY
from activitysmith_mock.runtime import Runtime
from activitysmith_mock.validation import parse_json, parse_model

Model = TypeVar("Model", bound=BaseModel)


def runtime_of(request: Request) -> Runtime:
    """The app's runtime; a reset replaces what it holds, never the runtime itself."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(runtime_of)]


def _remember_headers(request: Request, headers: dict[str, str]) -> None:
    request.scope.setdefault("state", {})[RATE_HEADERS_KEY] = {
        name: value for name, value in headers.items() if name.startswith("RateLimit")
    }


def limited(feature: str) -> Callable[[Request, Runtime], Awaitable[ApiKey]]:
    """A dependency: the caller's API key, after counting the request against `feature`'s limits.

    A request with a bad key still counts against the IP limit, and the RateLimit headers go on every answer
    (the middleware adds them), errors included.
    """

    async def authorize(request: Request, runtime: RuntimeDep) -> ApiKey:
        ip = request.client.host if request.client else "unknown"
        try:
            key = runtime.state.authenticate(request.headers.get("authorization"))
        except ApiError as denied:
            try:
                _remember_headers(request, runtime.limiter.hit(feature, ip, None))
            except ApiError as limited_error:
                _remember_headers(request, limited_error.headers)
                raise
            raise denied from None
        try:
            _remember_headers(request, runtime.limiter.hit(feature, ip, key.account))
        except ApiError as limited_error:
            _remember_headers(request, limited_error.headers)
            raise
        return key

    return authorize


NotificationsKey = Annotated[ApiKey, Depends(limited("notifications"))]
LiveActivityKey = Annotated[ApiKey, Depends(limited("live-activities"))]
MetricsKey = Annotated[ApiKey, Depends(limited("metrics"))]
BadgesKey = Annotated[ApiKey, Depends(limited("badges"))]


async def body_as(request: Request, model: type[Model], *, optional: bool = False) -> Model | None:
    document: Any = parse_json(await request.body(), optional=optional)
    if document is None:
        return None
    return parse_model(model, document)


async def required_body(request: Request, model: type[Model]) -> Model:
    parsed = await body_as(request, model)
    assert parsed is not None  # parse_json raises for an empty required body
    return parsed
