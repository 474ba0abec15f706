"""What a tap on a button does: an `open_url` is recorded as opened; a `webhook` is called over HTTP.

Webhook URLs must be https, so `settings.webhook_redirects` maps an origin (`https://hooks.example.com`) to a
local base (`http://127.0.0.1:9999`): the call goes to the local base with the same path and query, while the
record keeps the URL the user wrote.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from activitysmith_mock.config import Settings


def redirected(url: str, redirects: dict[str, str]) -> str:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    for source, target in redirects.items():
        if source.lower() == origin:
            rest = url[len(origin) :]
            return target + rest
    return url


async def perform(action: dict[str, Any], settings: Settings, *, device: str, at: str) -> dict[str, Any]:
    """Carry out one tapped action; the outcome for `GET /_mock/webhooks` (errors recorded, not raised)."""
    outcome: dict[str, Any] = {
        "device": device,
        "kind": action["type"],
        "url": action["url"],
        "method": None,
        "body": None,
        "status": None,
        "error": None,
        "at": at,
    }
    if action["type"] != "webhook":
        outcome["opened"] = True
        return outcome
    method = action.get("method", "POST")
    body = action.get("body")
    outcome.update(method=method, body=body)
    target = redirected(action["url"], settings.webhook_redirects)
    if target == action["url"] and not settings.webhook_allow_network:
        outcome["error"] = (
            "not called: no settings.webhook_redirects entry covers this origin "
            "(add one, or set settings.webhook_allow_network: true)"
        )
        return outcome
    try:
        async with httpx.AsyncClient(timeout=settings.webhook_timeout_seconds, trust_env=False) as client:
            if method == "GET":
                response = await client.get(target)
            else:
                response = await client.post(target, json=body if body is not None else {})
        outcome["status"] = response.status_code
    except httpx.HTTPError as exc:
        outcome["error"] = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return outcome
