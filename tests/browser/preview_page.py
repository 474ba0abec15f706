"""`PreviewPage`: the preview page in one browser context, with the reads the tests share.

Reads are by structure and text (data attributes the page sets, roles, visible text), never by pixels.
`settle()` waits until the page has drawn the service's current version, which it learns from its event
stream: a test that changes the service and then settles proves the page updated live, without a reload.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Route

    from tests.support.service import LocalService

MAX_SCREENSHOT_BYTES = 200_000
OFFSITE_STUB = "<!doctype html><title>offline stub</title><p>The test browser does not leave 127.0.0.1."


class PreviewPage:
    def __init__(self, context: BrowserContext, service: LocalService) -> None:
        self.context = context
        self.service = service
        self.errors: list[str] = []
        self.offsite: list[str] = []
        # Only requests to other origins are intercepted, and the pattern is matched inside the browser's
        # driver: the service's own requests never wait for this Python process (busy running act, say).
        offsite = re.compile(rf"^(?!{re.escape(service.root)}/)")
        context.route(offsite, self._stub)
        self.page: Page = context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on(
            "console", lambda message: self.errors.append(message.text) if message.type == "error" else None
        )

    def _stub(self, route: Route) -> None:
        self.offsite.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=OFFSITE_STUB)

    # --- navigation and waiting ---------------------------------------------------------------------------
    def open(self) -> PreviewPage:
        self.page.goto(f"{self.service.root}/")
        self.page.locator("#connection[data-state='live']").wait_for()
        self.settle()
        return self

    def settle(self) -> None:
        """Wait until the page shows the service's current version (pushed to it over its event stream)."""
        version = self.service.preview_state()["version"]
        self.page.wait_for_function("v => Number(document.body.dataset.version) >= v", arg=version)

    # --- reads ----------------------------------------------------------------------------------------------
    def phones(self) -> list[str]:
        return self.page.locator("section.phone").evaluate_all("nodes => nodes.map(n => n.dataset.device)")

    def phone(self, device: str) -> Locator:
        return self.page.locator(f"section.phone[data-device='{device}']")

    def card(self, title: str, device: str | None = None) -> Locator:
        """The Live Activity card now titled `title`, located by its activity id (stable while scrubbing)."""
        scope = self.phone(device) if device else self.page
        cards = scope.locator("section.activities article.activity")
        found = cards.filter(has=self.page.locator(".activity-title", has_text=title)).first
        activity_id = found.get_attribute("data-activity")
        return scope.locator(f"section.activities article.activity[data-activity='{activity_id}']")

    def card_summary(self, card: Locator) -> dict[str, Any]:
        """What a Live Activity card shows, as plain data."""
        return card.evaluate(
            """card => {
                const text = (sel) => { const n = card.querySelector(sel); return n ? n.textContent : null; };
                return {
                    type: card.dataset.type,
                    status: card.dataset.status,
                    live: card.dataset.live === "1",
                    position: Number(card.dataset.position),
                    title: text(".activity-title"),
                    subtitle: text(".activity-subtitle"),
                    label: text(".face .progress-label"),
                    cause: text(".cause"),
                    buttons: [...card.querySelectorAll(".face button.action")].map(b => b.textContent),
                };
            }"""
        )

    def scrub(self, card: Locator, index: int) -> None:
        """Move the card's timeline to state `index` as a user would, with the keyboard."""
        slider = card.locator("input.scrubber")
        slider.focus()
        slider.press("Home")
        for _ in range(index):
            slider.press("ArrowRight")

    def pushes(self, device: str) -> list[dict[str, Any]]:
        return (
            self.phone(device)
            .locator("article.push")
            .evaluate_all(
                """nodes => nodes.map(n => ({
                index: Number(n.dataset.push),
                title: n.querySelector(".push-title").textContent,
                subtitle: n.querySelector(".push-subtitle")?.textContent ?? null,
                message: n.querySelector(".push-message")?.textContent ?? null,
                media: n.querySelector(".push-media code")?.textContent ?? null,
                buttons: [...n.querySelectorAll("button.action")].map(b => [b.textContent, b.dataset.kind]),
                replaced: Boolean(n.querySelector(".replaced")),
            }))"""
            )
        )

    def taps(self, device: str) -> list[str]:
        return self.phone(device).locator(".taps li").all_inner_texts()

    def screenshot(self, locator: Locator | None, path: Path) -> Path:
        """An element (or with `None` the viewport) as a PNG small enough for README (≤ 200 KB)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if locator is None:
            self.page.screenshot(path=str(path), animations="disabled", scale="css")
        else:
            locator.screenshot(path=str(path), animations="disabled", scale="css")
        size = path.stat().st_size
        assert size <= MAX_SCREENSHOT_BYTES, f"{path.name} is {size} bytes"
        return path
