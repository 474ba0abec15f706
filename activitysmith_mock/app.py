"""`create_app(config)`: the FastAPI app of one local ActivitySmith service, with fresh state.

Errors leave in the API's own shapes: `ApiError` as documented, FastAPI's 422 validation answer replaced by
a 400 BadRequestError, unknown routes as `{"error", "message"}`, and never a traceback. A path that differs
from a documented one only by a trailing slash is an unknown route too (JSON 404), not a bodiless 307.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from activitysmith_mock import __version__
from activitysmith_mock.config import DEFAULT_API_KEY, ServiceConfig, build_config
from activitysmith_mock.errors import ApiError
from activitysmith_mock.middleware import ServiceMiddleware
from activitysmith_mock.preview import routes as preview
from activitysmith_mock.preview.hook import PreviewHook
from activitysmith_mock.preview.recorder import PreviewRecorder
from activitysmith_mock.routes import badge, health, live_activity, metrics, operator, push, stream
from activitysmith_mock.runtime import Runtime
from activitysmith_mock.validation import describe_errors


def create_app(config: ServiceConfig | None = None, *, api_key: str = DEFAULT_API_KEY) -> FastAPI:
    config = config or build_config(None, api_key)
    app = FastAPI(
        title="ActivitySmith local service",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,
    )
    runtime = Runtime(config, default_api_key=api_key)
    app.state.runtime = runtime
    for module in (health, push, live_activity, stream, metrics, badge, operator):
        app.include_router(module.router)
    app.add_middleware(ServiceMiddleware, runtime=runtime)
    recorder = PreviewRecorder(runtime)
    preview.install(app, recorder)
    app.add_middleware(PreviewHook, recorder=recorder)  # added last: outermost, sees each answered request

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        body = {
            "error": "Invalid request",
            "message": describe_errors(exc.errors()),
            "code": "invalid_request",
        }
        return JSONResponse(body, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
        message = f"{request.method} {request.url.path}: {exc.detail}"
        return JSONResponse(
            {"error": error, "message": message},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    return app
