"""The preview page in real Chromium, against a real service process driven over the API.

What each phone shows (every Live Activity type in its colours, pushes newest first), the pickers, live
updates, the timeline, taps (a webhook delivered, a URL opened), hostile strings staying text, and no
request leaving the service's origin. The run through act is in test_preview_through_act.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.configs import single_device, team
from tests.support.service import LocalService
from tests.support.webhook_receiver import Receiver

from .preview_page import PreviewPage

HOSTILE = '<img src=x onerror="window.__pwned=1">'

EVERY_TYPE: list[dict[str, Any]] = [
    {
        "title": "Deploying web",
        "subtitle": "Migrating",
        "type": "segmented_progress",
        "number_of_steps": 4,
        "current_step": 2,
        "color": "blue",
        "step_color": "green",
    },
    {"title": "Upload", "type": "progress", "percentage": 64, "color": "orange"},
    {
        "title": "prod-web-1",
        "type": "metrics",
        "metrics": [
            {"label": "CPU", "value": 42, "unit": "%", "color": "red"},
            {"label": "Memory", "value": 71, "unit": "%"},
        ],
        "color": "cyan",
    },
    {
        "title": "Today",
        "type": "stats",
        "metrics": [{"label": "Deploys", "value": 12}, {"label": "MTTR", "value": "4m"}],
    },
    {
        "title": "Incident",
        "type": "alert",
        "message": "p95 latency above 2 s",
        "icon": {"symbol": "exclamationmark.triangle.fill", "color": "red"},
        "badge": {"title": "SEV2", "color": "orange"},
    },
    {"title": "Canary window", "type": "timer", "duration_seconds": 600, "color": "yellow"},
    {
        "title": "Revenue",
        "type": "value",
        "value": "$1,240",
        "color": "magenta",
        "icon": {"symbol": "server.rack", "color": "cyan"},
    },
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def start(service: LocalService, state: dict[str, Any], **extra: Any) -> str:
    answer = service.api("POST", "/live-activity/start", json={"content_state": state, **extra})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["activity_id"])


def push(service: LocalService, **body: Any) -> None:
    answer = service.api("POST", "/push-notification", json=body)
    assert answer.status_code == 200, answer.text


def test_every_live_activity_type_is_drawn_in_its_colours(
    service: LocalService, preview: PreviewPage, screenshots: Path
) -> None:
    service.reset(single_device(capacity=len(EVERY_TYPE)))
    for state in EVERY_TYPE:
        start(service, state)
    preview.open()
    page = preview.page

    segmented = preview.card("Deploying web")
    assert preview.card_summary(segmented) | {"cause": None} == {
        "type": "segmented_progress",
        "status": "active",
        "live": True,
        "position": 1,
        "title": "Deploying web",
        "subtitle": "Migrating",
        "label": "2/4",
        "cause": None,
        "buttons": [],
    }
    assert segmented.locator(".segment").count() == 4
    assert segmented.locator(".segment.filled.c-green").count() == 2  # step_color wins over color
    assert segmented.get_by_role("progressbar").get_attribute("aria-valuenow") == "2"

    upload = preview.card("Upload")
    assert upload.get_by_role("progressbar").get_attribute("aria-valuenow") == "64"
    assert upload.locator(".progress-label").inner_text() == "64%"
    assert upload.locator(".fill.c-orange").count() == 1

    metrics = preview.card("prod-web-1").locator("ul.metrics li")
    assert metrics.all_inner_texts()[0].split("\n")[:2] == ["42%", "CPU"]
    assert metrics.nth(0).get_attribute("class") == "metric c-red"
    assert metrics.nth(1).get_attribute("class") == "metric c-cyan"  # a metric without colour: the accent

    stats = preview.card("Today").locator("ul.stats li")
    assert [text.split("\n") for text in stats.all_inner_texts()] == [["12", "Deploys"], ["4m", "MTTR"]]

    incident = preview.card("Incident")
    assert incident.locator(".alert-message").inner_text() == "p95 latency above 2 s"
    icon = incident.locator(".activity-head .icon")
    assert (icon.inner_text(), icon.get_attribute("data-symbol")) == ("⚠", "exclamationmark.triangle.fill")
    assert "c-red" in (icon.get_attribute("class") or "")
    assert incident.locator(".badge.c-orange").inner_text() == "SEV2"

    timer = preview.card("Canary window").locator(".timer")
    assert re.fullmatch(r"(09:[0-5]\d|10:00)", timer.locator(".timer-value").inner_text())
    assert timer.locator(".timer-caption").inner_text() == "left"

    revenue = preview.card("Revenue")
    assert revenue.locator(".value-readout.c-magenta").inner_text() == "$1,240"
    named = revenue.locator(".activity-head .icon")  # no stand-in glyph: the symbol's name is shown
    assert (named.inner_text(), "named" in (named.get_attribute("class") or "")) == ("server.rack", True)

    assert page.locator("img").count() == 0
    assert preview.offsite == []
    preview.screenshot(preview.phone("phone"), screenshots / "preview-every-type.png")


def test_pushes_show_newest_first_with_their_parts_and_load_nothing(
    service: LocalService, preview: PreviewPage
) -> None:
    push(service, title="Nightly report", message="p95 420 ms", media="https://cdn.example.com/chart.png")
    push(
        service,
        title="Build passed",
        subtitle="acme/web",
        message="main in 3m 12s",
        icon="https://cdn.example.com/icon.png",
        redirection="https://ci.example.com/run/1",
        interruption_level="time-sensitive",
        actions=[
            {"title": "Open run", "type": "open_url", "url": "https://ci.example.com/run/1"},
            {"title": "Deploy", "type": "webhook", "url": "https://hooks.example.com/deploy"},
        ],
    )
    service.api("POST", "/badge", json={"badge": 3})
    preview.open()
    assert preview.phone("iphone").locator(".older").count() == 0
    assert preview.pushes("iphone") == [
        {
            "index": 1,
            "title": "Build passed",
            "subtitle": "acme/web",
            "message": "main in 3m 12s",
            "media": None,
            "buttons": [["Open run", "open_url"], ["Deploy", "webhook"]],
            "replaced": False,
        },
        {
            "index": 0,
            "title": "Nightly report",
            "subtitle": None,
            "message": "p95 420 ms",
            "media": "https://cdn.example.com/chart.png",
            "buttons": [],
            "replaced": False,
        },
    ]
    assert preview.phone("iphone").locator(".app-badge").inner_text() == "3"
    assert preview.page.locator("img").count() == 0
    assert preview.offsite == []  # neither the media nor the icon was fetched

    for n in range(50):
        push(service, title=f"bulk {n}")
    preview.settle()
    shown = preview.pushes("iphone")
    assert (len(shown), shown[0]["title"], shown[-1]["title"]) == (50, "bulk 49", "bulk 0")
    assert preview.phone("iphone").locator(".older").inner_text() == "and 2 earlier notifications"


def test_channel_and_device_pickers_choose_the_phones(service: LocalService, preview: PreviewPage) -> None:
    config = team()
    config["accounts"][0]["members"][1]["devices"][0]["connected"] = False  # bob's iphone-b
    service.reset(config)
    preview.open()
    page = preview.page
    assert preview.phones() == ["iphone-a", "ipad-a", "iphone-b", "eve-phone"]
    assert page.locator("section.phone.disconnected").evaluate_all("ns => ns.map(n => n.dataset.device)") == [
        "iphone-b"
    ]
    assert preview.phone("iphone-b").locator(".device-meta").inner_text() == (
        "bob · acme · #deploys · disconnected"
    )
    channels = page.locator("#channel-picker option").all_inner_texts()
    assert channels == [
        "All channels",
        "acme · #ops",
        "acme · #deploys",
        "acme · #marketing",
        "other · #ops",
    ]
    page.select_option("#channel-picker", "acme/ops")
    assert preview.phones() == ["iphone-a", "ipad-a"]
    assert page.locator("#device-picker option").all_inner_texts() == [
        "All devices",
        "iphone-a (alice)",
        "ipad-a (alice)",
    ]
    page.select_option("#device-picker", "ipad-a")
    assert preview.phones() == ["ipad-a"]
    page.select_option("#channel-picker", "acme/marketing")
    assert preview.page.locator("#phones .empty").inner_text() == "No device in this channel."
    page.select_option("#channel-picker", "")
    assert len(preview.phones()) == 4


def test_the_page_updates_live_and_scrubs_back_through_the_timeline(
    service: LocalService, preview: PreviewPage
) -> None:
    preview.open()
    assert preview.phone("iphone").locator("section.activities .empty").inner_text() == "No Live Activities"
    state = {"title": "Deploying web", "subtitle": "Building", "type": "segmented_progress"}
    activity_id = start(service, {**state, "number_of_steps": 3, "current_step": 1})
    preview.settle()
    card = preview.card("Deploying web")
    assert preview.card_summary(card)["label"] == "1/3"
    service.api(
        "POST",
        "/live-activity/update",
        json={
            "activity_id": activity_id,
            "content_state": {**state, "subtitle": "Deploying", "current_step": 2},
        },
    )
    preview.settle()
    end = {"title": "Deployed", "current_step": 3, "step_color": "green"}
    service.api("POST", "/live-activity/end", json={"activity_id": activity_id, "content_state": end})
    preview.settle()
    card = preview.page.locator(f"article.activity[data-activity='{activity_id}']")
    now = preview.card_summary(card)
    assert (now["title"], now["status"], now["label"], now["live"]) == ("Deployed", "ended", "3/3", True)
    assert now["cause"].startswith("state 3 of 3 · POST /api/live-activity/end · 200 · ")

    preview.scrub(card, 0)
    first = preview.card_summary(card)
    assert (first["title"], first["subtitle"], first["label"], first["status"]) == (
        "Deploying web",
        "Building",
        "1/3",
        "active",
    )
    assert (first["live"], first["position"]) == (False, 1)
    assert first["cause"].startswith("state 1 of 3 · POST /api/live-activity/start · 200 · ")
    card.locator(".cause-body summary").click()
    shown_body = card.locator(".cause-body pre").inner_text()
    assert '"number_of_steps": 3' in shown_body and '"title": "Deploying web"' in shown_body

    push(service, title="meanwhile")  # a redraw while scrubbed back keeps the chosen state
    preview.settle()
    assert preview.card_summary(card)["position"] == 1
    assert card.locator(".cause-body pre").is_visible()  # and the opened body stays open

    preview.scrub(card, 1)
    assert preview.card_summary(card)["subtitle"] == "Deploying"
    preview.scrub(card, 2)
    assert preview.card_summary(card)["live"] is True

    service.advance_clock(24 * 3600)  # dismissed: gone from the lock screen, still scrubbable
    preview.settle()
    assert preview.phone("iphone").locator("section.activities .empty").is_visible()
    earlier = preview.phone("iphone").locator("details", has_text="Dismissed Live Activities (1)")
    earlier.locator("summary").first.click()
    gone = earlier.locator(f"article.activity[data-activity='{activity_id}']")
    preview.scrub(gone, 0)
    assert preview.card_summary(gone)["subtitle"] == "Building"
    assert gone.locator("button.action").count() == 0


def test_tapping_a_webhook_button_delivers_it_and_shows_the_outcome(
    service: LocalService, preview: PreviewPage, receiver: Receiver
) -> None:
    service.reset({"settings": {"webhook_redirects": {"https://hooks.example.com": receiver.base}}})
    receiver.status = 202
    start(
        service,
        {"title": "Deploying web", "type": "segmented_progress", "number_of_steps": 2, "current_step": 1},
        secondary_action={
            "title": "Roll back",
            "type": "webhook",
            "url": "https://hooks.example.com/rollback?env=prod",
            "body": {"service": "web"},
        },
    )
    preview.open()
    card = preview.card("Deploying web")
    card.get_by_role("button", name="Roll back").click()
    outcome = "Webhook POST https://hooks.example.com/rollback?env=prod → 202"
    preview.page.locator("#toast", has_text=outcome).wait_for()
    assert receiver.calls == [{"method": "POST", "path": "/rollback?env=prod", "body": {"service": "web"}}]
    preview.settle()
    assert [text.split(" ", 1)[1] for text in preview.taps("iphone")] == [outcome]

    receiver.status = 500
    push(
        service,
        title="Build failed",
        actions=[
            {"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/retry", "method": "GET"}
        ],
    )
    preview.settle()
    preview.phone("iphone").locator("article.push").get_by_role("button", name="Retry").click()
    failed = "Webhook GET https://hooks.example.com/retry → 500"
    preview.page.locator("#toast[data-failed='1']", has_text=failed).wait_for()
    preview.settle()
    assert preview.phone("iphone").locator(".taps li.failed").inner_text().endswith(failed)
    assert receiver.calls[-1] == {"method": "GET", "path": "/retry", "body": None}


def test_an_open_url_button_opens_a_new_tab_and_is_recorded(
    service: LocalService, preview: PreviewPage
) -> None:
    start(
        service,
        {"title": "Deploying web", "type": "progress", "percentage": 10},
        action={"title": "Open run", "type": "open_url", "url": "https://ci.example.com/run/7"},
    )
    push(
        service,
        title="Shortcut",
        actions=[{"title": "Run", "type": "open_url", "url": "shortcuts://run-shortcut?name=x"}],
    )
    preview.open()
    with preview.context.expect_page() as opened:
        preview.card("Deploying web").get_by_role("button", name="Open run").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == "https://ci.example.com/run/7"
    assert tab.evaluate("window.opener") is None  # noopener: the opened page cannot reach the preview
    preview.page.locator("#toast", has_text="Opened https://ci.example.com/run/7").wait_for()
    assert service.preview_state()["taps"][0] | {"at": None} == {
        "device": "iphone",
        "kind": "open_url",
        "url": "https://ci.example.com/run/7",
        "method": None,
        "body": None,
        "status": None,
        "error": None,
        "at": None,
        "opened": True,
    }
    pages_before = len(preview.context.pages)
    preview.phone("iphone").locator("article.push").get_by_role("button", name="Run").click()
    note = "Opened shortcuts://run-shortcut?name=x on the phone (not in this browser)"
    preview.page.locator("#toast", has_text=note).wait_for()
    assert len(preview.context.pages) == pages_before  # an app link is named, not opened in the browser
    assert preview.offsite == ["https://ci.example.com/run/7"]


def test_hostile_strings_stay_text(service: LocalService, preview: PreviewPage) -> None:
    config = single_device()
    config["accounts"][0]["members"][0]["devices"][0]["name"] = HOSTILE
    config["accounts"][0]["members"][0]["name"] = "<b>bold</b>"
    service.reset(config)
    button = {"title": HOSTILE, "type": "open_url", "url": "https://example.com/<script>alert(1)</script>"}
    start(
        service,
        {
            "title": HOSTILE,
            "subtitle": "<script>window.__pwned=2</script>",
            "type": "metrics",
            "metrics": [{"label": HOSTILE, "value": "<svg onload=window.__pwned=3>", "unit": "<i>%</i>"}],
            "badge": {"title": "<iframe src=/_mock/devices>"},
            "icon": {"symbol": "<img src=y onerror=window.__pwned=4>"},
        },
        action=button,
        alert={"title": HOSTILE, "body": "<a href=javascript:alert(1)>x</a>"},
    )
    push(
        service,
        title=HOSTILE,
        subtitle="<style>body{display:none}</style>",
        message=HOSTILE,
        actions=[button],
    )
    preview.open()
    page = preview.page
    phone = preview.phone("phone")
    assert page.locator("img, script:not([src]), svg, iframe, style, i, b, a").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert phone.locator(".device-name").inner_text().startswith(HOSTILE)
    assert phone.locator(".device-meta").inner_text().startswith("<b>bold</b> · ")
    card = phone.locator("article.activity")
    assert card.locator(".activity-title").inner_text() == HOSTILE
    assert card.locator(".activity-subtitle").inner_text() == "<script>window.__pwned=2</script>"
    assert card.locator(".metric").inner_text().split("\n")[:2] == [
        "<svg onload=window.__pwned=3><i>%</i>",
        HOSTILE,
    ]
    assert card.locator(".badge").inner_text() == "<iframe src=/_mock/devices>"
    assert card.locator(".icon").inner_text() == "<img src=y onerror=window.__pwned=4>"
    assert card.locator("button.action").inner_text() == HOSTILE
    assert preview.pushes("phone")[0]["title"] == HOSTILE
    card.locator(".cause-body summary").click()
    assert HOSTILE.replace('"', '\\"') in card.locator(".cause-body pre").inner_text()
    assert page.locator("img, script:not([src]), svg, iframe, style, i, b, a").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert preview.offsite == []
