"""PUT|DELETE /api/live-activity/stream/{stream_key}: the managed stream state machine (in-process)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.configs import single_device, team
from tests.support.service_api import ServiceApi

METRICS = {
    "title": "Server Health",
    "subtitle": "prod-web-1",
    "type": "metrics",
    "metrics": [{"label": "CPU", "value": 27, "unit": "%"}, {"label": "MEM", "value": 64, "unit": "%"}],
}


def put(service: ServiceApi, key: str, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
    return service.api("PUT", f"/live-activity/stream/{key}", json=body, **kwargs)


def delete(service: ServiceApi, key: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return service.api("DELETE", f"/live-activity/stream/{key}", json=body)


def shown(service: ServiceApi, device: str = "iphone") -> list[dict[str, Any]]:
    return next(d for d in service.devices()["devices"] if d["id"] == device)["live_activities"]


def test_first_put_starts_then_updates_then_noop(service: ServiceApi) -> None:
    first = put(service, "prod-web-1", {"content_state": METRICS})
    assert first.status_code == 200
    body = first.json()
    assert body["operation"] == "started" and body["stream_key"] == "prod-web-1"
    assert body["devices_notified"] == 1 and len(body["activity_id"]) == 32
    activity_id = body["activity_id"]

    changed = {**METRICS, "metrics": [{"label": "CPU", "value": 80, "unit": "%"}]}
    second = put(service, "prod-web-1", {"content_state": changed}).json()
    assert second["operation"] == "updated" and second["activity_id"] == activity_id

    third = put(service, "prod-web-1", {"content_state": changed}).json()
    assert third["operation"] == "noop" and third["activity_id"] == activity_id
    assert "devices_notified" not in third
    (activity,) = shown(service)
    assert activity["stream_key"] == "prod-web-1"
    assert activity["content_state"]["metrics"] == [{"label": "CPU", "value": 80, "unit": "%"}]


def test_later_puts_infer_the_type(service: ServiceApi) -> None:
    put(
        service,
        "deploy",
        {
            "content_state": {
                "title": "D",
                "type": "segmented_progress",
                "number_of_steps": 4,
                "current_step": 1,
            }
        },
    )
    response = put(service, "deploy", {"content_state": {"title": "D", "current_step": 2}})
    assert response.json()["operation"] == "updated"
    assert shown(service)[0]["content_state"]["type"] == "segmented_progress"


def test_first_put_needs_type_and_start_fields(service: ServiceApi) -> None:
    response = put(service, "s1", {"content_state": {"title": "x"}})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "content_state.type: required (the first PUT of a stream or a start must say which type)"
    )
    response = put(service, "s1", {"content_state": {"title": "x", "type": "alert"}})
    assert response.json()["message"] == "content_state.message: required for type alert"


def test_delete_ends_then_already_ended_then_put_starts_new(service: ServiceApi) -> None:
    activity_id = put(service, "job", {"content_state": METRICS}).json()["activity_id"]
    ended = delete(service, "job", {"content_state": {**METRICS, "auto_dismiss_seconds": 30}})
    assert ended.status_code == 200
    assert ended.json()["operation"] == "ended" and ended.json()["activity_id"] == activity_id
    assert shown(service)[0]["status"] == "ended"
    service.advance_clock(30)
    assert shown(service) == []

    again = delete(service, "job")
    assert again.status_code == 200
    assert again.json()["operation"] == "ended" and again.json()["activity_id"] is None

    restarted = put(service, "job", {"content_state": METRICS}).json()
    assert restarted["operation"] == "started" and restarted["activity_id"] != activity_id


def test_delete_without_body_uses_latest_state_and_default_dismissal(service: ServiceApi) -> None:
    put(service, "job", {"content_state": METRICS})
    response = service.api("DELETE", "/live-activity/stream/job")
    assert response.status_code == 200 and response.json()["activity_id"] is not None
    (activity,) = shown(service)
    assert activity["content_state"]["metrics"] == METRICS["metrics"]
    service.advance_clock(180)
    assert shown(service) == []


def test_auto_dismiss_seconds_win_over_minutes(service: ServiceApi) -> None:
    put(service, "job", {"content_state": METRICS})
    delete(
        service, "job", {"content_state": {**METRICS, "auto_dismiss_minutes": 10, "auto_dismiss_seconds": 5}}
    )
    service.advance_clock(5)
    assert shown(service) == []


def test_delete_unknown_stream_is_404(service: ServiceApi) -> None:
    response = delete(service, "prod-web-1")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Live Activity stream not found",
        "message": "No Live Activity stream found in this account for stream_key: prod-web-1. "
        "The stream may have already ended or been deleted.",
    }


@pytest.mark.parametrize(
    "key",
    # the last four would otherwise miss the route (a bare 404) or be redirected
    ["bad key", "semi;colon", "a" * 256, "dots.not.allowed", "prod/web-1", "prod%2Fweb-1", "prod-web-1/", ""],
)
def test_invalid_stream_key_is_400(service: ServiceApi, key: str) -> None:
    for response in (put(service, key, {"content_state": METRICS}), delete(service, key)):
        assert response.status_code == 400
        assert response.json() == {
            "error": "Invalid stream_key",
            "message": "stream_key must contain only letters, numbers, underscores, and hyphens",
            "code": "invalid_stream_key",
        }
        assert response.headers["RateLimit-Policy"].startswith('"public-api-ip:live-activities"')
    assert shown(service) == []


def test_no_capacity_pauses_then_starts_when_room_frees(service: ServiceApi) -> None:
    service.reset(single_device(capacity=1))
    blocker = service.api("POST", "/live-activity/start", json={"content_state": METRICS}).json()[
        "activity_id"
    ]
    paused = put(service, "job", {"content_state": METRICS})
    assert paused.status_code == 200
    assert paused.json()["operation"] == "paused" and paused.json()["activity_id"] is None
    service.api("POST", "/live-activity/end", json={"activity_id": blocker, "content_state": {"title": "x"}})
    started = put(
        service, "job", {"content_state": {"title": "Server Health", "metrics": METRICS["metrics"]}}
    )
    assert started.json()["operation"] == "started"
    assert delete(service, "job").json()["activity_id"] == started.json()["activity_id"]


def test_delete_of_paused_stream_reports_no_activity(service: ServiceApi) -> None:
    service.reset(single_device(capacity=1))
    service.api("POST", "/live-activity/start", json={"content_state": METRICS})
    put(service, "job", {"content_state": METRICS})
    response = delete(service, "job")
    assert response.json()["operation"] == "ended" and response.json()["activity_id"] is None


def test_activity_older_than_eight_hours_rotates(service: ServiceApi) -> None:
    first = put(service, "long", {"content_state": METRICS}).json()["activity_id"]
    service.advance_clock(8 * 3600 - 1)
    assert (
        put(service, "long", {"content_state": {**METRICS, "subtitle": "a"}}).json()["operation"] == "updated"
    )
    service.advance_clock(1)
    rotated = put(service, "long", {"content_state": {**METRICS, "subtitle": "b"}}).json()
    assert rotated["operation"] == "rotated"
    assert rotated["previous_activity_id"] == first and rotated["activity_id"] != first
    (activity,) = shown(service)
    assert activity["activity_id"] == rotated["activity_id"] and activity["content_state"]["subtitle"] == "b"


def test_max_age_is_configurable(service: ServiceApi) -> None:
    service.reset({"settings": {"activity_max_age_hours": 1}})
    put(service, "long", {"content_state": METRICS})
    service.advance_clock(3600)
    assert put(service, "long", {"content_state": METRICS}).json()["operation"] == "rotated"


def test_legacy_end_of_a_stream_activity_lets_next_put_start(service: ServiceApi) -> None:
    activity_id = put(service, "job", {"content_state": METRICS}).json()["activity_id"]
    service.api(
        "POST", "/live-activity/end", json={"activity_id": activity_id, "content_state": {"title": "x"}}
    )
    assert put(service, "job", {"content_state": METRICS}).json()["operation"] == "started"


def test_stream_channels_and_target(service: ServiceApi) -> None:
    service.reset(team())
    response = put(service, "ops-job", {"content_state": METRICS, "channels": ["ops"]})
    assert response.json()["effective_channel_slugs"] == ["ops"]
    assert response.json()["devices_notified"] == 2 and response.json()["users_notified"] == 1
    response = put(
        service, "ops-job2", {"content_state": METRICS, "channels": ["ops"], "target": {"channels": ["ops"]}}
    )
    assert response.status_code == 200
    response = put(
        service, "x", {"content_state": METRICS, "channels": ["ops"], "target": {"channels": ["deploys"]}}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "channels and target.channels must match when both are provided"
    response = put(service, "x", {"content_state": METRICS, "channels": []})
    assert response.json() == {
        "error": "Invalid channel targeting",
        "message": "channels must contain at least one channel",
        "code": "invalid_target",
    }
    response = put(service, "x", {"content_state": METRICS, "channels": ["marketing"]})
    assert response.status_code == 422
    assert response.json() == {
        "error": "No recipients found",
        "message": "No Live Activity devices matched the effective channel target",
        "effective_channel_slugs": ["marketing"],
    }


def test_tags_keep_replace_and_clear(service: ServiceApi) -> None:
    assert put(service, "t", {"content_state": METRICS, "tags": ["a"]}).json()["tags"] == ["a"]
    assert put(service, "t", {"content_state": METRICS}).json()["operation"] == "noop"
    assert put(service, "t", {"content_state": METRICS, "tags": ["b"]}).json()["operation"] == "updated"
    assert put(service, "t", {"content_state": METRICS, "tags": []}).json()["operation"] == "updated"
    response = put(service, "t", {"content_state": METRICS, "tags": ["bad tag"]})
    assert response.status_code == 400 and response.json()["code"] == "invalid_tags"
