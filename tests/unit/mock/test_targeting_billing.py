"""Key scopes, channel targeting and billing blocks (402), in-process."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.configs import FOREIGN_KEY, SCOPED_KEY, team
from tests.support.service_api import ServiceApi

SCOPE_MESSAGE = (
    "This API key can only target assigned channels. "
    "Requested channels include channels outside this key scope."
)
ALERT = {"title": "a", "type": "alert", "message": "m"}


def pushes_by_device(service: ServiceApi) -> dict[str, int]:
    return {d["id"]: len(d["pushes"]) for d in service.devices()["devices"]}


@pytest.fixture
def acme(service: ServiceApi) -> ServiceApi:
    service.reset(team())
    return service


def test_all_recipients_key_without_target_reaches_the_whole_account(acme: ServiceApi) -> None:
    body = acme.api("POST", "/push-notification", json={"title": "x"}).json()
    assert (body["devices_notified"], body["users_notified"], body["effective_channel_slugs"]) == (3, 2, None)
    assert pushes_by_device(acme) == {"iphone-a": 1, "ipad-a": 1, "iphone-b": 1, "eve-phone": 0}


def test_all_recipients_key_with_target_reaches_those_channels(acme: ServiceApi) -> None:
    body = acme.api(
        "POST", "/push-notification", json={"title": "x", "target": {"channels": ["deploys"]}}
    ).json()
    assert (body["devices_notified"], body["users_notified"], body["effective_channel_slugs"]) == (
        1,
        1,
        ["deploys"],
    )
    assert pushes_by_device(acme)["iphone-b"] == 1 and pushes_by_device(acme)["iphone-a"] == 0


def test_scoped_key_without_target_uses_its_channels(acme: ServiceApi) -> None:
    body = acme.api("POST", "/push-notification", key=SCOPED_KEY, json={"title": "x"}).json()
    assert (body["devices_notified"], body["effective_channel_slugs"]) == (2, ["ops"])


def test_scoped_key_outside_its_scope_is_403(acme: ServiceApi) -> None:
    for path, body in (
        ("/push-notification", {"title": "x", "target": {"channels": ["ops", "deploys"]}}),
        ("/live-activity/start", {"content_state": ALERT, "target": {"channels": ["deploys"]}}),
        ("/badge", {"badge": 1, "target": {"channels": ["deploys"]}}),
    ):
        response = acme.api("POST", path, key=SCOPED_KEY, json=body)
        assert response.status_code == 403, path
        assert response.json() == {"error": "Invalid channel targeting", "message": SCOPE_MESSAGE}
    response = acme.api(
        "PUT",
        "/live-activity/stream/s",
        key=SCOPED_KEY,
        json={"content_state": ALERT, "channels": ["deploys"]},
    )
    assert response.status_code == 403
    assert pushes_by_device(acme) == {"iphone-a": 0, "ipad-a": 0, "iphone-b": 0, "eve-phone": 0}


def test_scoped_key_inside_its_scope_is_fine(acme: ServiceApi) -> None:
    response = acme.api(
        "POST", "/push-notification", key=SCOPED_KEY, json={"title": "x", "target": {"channels": ["ops"]}}
    )
    assert response.status_code == 200 and response.json()["effective_channel_slugs"] == ["ops"]


@pytest.mark.parametrize(
    "target", [{"channels": "ops"}, {"channels": []}, {"channels": [1]}, {"slugs": ["ops"]}, "ops"]
)
def test_malformed_target_is_400_with_the_documented_message(acme: ServiceApi, target: Any) -> None:
    response = acme.api("POST", "/push-notification", json={"title": "x", "target": target})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid channel targeting",
        "message": "target.channels must be an array of channel slugs",
        "code": "invalid_target",
    }


def test_no_matching_devices_is_422(acme: ServiceApi) -> None:
    response = acme.api(
        "POST", "/push-notification", json={"title": "x", "target": {"channels": ["marketing"]}}
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "No recipients found",
        "message": "No devices matched the effective channel target",
        "effective_channel_slugs": ["marketing"],
    }


def test_no_recipients_status_404_is_configurable(service: ServiceApi) -> None:
    service.reset(team(settings={"no_recipients_status": 404}))
    response = service.api(
        "POST", "/push-notification", json={"title": "x", "target": {"channels": ["marketing"]}}
    )
    assert response.status_code == 404 and response.json()["error"] == "No recipients found"


def test_accounts_are_isolated(acme: ServiceApi) -> None:
    activity_id = acme.api("POST", "/live-activity/start", json={"content_state": ALERT}).json()[
        "activity_id"
    ]
    response = acme.api(
        "POST",
        "/live-activity/update",
        key=FOREIGN_KEY,
        json={"activity_id": activity_id, "content_state": {"title": "a", "message": "n"}},
    )
    assert response.status_code == 404
    body = acme.api("POST", "/push-notification", key=FOREIGN_KEY, json={"title": "x"}).json()
    assert body["devices_notified"] == 1 and pushes_by_device(acme)["eve-phone"] == 1


def test_push_to_only_disconnected_devices_is_not_a_success(service: ServiceApi) -> None:
    config = team()
    config["accounts"][0]["members"][1]["devices"][0]["connected"] = False
    service.reset(config)
    body = service.api(
        "POST", "/push-notification", json={"title": "x", "target": {"channels": ["deploys"]}}
    ).json()
    assert body["success"] is False and body["devices_notified"] == 0


BILLING_CASES = [
    ("POST", "/push-notification", {"title": "x"}),
    ("POST", "/live-activity/start", {"content_state": ALERT}),
    ("PUT", "/live-activity/stream/s", {"content_state": ALERT}),
    ("POST", "/badge", {"badge": 2}),
]


@pytest.mark.parametrize("state", ["trial_expired", "trial_exhausted", "billing_overage_cap_reached"])
@pytest.mark.parametrize(("method", "path", "body"), BILLING_CASES)
def test_blocked_billing_is_402(service: ServiceApi, state: str, method: str, path: str, body: Any) -> None:
    trial = {"started_at": "2026-09-01T00:00:00.000Z", "ends_at": "2026-09-08T00:00:00.000Z"}
    service.reset(team(billing=state, trial_period=trial))
    response = service.api(method, path, json=body)
    assert response.status_code == 402
    answer = response.json()
    assert answer["error"] == state
    assert answer["upgrade_url"] == "https://activitysmith.com/app/account?billing=upgrade"
    assert answer["trial_period"] == trial
    assert "resume using ActivitySmith." in answer["message"]
    assert all(not d["pushes"] and not d["live_activities"] for d in service.devices()["devices"])


def test_trial_expired_message_is_verbatim(service: ServiceApi) -> None:
    service.reset(team(billing="trial_expired"))
    answer = service.api("POST", "/push-notification", json={"title": "x"}).json()
    assert answer == {
        "error": "trial_expired",
        "message": "Your free trial has ended. Start a subscription or lifetime membership to resume using "
        "ActivitySmith.",
        "upgrade_url": "https://activitysmith.com/app/account?billing=upgrade",
    }


def test_billing_does_not_block_metrics_or_ending(service: ServiceApi) -> None:
    service.reset(team())
    activity_id = service.api("POST", "/live-activity/start", json={"content_state": ALERT}).json()[
        "activity_id"
    ]
    service.reset(team(billing="trial_expired"))
    assert service.api("POST", "/metrics/deploy.success_rate/value", json={"value": 1}).status_code == 200
    response = service.api(
        "POST", "/live-activity/end", json={"activity_id": activity_id, "content_state": ALERT}
    )
    assert response.status_code == 404  # the reset cleared the activity: ending is not billing-blocked
