"""Replacing a sent push: `PUT /api/push-notification/{notification_id}`, and the answer fields a send gives.

The replacement takes the original's place on the devices that received it (same position, same id),
arrives silently, fully replaces the content, keeps tags and metadata unless sent (`[]`/`{}` clear them);
an unknown id is 404, and past `settings.push_replace_window_seconds` it is 409.
"""

from __future__ import annotations

from typing import Any

from activitysmith_mock.render import render_device
from tests.support.configs import FOREIGN_KEY, OTHER_KEY, SCOPED_KEY, single_device, team
from tests.support.service_api import ServiceApi


def send(service: ServiceApi, body: dict[str, Any], **kwargs: Any) -> Any:
    return service.api("POST", "/push-notification", json=body, **kwargs)


def replace(service: ServiceApi, notification_id: str, body: dict[str, Any], **kwargs: Any) -> Any:
    return service.api("PUT", f"/push-notification/{notification_id}", json=body, **kwargs)


def pushes(service: ServiceApi, device: int = 0) -> list[dict[str, Any]]:
    return service.devices()["devices"][device]["pushes"]


def test_a_send_answers_its_notification_id_and_device_counts(service: ServiceApi) -> None:
    service.reset(single_device(connected=False))
    body = send(service, {"title": "Build started"}).json()
    assert isinstance(body["notification_id"], str) and len(body["notification_id"]) == 32
    assert (body["devices_targeted"], body["devices_notified"]) == (1, 0)
    assert (body["devices_deactivated"], body["devices_unregistered"]) == (0, 0)
    service.reset()
    first, second = (send(service, {"title": "t"}).json()["notification_id"] for _ in range(2))
    assert first != second
    assert [p["notification_id"] for p in pushes(service)] == [first, second]


def test_a_replacement_takes_the_originals_place_silently(service: ServiceApi) -> None:
    before = send(service, {"title": "Before"}).json()["notification_id"]
    original = send(
        service,
        {
            "title": "Build started",
            "message": "main @ 1a2b3c",
            "subtitle": "CI",
            "redirection": "https://ci.example.com/run/1",
            "interruption_level": "time-sensitive",
            "actions": [{"title": "Open", "type": "open_url", "url": "https://ci.example.com/run/1"}],
        },
    ).json()["notification_id"]
    after = send(service, {"title": "After"}).json()["notification_id"]
    received_at = pushes(service)[1]["received_at"]

    response = replace(service, original, {"title": "Build passed", "media": "https://ci.example.com/b.png"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is True and answer["notification_id"] == original
    assert (answer["devices_notified"], answer["users_notified"]) == (1, 1)
    assert answer["effective_channel_slugs"] is None and answer["timestamp"].endswith("Z")

    listed = pushes(service)
    assert [p["notification_id"] for p in listed] == [before, original, after]  # in place, not appended
    replaced = listed[1]
    assert replaced["title"] == "Build passed"
    assert replaced["media"] == "https://ci.example.com/b.png"
    # every content field is replaced: what the replacement omits is gone, not kept from the original
    assert (replaced["message"], replaced["subtitle"], replaced["redirection"], replaced["actions"]) == (
        None,
        None,
        None,
        [],
    )
    assert (replaced["replaced"], replaced["silent"], replaced["replacements"]) == (True, True, 1)
    assert replaced["received_at"] == received_at and replaced["replaced_at"].endswith("Z")
    assert (listed[0]["replaced"], listed[0]["replaced_at"], listed[0]["silent"]) == (False, None, False)


def test_a_notification_can_be_replaced_again(service: ServiceApi) -> None:
    notification_id = send(service, {"title": "Deploying"}).json()["notification_id"]
    for title in ("Deploy 50%", "Deployed"):
        assert (
            replace(service, notification_id, {"title": title}).json()["notification_id"] == notification_id
        )
    (shown,) = pushes(service)
    assert (shown["title"], shown["replacements"]) == ("Deployed", 2)


def test_tags_and_metadata_are_kept_unless_sent(service: ServiceApi) -> None:
    notification_id = send(
        service, {"title": "t", "tags": ["build", "env:prod"], "metadata": {"sha": "1a2b"}}
    ).json()["notification_id"]
    kept = replace(service, notification_id, {"title": "t2"}).json()
    assert kept["tags"] == ["build", "env:prod"]
    assert pushes(service)[0]["tags"] == ["build", "env:prod"]
    changed = replace(service, notification_id, {"title": "t3", "tags": ["done"], "metadata": {}}).json()
    assert changed["tags"] == ["done"]
    cleared = replace(service, notification_id, {"title": "t4", "tags": []}).json()
    assert cleared["tags"] == [] and pushes(service)[0]["tags"] == []


def test_the_replacement_reaches_the_same_devices_only(service: ServiceApi) -> None:
    service.reset(team())
    notification_id = send(service, {"title": "ops only", "target": {"channels": ["ops"]}}).json()[
        "notification_id"
    ]
    answer = replace(service, notification_id, {"title": "ops only, updated"}).json()
    assert answer["effective_channel_slugs"] == ["ops"]
    titles = {d["id"]: [p["title"] for p in d["pushes"]] for d in service.devices()["devices"]}
    assert titles == {
        "iphone-a": ["ops only, updated"],
        "ipad-a": ["ops only, updated"],
        "iphone-b": [],
        "eve-phone": [],
    }


def test_a_replacement_may_set_the_badge(service: ServiceApi) -> None:
    notification_id = send(service, {"title": "3 failing", "badge": 3}).json()["notification_id"]
    replace(service, notification_id, {"title": "all green", "badge": 0})
    assert service.devices()["devices"][0]["badge"] == 0


def test_an_unknown_notification_is_404(service: ServiceApi) -> None:
    response = replace(service, "nope", {"title": "t"})
    assert response.status_code == 404
    assert response.json() == {
        "error": "Push Notification not found",
        "message": "notification_id: no Push Notification nope in this account",
    }


def test_another_accounts_notification_is_404_and_another_key_of_the_account_may_replace(
    service: ServiceApi,
) -> None:
    service.reset(team())
    notification_id = send(service, {"title": "t"}).json()["notification_id"]
    response = replace(service, notification_id, {"title": "t"}, key=FOREIGN_KEY)
    assert response.status_code == 404
    assert response.json()["error"] == "Push Notification not found"
    assert replace(service, notification_id, {"title": "t2"}, key=OTHER_KEY).status_code == 200


def test_past_the_replace_window_it_is_409(service: ServiceApi) -> None:
    service.reset(single_device(settings={"push_replace_window_seconds": 60}))
    notification_id = send(service, {"title": "t"}).json()["notification_id"]
    assert replace(service, notification_id, {"title": "in time"}).status_code == 200
    service.advance_clock(61)
    response = replace(service, notification_id, {"title": "too late"})
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "Push Notification can no longer be replaced"
    assert body["message"].startswith(f"notification_id: {notification_id} was sent more than 60 seconds ago")


def test_by_default_a_push_can_be_replaced_days_later(service: ServiceApi) -> None:
    notification_id = send(service, {"title": "t"}).json()["notification_id"]
    service.advance_clock(7 * 24 * 3600)
    assert replace(service, notification_id, {"title": "a week later"}).status_code == 200


def test_a_push_that_reached_no_device_has_nothing_to_replace(service: ServiceApi) -> None:
    service.reset(single_device(connected=False))
    notification_id = send(service, {"title": "t"}).json()["notification_id"]
    response = replace(service, notification_id, {"title": "t2"})
    assert response.status_code == 422
    assert response.json()["error"] == "No recipients found"


def test_the_replacement_is_validated_like_a_push(service: ServiceApi) -> None:
    notification_id = send(service, {"title": "t"}).json()["notification_id"]
    cases = [
        ({"message": "no title"}, "title: Field required"),
        ({"title": "t", "target": {"channels": ["ops"]}}, "target: unknown field (not allowed)"),
        ({"title": "t", "sound": "default"}, "sound: unknown field (not allowed)"),
        ({"title": "t", "interruption_level": "passive"}, "interruption_level: unknown field (not allowed)"),
        ({"title": "t", "icon": "http://example.com/i.png"}, "icon: must be an https:// URL"),
        (
            {
                "title": "t",
                "media": "https://example.com/m.png",
                "actions": [{"title": "a", "type": "open_url", "url": "https://x.io"}],
            },
            "media: media cannot be combined with actions",
        ),
    ]
    for body, message in cases:
        response = replace(service, notification_id, body)
        assert response.status_code == 400, body
        assert response.json()["message"] == message
    response = replace(service, notification_id, {"title": "t", "tags": ["has space"]})
    assert response.json()["code"] == "invalid_tags"
    assert pushes(service)[0]["title"] == "t" and pushes(service)[0]["replaced"] is False


def test_a_scoped_key_replaces_only_within_its_channels(service: ServiceApi) -> None:
    service.reset(team())
    everyone = send(service, {"title": "all"}).json()["notification_id"]
    ops = send(service, {"title": "ops", "target": {"channels": ["ops"]}}).json()["notification_id"]
    assert replace(service, ops, {"title": "ops 2"}, key=SCOPED_KEY).status_code == 200
    response = replace(service, everyone, {"title": "all 2"}, key=SCOPED_KEY)
    assert response.status_code == 403
    assert response.json()["error"] == "Invalid channel targeting"


def test_ending_twice_and_deleting_an_ended_stream_say_ignored(service: ServiceApi) -> None:
    state = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 2, "current_step": 1}
    activity_id = service.api("POST", "/live-activity/start", json={"content_state": state}).json()[
        "activity_id"
    ]
    end = {"activity_id": activity_id, "content_state": {"title": "Deploy", "current_step": 2}}
    first = service.api("POST", "/live-activity/end", json=end).json()
    assert "ignored" not in first
    again = service.api("POST", "/live-activity/end", json=end).json()
    assert again["ignored"] is True and again["activity_id"] == activity_id

    put = {"content_state": {"title": "Health", "type": "alert", "message": "ok"}}
    assert service.api("PUT", "/live-activity/stream/s1", json=put).json()["operation"] == "started"
    deleted = service.api("DELETE", "/live-activity/stream/s1").json()
    assert "ignored" not in deleted and deleted["activity_id"]
    repeated = service.api("DELETE", "/live-activity/stream/s1").json()
    assert repeated["ignored"] is True and repeated["activity_id"] is None


def test_the_text_view_marks_a_replaced_push(service: ServiceApi) -> None:
    notification_id = send(service, {"title": "Build started"}).json()["notification_id"]
    replace(service, notification_id, {"title": "Build passed", "message": "all green"})
    (device,) = service.devices()["devices"]
    text = render_device(device)
    assert "Build passed — all green  (replaced at " in text
    assert "Build started" not in text
