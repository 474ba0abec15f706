"""The preview's event stream over a real socket: one `change` event on connect, one per change after.

The page fetches `/_preview/state` when it hears one; nothing polls.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.service import LocalService


def events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """(event, data) pairs as an EventSource sees them; comments and the retry hint are skipped."""
    name, data = "message", ""
    for line in lines:
        if line == "":
            if data:
                yield name, data
            name, data = "message", ""
        elif line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")


def test_each_api_request_and_operator_change_is_announced(service: LocalService) -> None:
    with httpx.stream("GET", f"{service.root}/_preview/events", timeout=30) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        heard = events(stream.iter_lines())
        name, data = next(heard)
        first = json.loads(data)["version"]
        assert name == "change"
        assert first == service.preview_state()["version"]

        service.api("POST", "/push-notification", json={"title": "hello"})
        assert next(heard) == ("change", json.dumps({"version": first + 1}))
        service.advance_clock(1)
        assert next(heard) == ("change", json.dumps({"version": first + 2}))
    assert service.preview_state()["devices"][0]["pushes"][0]["title"] == "hello"


def test_an_open_page_does_not_keep_the_service_from_stopping(tmp_path: Path) -> None:
    """A browser tab left open holds an endless answer; stopping the service still ends (after a short grace;
    without it uvicorn would wait for the tab forever, and pytest-timeout would fail this test)."""
    local = LocalService().start(tmp_path)
    try:
        assert local.log_path is not None
        printed = local.log_path.read_text()
        assert f"Preview page: http://127.0.0.1:{local.port}/  (each phone's lock screen, live)\n" in printed
        with httpx.stream("GET", f"{local.root}/_preview/events", timeout=30) as stream:
            next(events(stream.iter_lines()))
            assert local.process is not None
            local.process.terminate()
            assert local.process.wait() == -signal.SIGTERM  # uvicorn re-raises the signal once it has stopped
    finally:
        local.stop()
