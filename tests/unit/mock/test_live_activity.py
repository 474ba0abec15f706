"""POST /api/live-activity/start|update|end: lifecycle, per-type rules, ownership, dismissal."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.configs import OTHER_KEY, single_device, team
from tests.support.service_api import ServiceApi

SEGMENTED = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 5, "current_step": 1}


def start(service: ServiceApi, content_state: dict[str, Any], **extra: Any) -> Any:
    return service.api("POST", "/live-activity/start", json={"content_state": content_state, **extra})


def update(service: ServiceApi, activity_id: str, content_state: dict[str, Any], **kwargs: Any) -> Any:
    return service.api(
        "POST",
        "/live-activity/update",
        json={"activity_id": activity_id, "content_state": content_state},
        **kwargs,
    )


def end(service: ServiceApi, activity_id: str, content_state: dict[str, Any], **kwargs: Any) -> Any:
    return service.api(
        "POST",
        "/live-activity/end",
        json={"activity_id": activity_id, "content_state": content_state},
        **kwargs,
    )


def activities(service: ServiceApi, device: str = "iphone") -> list[dict[str, Any]]:
    return next(d for d in service.devices()["devices"] if d["id"] == device)["live_activities"]


def test_start_update_end_lifecycle(service: ServiceApi) -> None:
    response = start(
        service,
        SEGMENTED,
        action={"title": "Open", "type": "open_url", "url": "https://ci.example.com"},
        tags=["deploy"],
        metadata={"run": 7},
    )
    assert response.status_code == 200
    body = response.json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", body["activity_id"])
    assert body["devices_notified"] == 1 and body["users_notified"] == 1
    assert body["effective_channel_slugs"] is None and body["tags"] == ["deploy"]
    activity_id = body["activity_id"]

    updated = update(service, activity_id, {"title": "Deploy", "current_step": 3})
    assert updated.status_code == 200
    assert updated.json()["activity_id"] == activity_id
    assert updated.json()["devices_notified"] == 1 and updated.json()["devices_queued"] == 0
    (shown,) = activities(service)
    assert shown["status"] == "active" and shown["content_state"]["current_step"] == 3
    assert shown["content_state"]["type"] == "segmented_progress"
    assert shown["action"]["title"] == "Open"

    ended = end(service, activity_id, {"title": "Deploy", "current_step": 5, "auto_dismiss_minutes": 1})
    assert ended.status_code == 200
    (shown,) = activities(service)
    assert shown["status"] == "ended" and shown["content_state"]["current_step"] == 5
    assert "auto_dismiss_minutes" not in shown["content_state"]
    service.advance_clock(59)
    assert len(activities(service)) == 1
    service.advance_clock(1)
    assert activities(service) == []


def test_end_dismisses_after_the_default_three_minutes(service: ServiceApi) -> None:
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    end(service, activity_id, {"title": "Deploy", "current_step": 5})
    (shown,) = activities(service)
    assert shown["dismiss_at"] is not None
    service.advance_clock(179)
    assert len(activities(service)) == 1
    service.advance_clock(1)
    assert activities(service) == []


def test_auto_dismiss_default_is_configurable(service: ServiceApi) -> None:
    service.reset({"settings": {"auto_dismiss_minutes": 2}})
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    end(service, activity_id, {"title": "Deploy", "current_step": 5})
    service.advance_clock(120)
    assert activities(service) == []


def test_end_with_zero_minutes_dismisses_at_once_and_twice_is_harmless(service: ServiceApi) -> None:
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    assert (
        end(
            service, activity_id, {"title": "Deploy", "current_step": 5, "auto_dismiss_minutes": 0}
        ).status_code
        == 200
    )
    assert activities(service) == []
    again = end(service, activity_id, {"title": "Deploy", "current_step": 5})
    assert again.status_code == 200 and again.json()["devices_notified"] == 0


def test_update_of_ended_activity_is_400(service: ServiceApi) -> None:
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    end(service, activity_id, {"title": "Deploy", "current_step": 5})
    response = update(service, activity_id, {"title": "Deploy", "current_step": 4})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Live Activity ended",
        "message": f"activity_id: the Live Activity {activity_id} has already ended",
        "code": "live_activity_ended",
    }


@pytest.mark.parametrize("path", ["/live-activity/update", "/live-activity/end"])
def test_unknown_activity_is_404(service: ServiceApi, path: str) -> None:
    response = service.api(
        "POST", path, json={"activity_id": "nope", "content_state": {"title": "x", "message": "m"}}
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": "Live Activity not found",
        "message": "activity_id: no Live Activity nope in this account",
    }


@pytest.mark.parametrize(
    ("path", "verb"), [("/live-activity/update", "update"), ("/live-activity/end", "end")]
)
def test_another_keys_activity_is_403(service: ServiceApi, path: str, verb: str) -> None:
    service.reset(team())
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    body = {"activity_id": activity_id, "content_state": {"title": "Deploy", "current_step": 2}}
    response = service.api("POST", path, key=OTHER_KEY, json=body)
    assert response.status_code == 403
    assert response.json() == {
        "error": "Forbidden",
        "message": f"This API key cannot {verb} this Live Activity",
    }


@pytest.mark.parametrize(
    "content_state",
    [
        {
            "title": "a",
            "type": "segmented_progress",
            "number_of_steps": 3,
            "current_step": 0,
            "step_color": "lime",
            "step_colors": ["green"],
            "color": "blue",
            "badge": {"title": "Live", "color": "green"},
        },
        {"title": "a", "type": "progress", "percentage": 42.5},
        {"title": "a", "type": "progress", "value": 3, "upper_limit": 10},
        {
            "title": "a",
            "type": "metrics",
            "metrics": [{"label": "CPU", "value": 27, "unit": "%", "color": "red"}],
        },
        {"title": "a", "type": "stats", "metrics": [{"label": "Rev", "value": "$1,240"}]},
        {
            "title": "a",
            "type": "alert",
            "message": "Disk full",
            "icon": {"symbol": "exclamationmark.triangle"},
        },
        {"title": "a", "type": "timer", "duration_seconds": 300},
        {"title": "a", "type": "timer", "counts_down": False},
        {"title": "a", "type": "value", "value": "$1,240", "color": "cyan"},
        {"title": "a", "type": "value", "value": 99.9},
    ],
)
def test_start_accepts_every_type(service: ServiceApi, content_state: dict[str, Any]) -> None:
    response = start(service, content_state)
    assert response.status_code == 200, response.text
    (shown,) = activities(service)
    assert shown["content_state"] == content_state


@pytest.mark.parametrize(
    ("content_state", "message"),
    [
        (
            {"title": "a", "type": "segmented_progress", "current_step": 1},
            "content_state.number_of_steps: required for type segmented_progress",
        ),
        (
            {"title": "a", "type": "segmented_progress", "number_of_steps": 3},
            "content_state.current_step: required for type segmented_progress",
        ),
        (
            {"title": "a", "type": "segmented_progress", "number_of_steps": 3, "current_step": 4},
            "content_state.current_step: must be at most number_of_steps (3)",
        ),
        (
            {"title": "a", "type": "progress"},
            "content_state.percentage: required for type progress (or value with upper_limit)",
        ),
        (
            {"title": "a", "type": "progress", "value": 3},
            "content_state.upper_limit: required together with value for type progress",
        ),
        (
            {"title": "a", "type": "progress", "value": "3", "upper_limit": 5},
            "content_state.value: must be a number for type progress",
        ),
        (
            {"title": "a", "type": "progress", "upper_limit": 5},
            "content_state.value: required together with upper_limit for type progress",
        ),
        (
            {"title": "a", "type": "progress", "percentage": 40, "upper_limit": 5},
            "content_state.value: required together with upper_limit for type progress",
        ),
        ({"title": "a", "type": "metrics"}, "content_state.metrics: required for type metrics"),
        ({"title": "a", "type": "alert"}, "content_state.message: required for type alert"),
        ({"title": "a", "type": "timer"}, "content_state.duration_seconds: required for type timer"),
        ({"title": "a", "type": "value"}, "content_state.value: required for type value"),
    ],
)
def test_start_per_type_rules(service: ServiceApi, content_state: dict[str, Any], message: str) -> None:
    response = start(service, content_state)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid content_state",
        "message": message,
        "code": "invalid_content_state",
    }


@pytest.mark.parametrize(
    ("content_state", "message"),
    [
        ({"title": "a"}, "content_state.type: Field required"),
        ({"type": "alert", "message": "m"}, "content_state.title: Field required"),
        (
            {"title": "a", "type": "gauge"},
            "content_state.type: Input should be 'segmented_progress', 'progress', 'metrics', 'stats', "
            "'alert', 'timer' or 'value'",
        ),
        (
            {"title": "a", "type": "value", "value": 1, "color": "pink"},
            "content_state.color: Input should be 'lime', 'green', 'cyan', 'blue', 'purple', 'magenta', "
            "'red', 'orange', 'yellow' or 'gray'",
        ),
        (
            {"title": "a", "type": "progress", "percentage": 101},
            "content_state.percentage: Input should be less than or equal to 100",
        ),
        (
            {"title": "a", "type": "segmented_progress", "number_of_steps": 0, "current_step": 0},
            "content_state.number_of_steps: Input should be greater than or equal to 1",
        ),
        (
            {"title": "a", "type": "timer", "duration_seconds": 0},
            "content_state.duration_seconds: Input should be greater than 0",
        ),
        (
            {"title": "a", "type": "metrics", "metrics": []},
            "content_state.metrics: List should have at least 1 item after validation, not 0",
        ),
        (
            {"title": "a", "type": "metrics", "metrics": [{"label": "x", "value": 1}] * 9},
            "content_state.metrics: List should have at most 8 items after validation, not 9",
        ),
        (
            {"title": "a", "type": "alert", "message": ""},
            "content_state.message: String should have at least 1 character",
        ),
        (
            {"title": "a", "type": "alert", "message": "m", "auto_dismiss_minutes": 1},
            "content_state.auto_dismiss_minutes: unknown field (not allowed)",
        ),
        ({"title": "a", "type": "value", "value": True}, None),
    ],
)
def test_start_schema_errors(service: ServiceApi, content_state: dict[str, Any], message: str | None) -> None:
    response = start(service, content_state)
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid request"
    if message is not None:
        assert response.json()["message"] == message
    else:
        assert response.json()["message"].startswith("content_state.value: wrong type or value")


def test_live_activity_open_url_rules(service: ServiceApi) -> None:
    ok = {"title": "Go", "type": "open_url", "url": "shortcuts://run-shortcut?name=Deploy"}
    assert start(service, {"title": "a", "type": "alert", "message": "m"}, action=ok).status_code == 200
    bad = {"title": "Go", "type": "open_url", "url": "myapp://x"}
    response = start(service, {"title": "a", "type": "alert", "message": "m"}, secondary_action=bad)
    assert response.status_code == 400
    assert (
        response.json()["message"] == "secondary_action.url: must be an http://, https:// or shortcuts:// URL"
    )
    hook = {"title": "Go", "type": "webhook", "url": "http://hooks.example.com/x"}
    response = start(service, {"title": "a", "type": "alert", "message": "m"}, action=hook)
    assert response.json()["message"] == "action.url: must be an https:// URL"


def test_update_rules_follow_the_activity_type(service: ServiceApi) -> None:
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    response = update(service, activity_id, {"title": "Deploy"})
    assert response.status_code == 400
    assert response.json()["message"] == "content_state.current_step: required for type segmented_progress"
    response = update(service, activity_id, {"title": "Deploy", "current_step": 6, "number_of_steps": 5})
    assert response.json()["message"] == "content_state.current_step: must be at most number_of_steps (5)"
    response = update(service, activity_id, {"title": "Deploy", "current_step": 6, "number_of_steps": 8})
    assert response.status_code == 200


def test_current_step_is_bounded_only_by_a_number_of_steps_sent_with_it(service: ServiceApi) -> None:
    """The API bounds current_step "when number_of_steps is provided": not by the stored one."""
    activity_id = start(service, SEGMENTED).json()["activity_id"]  # 5 steps
    response = update(service, activity_id, {"title": "Deploy", "current_step": 7})
    assert response.status_code == 200, response.text
    (device,) = service.devices()["devices"]
    shown = device["live_activities"][0]["content_state"]
    assert (shown["current_step"], shown["number_of_steps"]) == (7, 5)


def test_a_bounded_elapsed_timer_starts(service: ServiceApi) -> None:
    """counts_down false counts up; with duration_seconds it is bounded (the API forbids neither)."""
    state = {"title": "Soak test", "type": "timer", "counts_down": False, "duration_seconds": 900}
    response = start(service, state)
    assert response.status_code == 200, response.text


def test_update_tags_and_metadata_limits(service: ServiceApi) -> None:
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    body = {
        "activity_id": activity_id,
        "content_state": {"title": "Deploy", "current_step": 2},
        "tags": [f"t{i}" for i in range(21)],
    }
    response = service.api("POST", "/live-activity/update", json=body)
    assert response.status_code == 400 and response.json()["code"] == "invalid_tags"
    body = {"activity_id": activity_id, "content_state": {"title": "Deploy", "current_step": 2}, "target": {}}
    response = service.api("POST", "/live-activity/update", json=body)
    assert response.json()["message"] == "target: unknown field (not allowed)"


def refusing(config: dict[str, Any]) -> dict[str, Any]:
    """`config` with `capacity_policy: refuse`: a full device gets the 429 instead of losing its oldest."""
    return {**config, "settings": {**config.get("settings", {}), "capacity_policy": "refuse"}}


def test_start_over_device_capacity_ends_the_oldest_activity(service: ServiceApi) -> None:
    service.reset(single_device(capacity=2))
    first, second = (start(service, SEGMENTED).json()["activity_id"] for _ in range(2))
    response = start(service, SEGMENTED)
    assert response.status_code == 200
    body = response.json()
    assert body["ended_activity_id"] == first
    (device,) = service.devices()["devices"]
    assert [a["activity_id"] for a in device["live_activities"]] == [second, body["activity_id"]]
    ended = [a for a in service.devices()["devices"][0]["live_activities"] if a["activity_id"] == first]
    assert ended == [], "the ended activity is dismissed at once, making room"


def test_a_start_with_room_reports_no_ended_activity(service: ServiceApi) -> None:
    assert "ended_activity_id" not in start(service, SEGMENTED).json()


def test_start_over_device_capacity_is_429_when_refusing(service: ServiceApi) -> None:
    service.reset(refusing(single_device(capacity=2)))
    for _ in range(2):
        assert start(service, SEGMENTED).status_code == 200
    response = start(service, SEGMENTED)
    assert response.status_code == 429
    assert response.json() == {
        "error": "Live Activity limit reached",
        "message": "iOS supports up to 2 concurrent Live Activities per app on a device. "
        "End an active Live Activity before starting another.",
        "limit": 2,
        "active": 2,
    }
    assert "Retry-After" not in response.headers


def test_start_with_mixed_capacity_reports_blocked_devices(service: ServiceApi) -> None:
    service.reset(refusing(team()))
    for _ in range(2):  # ipad-a has capacity 2, iphone-a 5
        assert start(service, SEGMENTED, target={"channels": ["ops"]}).status_code == 200
    response = start(service, SEGMENTED, target={"channels": ["ops"]})
    assert response.status_code == 429
    body = response.json()
    assert (body["limit"], body["active"], body["blocked_devices"], body["targeted_devices"]) == (2, 2, 1, 2)


def test_ended_activities_free_capacity(service: ServiceApi) -> None:
    service.reset(refusing(single_device(capacity=1)))
    activity_id = start(service, SEGMENTED).json()["activity_id"]
    assert start(service, SEGMENTED).status_code == 429
    end(service, activity_id, {"title": "Deploy", "current_step": 5})
    assert start(service, SEGMENTED).status_code == 200


def test_disconnected_device_is_queued_not_notified(service: ServiceApi) -> None:
    service.reset(single_device(connected=False))
    body = start(service, SEGMENTED).json()
    assert body["devices_notified"] == 0
    response = update(service, body["activity_id"], {"title": "Deploy", "current_step": 2})
    assert response.json()["devices_queued"] == 1


def test_timer_window_resets_when_duration_is_sent(service: ServiceApi) -> None:
    activity_id = start(service, {"title": "T", "type": "timer", "duration_seconds": 600}).json()[
        "activity_id"
    ]
    service.advance_clock(100)
    (shown,) = activities(service)
    assert shown["timer_elapsed_seconds"] >= 100
    update(service, activity_id, {"title": "T", "duration_seconds": 60})
    (shown,) = activities(service)
    assert shown["timer_elapsed_seconds"] < 100


def test_timer_pause_freezes_and_resume_continues(service: ServiceApi) -> None:
    activity_id = start(service, {"title": "T", "type": "timer", "duration_seconds": 600}).json()[
        "activity_id"
    ]
    service.advance_clock(100)
    update(service, activity_id, {"title": "T", "is_running": False})
    frozen = activities(service)[0]["timer_elapsed_seconds"]
    service.advance_clock(500)
    assert activities(service)[0]["timer_elapsed_seconds"] == frozen
    update(service, activity_id, {"title": "T", "is_running": True})
    service.advance_clock(50)
    assert frozen + 50 <= activities(service)[0]["timer_elapsed_seconds"] < frozen + 60


@pytest.mark.parametrize(
    ("kind", "url", "message"),
    [
        ("open_url", "https://[::1", "action.url: is not a valid URL"),
        ("webhook", "https://[::1", "action.url: is not a valid URL"),
        ("open_url", "HTTPS://example.com/x", "action.url: must be an http://, https:// or shortcuts:// URL"),
        ("open_url", " https://example.com", "action.url: must be an http://, https:// or shortcuts:// URL"),
        ("open_url", "shortcuts://open", "action.url: must be an http://, https:// or shortcuts:// URL"),
        ("webhook", "HTTPS://hooks.example.com/x", "action.url: must be an https:// URL"),
        ("webhook", " https://hooks.example.com/x", "action.url: must be an https:// URL"),
    ],
)
def test_button_urls_follow_the_reference_patterns(
    service: ServiceApi, kind: str, url: str, message: str
) -> None:
    """A malformed URL is a 400, not a 500; schemes match `^https://` and `shortcuts://run-shortcut?`."""
    button = {"title": "Go", "type": kind, "url": url}
    response = start(service, {"title": "a", "type": "alert", "message": "m"}, action=button)
    assert response.status_code == 400
    assert response.json()["message"] == message
