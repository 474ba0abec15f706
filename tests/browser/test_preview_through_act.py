"""Examples run through act (a real runner) while the preview page is open in Chromium.

The page is opened first, then the example runs exactly as users copy it (scripts/run-example). A
MutationObserver in the page writes down every distinct state a Live Activity card showed, so the test sees
the states arrive one by one over the event stream, not only the end result. Then the timeline is
scrubbed back through the run, and a webhook button of the CI-failure push is tapped and delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.service import LocalService
from tests.support.webhook_receiver import Receiver
from tests.workflows.conftest import ExampleRun

from .preview_page import PreviewPage

pytestmark = pytest.mark.docker

REPOSITORY = "your-org/your-app"
# Installed before the page's own script runs; reads the page only.
WATCH_CARDS = """
window.__cardStates = [];
new MutationObserver(() => {
  for (const card of document.querySelectorAll("section.activities article.activity")) {
    const text = (sel) => card.querySelector(sel)?.textContent ?? "";
    const seen = [text(".activity-title"), text(".activity-subtitle"), text(".face .progress-label"),
                  card.dataset.status].join(" | ");
    if (window.__cardStates[window.__cardStates.length - 1] !== seen) window.__cardStates.push(seen);
  }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_a_deployment_arrives_step_by_step_and_scrubs_back(
    run_example: Callable[..., ExampleRun], service: LocalService, preview: PreviewPage, screenshots: Path
) -> None:
    preview.context.add_init_script(WATCH_CARDS)
    preview.open()
    run = run_example("deployment.yml")
    assert run.exit_code == 0, run.log
    preview.settle()

    assert preview.page.evaluate("window.__cardStates") == [
        f"Deploying {REPOSITORY} | Ship it | 1/3 | active",
        f"Deploying {REPOSITORY} | Deploying | 2/3 | active",
        f"Deployed | {REPOSITORY} | 3/3 | ended",
    ]
    card = preview.card("Deployed", device="iphone")
    assert card.locator(".segment.filled.c-green").count() == 3
    expected = [
        (f"Deploying {REPOSITORY}", "Ship it", "1/3", "POST /api/live-activity/start · 200"),
        (f"Deploying {REPOSITORY}", "Deploying", "2/3", "POST /api/live-activity/update · 200"),
        ("Deployed", REPOSITORY, "3/3", "POST /api/live-activity/end · 200"),
    ]
    for index, (title, subtitle, label, cause) in enumerate(expected):
        preview.scrub(card, index)
        shown = preview.card_summary(card)
        assert (shown["title"], shown["subtitle"], shown["label"]) == (title, subtitle, label)
        assert shown["cause"].startswith(f"state {index + 1} of 3 · {cause} · ")
    preview.scrub(card, 1)
    card.locator(".cause-body summary").click()
    body = card.locator(".cause-body pre").inner_text()
    assert '"current_step": 2' in body and f'"title": "Deploying {REPOSITORY}"' in body
    assert service.api_key not in preview.page.content()
    preview.page.set_viewport_size({"width": 1000, "height": 720})
    preview.screenshot(None, screenshots / "preview-deployment-timeline.png")
    assert preview.offsite == []


def test_the_ci_failure_push_webhook_button_is_delivered(
    run_example: Callable[..., ExampleRun],
    service: LocalService,
    preview: PreviewPage,
    receiver: Receiver,
    screenshots: Path,
) -> None:
    service.reset({"settings": {"webhook_redirects": {"https://ci-hooks.example.com": receiver.base}}})
    preview.open()
    run = run_example("ci-failure-alert.yml")
    assert run.exit_code == 1, run.log  # the example's test step fails on purpose; the alert is the point
    preview.settle()

    (shown,) = preview.pushes("iphone")
    assert shown["title"] == f"CI failed: {REPOSITORY}"
    assert shown["buttons"] == [["Open run", "open_url"], ["Re-run failed jobs", "webhook"]]
    phone = preview.phone("iphone")
    phone.get_by_role("button", name="Re-run failed jobs").click()
    outcome = "Webhook POST https://ci-hooks.example.com/rerun → 204"
    preview.page.locator("#toast", has_text=outcome).wait_for()
    (call,) = receiver.calls
    assert (call["method"], call["path"], call["body"]["repository"]) == ("POST", "/rerun", REPOSITORY)
    preview.settle()
    assert phone.locator(".taps li.ok").inner_text().endswith(outcome)
    preview.screenshot(phone, screenshots / "preview-ci-failure-webhook.png")
    assert preview.offsite == []
