"""create_app in process: fresh state per app, and FastAPI's own errors reshaped to the API's 400/404/405."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from activitysmith_mock.app import create_app
from activitysmith_mock.config import DEFAULT_API_KEY

AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}


def call(app: FastAPI, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(send())


def test_each_app_has_its_own_state() -> None:
    first, second = create_app(), create_app()
    assert call(first, "POST", "/api/push-notification", json={"title": "x"}, headers=AUTH).status_code == 200
    assert len(call(first, "GET", "/_mock/devices").json()["devices"][0]["pushes"]) == 1
    assert call(second, "GET", "/_mock/devices").json()["devices"][0]["pushes"] == []


def test_framework_validation_errors_are_400_in_the_api_shape() -> None:
    app = create_app()

    @app.get("/api/probe")
    async def probe(count: int) -> dict[str, int]:
        return {"count": count}

    response = call(app, "GET", "/api/probe", params={"count": "many"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid request",
        "message": "query.count: Input should be a valid integer, unable to parse string as an integer",
        "code": "invalid_request",
    }


def test_wrong_method_is_a_json_405() -> None:
    response = call(create_app(), "GET", "/api/push-notification", headers=AUTH)
    assert response.status_code == 405
    assert response.json() == {
        "error": "Method Not Allowed",
        "message": "GET /api/push-notification: Method Not Allowed",
    }


def test_a_bug_in_a_route_is_a_logged_json_500() -> None:
    app = create_app()

    @app.get("/api/broken")
    async def broken() -> dict[str, str]:
        raise RuntimeError("boom")

    response = call(app, "GET", "/api/broken")
    assert response.status_code == 500
    assert response.json() == {
        "error": "Internal Server Error",
        "message": "Signifies a server error with ActivitySmith.",
    }
    entry = call(app, "GET", "/_mock/requests").json()[-1]
    assert (entry["path"], entry["status"]) == ("/api/broken", 500)
