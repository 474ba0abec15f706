"""Fixtures for the preview page in real Chromium: Debian's `chromium` driven by Playwright for Python.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by scripts/setup-browser).
Without it the tests skip, which fails them under CI=true (tests/conftest.py).

Every page runs offline: requests to any origin other than the local service are answered by a stub and
recorded in `PreviewPage.offsite`, so a test can assert that the page itself fetched nothing from outside,
and a tab opened by a button lands on the stub instead of the internet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The act fixtures: the through-act test runs an example exactly as tests/workflows do.
from tests.workflows.conftest import act_ready, run_example  # noqa: F401

from .preview_page import PreviewPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

    from tests.support.service import LocalService

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_ENV = "PREVIEW_SCREENSHOTS"


# Package scope, not session: Playwright's sync API runs an event loop on this thread while it is up, which
# would make every later test's asyncio.run() fail ("cannot be called from a running event loop").
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (run ./scripts/setup-browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def preview(browser: Browser, service: LocalService) -> Iterator[PreviewPage]:
    """A fresh browser context on the service's page (not opened yet: call `.open()`)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = PreviewPage(context, service)
    yield page
    context.close()
    assert not page.errors, f"the page reported errors: {page.errors}"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: `PREVIEW_SCREENSHOTS=docs/images` refreshes the ones README shows."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    if not chosen:
        return tmp_path
    target = Path(chosen)
    return target if target.is_absolute() else REPO_ROOT / target
