"""The service's error: an HTTP status plus a JSON body in the API's documented shape.

Domain code (state, limits, validation) raises `ApiError`; the app turns it into a response. Keeping the
status and body together here means no module needs FastAPI to report a documented error.
"""

from __future__ import annotations

from typing import Any

UNAUTHORIZED_MESSAGE = "The API key is invalid or was not provided."
RATE_LIMIT_BODY = {
    "error": "Rate limit exceeded",
    "message": "Too many requests, please try again later.",
    "code": "rate_limited",
}
SCOPE_VIOLATION_MESSAGE = (
    "This API key can only target assigned channels. "
    "Requested channels include channels outside this key scope."
)
INVALID_TAGS_MESSAGE = (
    "tags must use 1-64 lowercase letters, numbers, dashes, underscores, periods, or colons"
)
TOO_MANY_TAGS_MESSAGE = "tags must contain at most 20 unique values"
INVALID_STREAM_KEY_MESSAGE = "stream_key must contain only letters, numbers, underscores, and hyphens"


class ApiError(Exception):
    """A documented error answer: `status`, the JSON `body`, and any extra response `headers`."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {body.get('error')}: {body.get('message', '')}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def bad_request(error: str, message: str, code: str) -> ApiError:
    """400 BadRequestError: `message` starts with the field path so the caller knows what to fix."""
    return ApiError(400, {"error": error, "message": message, "code": code})


def invalid_request(message: str) -> ApiError:
    return bad_request("Invalid request", message, "invalid_request")


def invalid_target(message: str) -> ApiError:
    return bad_request("Invalid channel targeting", message, "invalid_target")


def unauthorized() -> ApiError:
    return ApiError(401, {"error": "Unauthorized", "message": UNAUTHORIZED_MESSAGE})


def forbidden(message: str, error: str = "Forbidden") -> ApiError:
    return ApiError(403, {"error": error, "message": message})


def not_found(error: str, message: str) -> ApiError:
    return ApiError(404, {"error": error, "message": message})


def rate_limited(retry_after: int) -> ApiError:
    return ApiError(429, dict(RATE_LIMIT_BODY), {"Retry-After": str(retry_after)})
