"""`./scripts/demo --watch`: prints the preview page's address, runs the example, then keeps the service up
for the page until Ctrl-C, which stops the service too."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.support.service import free_port

pytestmark = pytest.mark.docker

REPO_ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = "your-org/your-app"


def test_watch_keeps_the_page_up_after_the_run_until_ctrl_c(
    act_ready: None, browser: Browser, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "DEMO_PORT": str(port)}
    with (
        (tmp_path / "demo.stderr").open("w") as stderr,
        subprocess.Popen(
            [str(REPO_ROOT / "scripts" / "demo"), "--watch"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=tmp_path,
            env=env,
        ) as demo,
    ):
        try:
            watch(demo, port, browser, tmp_path)
        finally:
            if demo.poll() is None:
                demo.kill()
                demo.wait()


def watch(demo: subprocess.Popen[str], port: int, browser: Browser, tmp_path: Path) -> None:
    assert demo.stdout is not None
    printed: list[str] = []
    for line in demo.stdout:  # until the demo says it is watching (or ends, which fails below)
        printed.append(line)
        if line.startswith("== watching"):
            break
    out = "".join(printed)
    assert out.splitlines()[1] == (
        f"== the lock screen, live: http://127.0.0.1:{port}/  (open it now; it stays up after the run)"
    ), out
    assert "Deployed" in out.split("== what the phone shows now")[1]
    assert demo.poll() is None, (tmp_path / "demo.stderr").read_text()

    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    card = page.locator("section.activities article.activity", has_text="Deployed")
    card.wait_for()
    assert card.locator(".timeline-label").inner_text() == "TIMELINE · 3 STATES"
    assert card.locator(".segment.filled.c-green").count() == 3

    demo.send_signal(signal.SIGINT)  # Ctrl-C, with the page still open on its event stream
    assert demo.wait() == -signal.SIGINT  # bash ends by the signal it got, after its EXIT trap ran
    with pytest.raises(httpx.ConnectError):  # the demo waited for its service to stop
        httpx.get(f"http://127.0.0.1:{port}/api/health")
    page.close()
