"""POST /api/push-notification in-process: delivery, validation, documented errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.service_api import ServiceApi


def push(service: ServiceApi, body: Any, **kwargs: Any):
    return service.api("POST", "/push-notification", json=body, **kwargs)


def test_push_delivers_to_every_device_and_is_recorded(service: ServiceApi) -> None:
    response = push(service, {"title": "Deployed", "message": "v1.2 is live", "tags": ["deploy", "env:prod"]})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["devices_notified"] == 1
    assert body["users_notified"] == 1
    assert body["effective_channel_slugs"] is None
    assert body["tags"] == ["deploy", "env:prod"]
    assert body["timestamp"].endswith("Z") and len(body["timestamp"]) == 24
    (device,) = service.devices()["devices"]
    (received,) = device["pushes"]
    assert received["title"] == "Deployed" and received["message"] == "v1.2 is live"
    assert received["tags"] == ["deploy", "env:prod"]


def test_push_with_actions_and_options_is_recorded_verbatim(service: ServiceApi) -> None:
    body = {
        "title": "Build Failed",
        "message": "Tap and hold",
        "subtitle": "main",
        "redirection": "https://ci.example.com/builds/8842",
        "icon": "https://example.com/icon.png",
        "interruption_level": "time-sensitive",
        "actions": [
            {
                "title": "Retry",
                "type": "webhook",
                "url": "https://hooks.example.com/retry",
                "method": "POST",
                "body": {"build_id": "8842"},
            },
            {"title": "Open", "type": "open_url", "url": "spotify:track:123"},
            {"title": "Run", "type": "open_url", "url": "shortcuts://run-shortcut?name=Deploy"},
        ],
        "payload": {"any": {"thing": 1}},
        "sound": "default",
        "badge": 4,
        "metadata": {"build": 8842, "ok": False, "who": "ci"},
    }
    assert push(service, body).status_code == 200
    (device,) = service.devices()["devices"]
    received = device["pushes"][0]
    assert received["actions"][0]["body"] == {"build_id": "8842"}
    assert received["interruption_level"] == "time-sensitive"
    assert received["redirection"] == "https://ci.example.com/builds/8842"
    assert device["badge"] == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "title: Field required"),
        ({"title": 3}, "title: Input should be a valid string"),
        ({"title": "x", "colour": "red"}, "colour: unknown field (not allowed)"),
        (
            {"title": "x", "interruption_level": "critical"},
            "interruption_level: Input should be 'passive', 'active' or 'time-sensitive'",
        ),
        (
            {"title": "x", "actions": [{"title": "a", "type": "call", "url": "https://x.io"}]},
            "actions.0.type: Input should be 'open_url' or 'webhook'",
        ),
        (
            {
                "title": "x",
                "actions": [{"title": "a", "type": "webhook", "url": "https://x.io", "method": "PUT"}],
            },
            "actions.0.method: Input should be 'GET' or 'POST'",
        ),
        (
            {
                "title": "x",
                "actions": [{"title": f"a{i}", "type": "open_url", "url": "https://x.io"} for i in range(5)],
            },
            "actions: List should have at most 4 items after validation, not 5",
        ),
        (
            {"title": "x", "redirection": "https://x.io/" + "a" * 2048},
            "redirection: String should have at most 2048 characters",
        ),
    ],
)
def test_push_schema_errors_are_400_with_the_field_path(service: ServiceApi, body: Any, message: str) -> None:
    response = push(service, body)
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid request", "message": message, "code": "invalid_request"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"title": "x", "redirection": "javascript:alert(1)"},
            "redirection: the javascript: scheme is blocked (internal or executable)",
        ),
        (
            {"title": "x", "redirection": "data:text/html,hi"},
            "redirection: the data: scheme is blocked (internal or executable)",
        ),
        (
            {"title": "x", "actions": [{"title": "a", "type": "open_url", "url": "file:///etc/passwd"}]},
            "actions.0.url: the file: scheme is blocked (internal or executable)",
        ),
        (
            {
                "title": "x",
                "actions": [{"title": "a", "type": "webhook", "url": "http://hooks.example.com/x"}],
            },
            "actions.0.url: must be an https:// URL",
        ),
        ({"title": "x", "media": "http://example.com/a.png"}, "media: must be an https:// URL"),
        ({"title": "x", "icon": "https://user:pw@example.com/a.png"}, "icon: must not contain credentials"),
        (
            {"title": "x", "redirection": "no scheme here"},
            "redirection: must start with a URL scheme (https://, shortcuts://, myapp://)",
        ),
    ],
)
def test_push_url_rules(service: ServiceApi, body: Any, message: str) -> None:
    response = push(service, body)
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid URL", "message": message, "code": "invalid_url"}


def test_push_accepts_app_schemes_and_http_redirection(service: ServiceApi) -> None:
    for url in ("myapp://open/42", "http://intranet.example.com/x", "shortcuts://run-shortcut?name=A"):
        assert push(service, {"title": "x", "redirection": url}).status_code == 200


def test_push_media_with_actions_is_rejected(service: ServiceApi) -> None:
    body = {
        "title": "x",
        "media": "https://example.com/a.png",
        "actions": [{"title": "a", "type": "open_url", "url": "https://x.io"}],
    }
    response = push(service, body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid request",
        "message": "media: media cannot be combined with actions",
        "code": "media_with_actions",
    }


@pytest.mark.parametrize(
    "tags",
    [["UPPER ok?"], ["-leading"], ["x" * 65], [""], "not-a-list", [3]],
)
def test_push_invalid_tags_get_the_documented_message(service: ServiceApi, tags: Any) -> None:
    response = push(service, {"title": "x", "tags": tags})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid tags",
        "code": "invalid_tags",
        "message": "tags must use 1-64 lowercase letters, numbers, dashes, underscores, periods, or colons",
    }


def test_push_tags_are_deduplicated_and_limited_to_20_unique(service: ServiceApi) -> None:
    twenty = [f"t{i}" for i in range(20)]
    ok = push(service, {"title": "x", "tags": twenty + twenty})
    assert ok.status_code == 200 and ok.json()["tags"] == twenty
    response = push(service, {"title": "x", "tags": [*twenty, "t20"]})
    assert response.status_code == 400
    assert response.json()["message"] == "tags must contain at most 20 unique values"


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ([1], "metadata: must be an object"),
        ({f"k{i}": i for i in range(51)}, "metadata: at most 50 keys are allowed, got 51"),
        ({"k" * 101: 1}, "metadata." + "k" * 40 + ": keys must be at most 100 characters"),
        ({"s": "x" * 4001}, "metadata.s: strings must be at most 4000 characters"),
        ({"n": None}, "metadata.n: null is not supported; values are strings, numbers or booleans"),
        ({"n": {"a": 1}}, "metadata.n: nested objects and arrays are not supported"),
        ({"n": [1]}, "metadata.n: nested objects and arrays are not supported"),
        (
            {f"k{i}": "x" * 4000 for i in range(5)},
            "metadata: serialized size is 20041 bytes, the limit is 16384",
        ),
    ],
)
def test_push_metadata_limits(service: ServiceApi, metadata: Any, message: str) -> None:
    response = push(service, {"title": "x", "metadata": metadata})
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid metadata", "message": message, "code": "invalid_metadata"}


def test_malformed_json_and_non_object_bodies_are_400(service: ServiceApi) -> None:
    response = service.api(
        "POST", "/push-notification", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid JSON"
    assert response.json()["message"].startswith("body: malformed JSON")
    response = push(service, ["title"])
    assert response.status_code == 400
    assert response.json()["message"] == "body: Input should be an object"
    response = service.api("POST", "/push-notification", content=b'{"title": NaN}')
    assert response.status_code == 400 and response.json()["error"] == "Invalid JSON"


@pytest.mark.parametrize("header", [None, "Bearer nope_not_a_key", "Basic abc", "Bearer"])
def test_bad_or_missing_key_is_401(service: ServiceApi, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = service.api("POST", "/push-notification", key="", json={"title": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized",
        "message": "The API key is invalid or was not provided.",
    }
    assert service.devices()["devices"][0]["pushes"] == []


def test_health_needs_no_key(service: ServiceApi) -> None:
    response = service.api("GET", "/health", key="")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and isinstance(body["service"], str) and body["timestamp"].endswith("Z")
    assert [(c["name"], c["status"]) for c in body["checks"]] == [("database", "ok"), ("redis", "ok")]


def test_unknown_api_route_is_a_json_404(service: ServiceApi) -> None:
    response = service.api("GET", "/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "GET /api/nope: Not Found"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/push-notification/"),
        ("POST", "/badge/"),
        ("GET", "/health/"),
        ("POST", "/live-activity/start/"),
    ],
)
def test_trailing_slash_is_a_json_404_not_a_redirect(service: ServiceApi, method: str, path: str) -> None:
    response = service.api(method, path, json={"title": "x"})
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": f"{method} /api{path}: Not Found"}
    assert service.devices()["devices"][0]["pushes"] == []


@pytest.mark.parametrize("field", ["icon", "media", "redirection"])
def test_malformed_push_urls_are_a_400_not_a_500(service: ServiceApi, field: str) -> None:
    response = push(service, {"title": "x", field: "https://[::1"})
    assert response.status_code == 400
    assert response.json()["message"] == f"{field}: is not a valid URL"
    response = push(
        service, {"title": "x", "actions": [{"title": "Go", "type": "open_url", "url": "http://[x"}]}
    )
    assert (response.status_code, response.json()["message"]) == (400, "actions.0.url: is not a valid URL")


@pytest.mark.parametrize("url", ["HTTPS://example.com/i.png", " https://example.com/i.png"])
def test_https_only_push_urls_match_the_reference_pattern(service: ServiceApi, url: str) -> None:
    for field in ("icon", "media"):
        response = push(service, {"title": "x", field: url})
        assert (response.status_code, response.json()["message"]) == (
            400,
            f"{field}: must be an https:// URL",
        )


def test_an_empty_metadata_key_is_accepted(service: ServiceApi) -> None:
    """The reference limits keys to 100 characters and sets no minimum; the action lets "" through too."""
    response = push(service, {"title": "x", "metadata": {"": "v"}})
    assert response.status_code == 200
