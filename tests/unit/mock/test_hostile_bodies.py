"""Bodies an attacker (or a broken client) sends: lone surrogates, absurd nesting, odd values already stored.

Each is refused as a 400 in the API's error shape naming what is wrong, and nothing stored can make the
operator API (`/_mock/devices`, `/_mock/requests`) fail afterwards.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.support.in_process import InProcessService
from tests.support.service_api import ServiceApi

STREAM = "/live-activity/stream/odd"
# JSON text whose title is half of a surrogate pair: valid JSON syntax, not valid Unicode.
LONE_SURROGATE_PUT = b'{"content_state": {"title": "\\ud800", "type": "alert", "message": "m"}}'


def raw(service: ServiceApi, method: str, path: str, content: bytes):
    return service.api(method, path, content=content, headers={"Content-Type": "application/json"})


def test_a_lone_surrogate_is_refused_naming_the_field(service: ServiceApi) -> None:
    response = raw(service, "PUT", STREAM, LONE_SURROGATE_PUT)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["message"].startswith("content_state.title: is not valid Unicode")


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            b'{"title": "ok", "actions": [{"title": "\\udfff", "type": "open_url", "url": "https://x.io"}]}',
            "actions.0.title",
        ),
        (b'{"title": "ok", "payload": {"\\ud83d": 1}}', "payload."),
        (b'{"title": "ok", "tags": ["a", "\\ud800b"]}', "tags.1"),
    ],
)
def test_lone_surrogates_anywhere_are_refused_with_their_path(
    service: ServiceApi, document: bytes, field: str
) -> None:
    response = raw(service, "POST", "/push-notification", document)
    assert response.status_code == 400
    assert response.json()["message"].startswith(field)


def test_an_escaped_surrogate_pair_is_an_ordinary_character(service: ServiceApi) -> None:
    response = raw(service, "POST", "/push-notification", b'{"title": "Shipped \\ud83d\\ude80"}')
    assert response.status_code == 200
    assert service.devices()["devices"][0]["pushes"][0]["title"] == "Shipped 🚀"


def test_the_operator_api_still_answers_after_a_lone_surrogate_was_sent(service: ServiceApi) -> None:
    assert raw(service, "PUT", STREAM, LONE_SURROGATE_PUT).status_code == 400
    assert service.operator("GET", "devices").status_code == 200
    response = service.operator("GET", "requests")
    assert response.status_code == 200
    (entry,) = response.json()
    assert entry["status"] == 400
    assert entry["body"]["content_state"]["title"] == "\\ud800"  # shown as text, not lost


@pytest.mark.parametrize("levels", [65, 2_000, 50_000])
def test_deeply_nested_json_is_a_json_400(service: ServiceApi, levels: int) -> None:
    document = b'{"title": "t", "payload": ' + b'{"a": ' * levels + b"1" + b"}" * levels + b"}"
    response = raw(service, "POST", "/push-notification", document)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["error"], body["code"]) == ("Invalid JSON", "invalid_json")
    assert "nested deeper than 64 levels" in body["message"]
    assert service.operator("GET", "requests").status_code == 200


def test_a_bare_deep_array_is_a_json_400(service: ServiceApi) -> None:
    response = raw(service, "POST", "/push-notification", b"[" * 50_000 + b"]" * 50_000)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_nesting_within_the_limit_is_accepted(service: ServiceApi) -> None:
    deep: dict = {"leaf": 1}
    for _ in range(40):  # deeper than the action allows (32), within the service's 64
        deep = {"a": deep}
    response = service.api("POST", "/push-notification", json={"title": "t", "payload": deep})
    assert response.status_code == 200


def test_odd_values_already_stored_cannot_break_the_views(service: InProcessService) -> None:
    """Whatever got in (a bug elsewhere, an older version), the operator views answer valid JSON."""
    runtime = service.app.state.runtime
    deep: dict = {"x": 1}
    for _ in range(5_000):
        deep = {"a": deep}
    odd = {"title": "\ud800", "nan": math.nan, "inf": -math.inf, "deep": deep, "set": {1, 2}}
    runtime.state.world.devices["iphone"].pushes.append(dict(odd))
    entry = runtime.log.record(method="POST", path="/api/x", query="", body=b"", headers=[], at="now")
    entry["body"] = dict(odd)
    for path in ("devices", "requests"):
        response = service.operator("GET", path)
        assert response.status_code == 200, path
        document = json.loads(response.content)  # strict JSON: no NaN, valid UTF-8
        text = json.dumps(document)
        assert "\\\\ud800" in text and '"nan"' in text and "nested deeper than 64 levels" in text
