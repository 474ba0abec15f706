"""Concurrent PUTs on one stream key from many connections start exactly one Live Activity."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.support.service import LocalService

METRICS = {
    "title": "Server Health",
    "subtitle": "prod-web-1",
    "type": "metrics",
    "metrics": [{"label": "CPU", "value": 27, "unit": "%"}, {"label": "MEM", "value": 64, "unit": "%"}],
}


def put(service: LocalService, key: str, body: dict[str, Any]) -> httpx.Response:
    return service.api("PUT", f"/live-activity/stream/{key}", json=body)


def shown(service: LocalService, device: str = "iphone") -> list[dict[str, Any]]:
    return next(d for d in service.devices()["devices"] if d["id"] == device)["live_activities"]


def test_concurrent_puts_on_one_key_start_exactly_one_activity(service: LocalService) -> None:
    def one(i: int) -> dict[str, Any]:
        state = {**METRICS, "metrics": [{"label": "CPU", "value": i % 3, "unit": "%"}]}
        return put(service, "race", {"content_state": state}).json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(48)))
    operations = [r["operation"] for r in results]
    assert operations.count("started") == 1
    assert set(operations) <= {"started", "updated", "noop"}
    assert len({r["activity_id"] for r in results}) == 1
    assert len(shown(service)) == 1
