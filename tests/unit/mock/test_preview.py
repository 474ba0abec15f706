"""The preview page's server side in-process: the page and its assets, the state document, the timeline.

What the page draws from these is tested in a real browser (tests/browser); the event stream over a real
socket in tests/integration/service/test_preview_events.py.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from activitysmith_mock.config import build_config
from activitysmith_mock.domain import views
from activitysmith_mock.preview.recorder import PreviewRecorder
from activitysmith_mock.preview.timeline import Timeline
from activitysmith_mock.state import ServiceState
from tests.support.configs import single_device
from tests.support.in_process import InProcessService
from tests.support.service_api import TEST_API_KEY, ServiceApi

STATIC = Path(__file__).resolve().parents[3] / "activitysmith_mock" / "preview" / "static"
DEPLOY = {
    "title": "Deploying web",
    "subtitle": "Building",
    "type": "segmented_progress",
    "number_of_steps": 3,
    "current_step": 1,
}


def start_deploy(service: ServiceApi) -> str:
    answer = service.api("POST", "/live-activity/start", json={"content_state": DEPLOY})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["activity_id"])


def timeline_of(service: ServiceApi, activity_id: str) -> dict[str, Any]:
    (history,) = [h for h in service.preview_state()["timelines"] if h["activity_id"] == activity_id]
    return history


def test_the_page_and_its_assets_are_served_with_a_same_origin_only_policy(service: ServiceApi) -> None:
    page = service.send("GET", f"{service.root}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(assets) == [
        "/_preview/static/favicon.svg",
        "/_preview/static/preview.css",
        "/_preview/static/preview.js",
    ]
    for asset in assets:
        answer = service.send("GET", f"{service.root}{asset}")
        assert answer.status_code == 200, asset
        assert answer.headers["content-security-policy"] == policy


def test_the_page_refers_to_nothing_on_the_network() -> None:
    """Offline by construction: no asset names another origin (the browser test also watches requests)."""
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f"{path.name} names a URL"
        assert "@import" not in text and "url(" not in text, path.name
    script = (STATIC / "preview.js").read_text()
    markup_sinks = re.findall(r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", script)
    assert not markup_sinks, "strings must enter the page as text only"


def test_each_state_of_an_activity_is_kept_with_the_request_that_caused_it(service: ServiceApi) -> None:
    activity_id = start_deploy(service)
    update = {"activity_id": activity_id, "content_state": {"title": "Deploying web", "current_step": 2}}
    service.api("POST", "/live-activity/update", json=update)
    service.api("POST", "/live-activity/update", json=update)  # changes nothing: no new state
    refused = {"activity_id": activity_id, "content_state": {"current_step": 3}}  # no title: a 400
    assert service.api("POST", "/live-activity/update", json=refused).status_code == 400
    end = {"activity_id": activity_id, "content_state": {"title": "Deployed", "current_step": 3}}
    service.api("POST", "/live-activity/end", json=end)

    history = timeline_of(service, activity_id)
    assert history["devices"] == ["iphone"]
    states = history["states"]
    assert [s["index"] for s in states] == [0, 1, 2]
    assert [s["view"]["content_state"]["current_step"] for s in states] == [1, 2, 3]
    assert [s["view"]["status"] for s in states] == ["active", "active", "ended"]
    causes = [(s["cause"]["method"], s["cause"]["path"], s["cause"]["status"]) for s in states]
    assert causes == [
        ("POST", "/api/live-activity/start", 200),
        ("POST", "/api/live-activity/update", 200),
        ("POST", "/api/live-activity/end", 200),
    ]
    assert states[1]["cause"]["body"] == update
    assert states[0]["cause"]["at"] <= states[1]["cause"]["at"] <= states[2]["cause"]["at"]


def test_a_stream_rotation_and_a_dismissal_keep_every_timeline(service: ServiceApi) -> None:
    body = {"content_state": {"title": "CPU", "type": "value", "value": 1}}
    first = service.api("PUT", "/live-activity/stream/cpu", json=body).json()["activity_id"]
    service.advance_clock(9 * 3600)  # past the iOS limit: the next PUT ends this one and starts another
    body["content_state"]["value"] = 2
    second = service.api("PUT", "/live-activity/stream/cpu", json=body).json()["activity_id"]
    assert second != first
    # The rotated-out activity leaves the phone at once: its timeline ends with what the phone last showed.
    assert [s["view"]["content_state"]["value"] for s in timeline_of(service, first)["states"]] == [1]
    assert [a["activity_id"] for a in service.devices()["devices"][0]["live_activities"]] == [second]
    service.api("DELETE", "/live-activity/stream/cpu", json={"content_state": {"title": "CPU", "value": 3}})
    service.advance_clock(3600)  # both dismissed: gone from the device, still scrubbable
    document = service.preview_state()
    assert document["devices"][0]["live_activities"] == []
    assert [s["view"]["content_state"]["value"] for s in timeline_of(service, second)["states"]] == [2, 3]


def test_a_running_timer_is_one_state_however_long_it_runs(service: ServiceApi) -> None:
    body = {"content_state": {"title": "Canary", "type": "timer", "duration_seconds": 600}}
    activity_id = service.api("PUT", "/live-activity/stream/canary", json=body).json()["activity_id"]
    service.advance_clock(30)
    service.api("POST", "/push-notification", json={"title": "meanwhile"})
    assert len(timeline_of(service, activity_id)["states"]) == 1


def test_the_document_holds_devices_taps_and_recent_requests(service: ServiceApi) -> None:
    actions = [{"title": "Open", "type": "open_url", "url": "https://example.com/run"}]
    service.api("POST", "/push-notification", json={"title": "Build passed", "actions": actions})
    service.api("POST", "/badge", json={"badge": 2})
    service.operator("POST", "tap", {"device": "iphone", "push": 0, "action": 0})
    service.api("POST", "/push-notification", json={"message": "no title"})  # refused, listed all the same
    document = service.preview_state()
    assert document["accounts"] == [{"name": "local", "channels": ["ops", "deploys"]}]
    (device,) = document["devices"]
    assert device["id"] == "iphone" and device["badge"] == 2
    assert [push["title"] for push in device["pushes"]] == ["Build passed"]
    assert [(t["kind"], t["url"], t["opened"]) for t in document["taps"]] == [
        ("open_url", "https://example.com/run", True)
    ]
    assert [(r["method"], r["path"], r["status"]) for r in document["requests"]] == [
        ("POST", "/api/push-notification", 200),
        ("POST", "/api/badge", 200),
        ("POST", "/api/push-notification", 400),
    ]
    assert all("headers" not in r and "body" not in r for r in document["requests"])


def test_every_request_and_change_moves_the_version_reads_do_not(service: ServiceApi) -> None:
    version = service.preview_state()["version"]
    service.api("POST", "/push-notification", json={"title": "one"})
    service.api("GET", "/health")
    service.devices()
    service.requests()
    after_api = service.preview_state()["version"]
    assert after_api == version + 2  # the push and the health check, not the operator reads
    service.advance_clock(1)
    assert service.preview_state()["version"] == after_api + 1


def test_a_reset_starts_a_fresh_timeline(service: ServiceApi) -> None:
    start_deploy(service)
    assert service.preview_state()["timelines"]
    service.reset()
    document = service.preview_state()
    assert document["timelines"] == [] and document["requests"] == []
    activity_id = start_deploy(service)
    assert [h["activity_id"] for h in service.preview_state()["timelines"]] == [activity_id]


def test_a_broken_recorder_never_costs_an_api_answer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: PreviewRecorder, entry: dict[str, Any]) -> None:
        raise RuntimeError("recorder bug")

    monkeypatch.setattr(PreviewRecorder, "after_api_request", broken)
    with caplog.at_level(logging.ERROR, "activitysmith_mock"), InProcessService() as service:
        answer = service.api("POST", "/push-notification", json={"title": "still delivered"})
        assert answer.status_code == 200
        assert service.devices()["devices"][0]["pushes"][0]["title"] == "still delivered"
    assert "the preview could not record POST /api/push-notification" in caplog.text


# --- the timeline on its own ----------------------------------------------------------------------------
def view(step: int, elapsed: float = 0) -> dict[str, Any]:
    return {"activity_id": "a", "content_state": {"current_step": step}, "timer_elapsed_seconds": elapsed}


def cause(n: int) -> dict[str, Any]:
    return {"method": "PUT", "path": f"/api/{n}", "body": {"n": n}, "status": 200, "received_at": str(n)}


def test_a_long_timeline_keeps_its_first_state_and_the_newest() -> None:
    timeline = Timeline(max_states=4)
    for step in range(10):
        timeline.record({"a": (view(step), ["iphone"])}, cause(step))
    (history,) = timeline.histories()
    assert [s["view"]["content_state"]["current_step"] for s in history["states"]] == [0, 7, 8, 9]
    assert [s["index"] for s in history["states"]] == [0, 7, 8, 9]
    assert history["dropped_states"] == 6


def test_only_the_newest_activities_are_kept() -> None:
    timeline = Timeline(max_activities=2)
    for name in ("a", "b", "c"):
        timeline.record({name: ({**view(1), "activity_id": name}, ["iphone"])}, cause(1))
    assert [h["activity_id"] for h in timeline.histories()] == ["b", "c"]


def test_timer_ticks_are_not_states_and_copies_are_handed_out() -> None:
    timeline = Timeline()
    shown = view(1, elapsed=1.0)
    assert timeline.record({"a": (shown, ["iphone"])}, cause(1)) is True
    assert timeline.record({"a": (view(1, elapsed=5.0), ["iphone"])}, cause(2)) is False
    shown["content_state"]["current_step"] = 99  # the caller's dict changes later: the kept state does not
    history = timeline.histories()[0]
    history["states"][0]["cause"]["body"]["n"] = 42
    again = timeline.histories()[0]["states"][0]
    assert again["view"]["content_state"]["current_step"] == 1 and again["cause"]["body"] == {"n": 1}


def test_a_request_snapshots_the_activities_only(
    service: ServiceApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After each request the recorder reads activity views, never every device's pushes: a long run of pushes
    would otherwise make each request slower than the last."""
    calls: list[str] = []
    monkeypatch.setattr(ServiceState, "device_views", lambda self: calls.append("device_views") or [])
    start_deploy(service)
    service.api("POST", "/push-notification", json={"title": "one"})
    assert calls == []


def test_a_request_builds_views_only_of_the_activities_it_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of open activities (a long test run) must not make every request build thousands of views."""
    built: list[str] = []
    original = views.activity_view
    with InProcessService(config=build_config(single_device(capacity=10), TEST_API_KEY)) as service:
        ids = [start_deploy(service) for _ in range(8)]
        monkeypatch.setattr(
            views,
            "activity_view",
            lambda world, activity: built.append(activity.id) or original(world, activity),
        )
        update = {"activity_id": ids[3], "content_state": {"title": "Deploying web", "current_step": 2}}
        service.api("POST", "/live-activity/update", json=update)
        assert built == [ids[3]]
        service.api("POST", "/push-notification", json={"title": "unrelated"})
        assert built == [ids[3]]
        assert len(timeline_of(service, ids[3])["states"]) == 2
        assert all(len(timeline_of(service, other)["states"]) == 1 for other in ids if other != ids[3])
