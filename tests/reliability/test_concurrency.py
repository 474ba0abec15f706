"""The local service under concurrent writes: no lost or doubled activities, no 5xx, a well-defined winner.

Real workflows run matrix jobs that stream to the same key at once; the service the tests trust must stay
consistent then. Bounded load on 127.0.0.1 only: 8 keys × 25 PUTs, 20 starts and 40 ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.service import TEST_API_KEY, LocalService

KEYS = 8
PUTS_PER_KEY = 25
STARTS = 20
WORKERS = 16


def roomy_seed() -> dict[str, Any]:
    """The default seed, but the phone holds 40 Live Activities (iOS allows 5), so every key gets a slot."""
    device = {"id": "iphone", "capacity": 40}
    member = {"name": "you", "channels": ["ops", "deploys"], "devices": [device]}
    account = {"name": "local", "channels": ["ops", "deploys"], "api_keys": [{"key": TEST_API_KEY}]}
    return {"accounts": [{**account, "members": [member], "metrics": ["deploy.success_rate"]}]}


@pytest.fixture
def roomy(service: LocalService) -> Iterator[LocalService]:
    """The service seeded with `roomy_seed`; the default seed is put back for the tests that follow."""
    service.reset(roomy_seed())
    yield service
    service.reset({})  # an empty document: the start-up default becomes the seed again


def _client(service: LocalService) -> httpx.Client:
    return httpx.Client(
        base_url=service.base_url,
        headers={"Authorization": f"Bearer {service.api_key}"},
        timeout=30,
        limits=httpx.Limits(max_connections=WORKERS),
    )


def _put(client: httpx.Client, key: str, index: int) -> tuple[str, int, int, dict[str, Any]]:
    body = {"content_state": {"title": key, "type": "value", "value": f"{key}#{index}"}}
    answer = client.put(f"/live-activity/stream/{key}", json=body)
    return key, index, answer.status_code, answer.json()


def test_concurrent_stream_puts_keep_one_activity_per_key_and_the_last_accepted_write(
    roomy: LocalService,
) -> None:
    service = roomy
    keys = [f"conc-{n}" for n in range(KEYS)]
    # Interleave keys so every key has writes in flight together with other keys and with itself.
    jobs = [(key, i) for i in range(PUTS_PER_KEY) for key in keys]
    with _client(service) as client, ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(lambda job: _put(client, *job), jobs))

    statuses = Counter(status for _, _, status, _ in answers)
    assert statuses == {200: KEYS * PUTS_PER_KEY}, statuses  # no 5xx, and nothing refused
    device = service.devices()["devices"][0]
    for key in keys:
        mine = [(index, answer) for k, index, _, answer in answers if k == key]
        assert Counter(a["operation"] for _, a in mine)["started"] == 1
        assert {a["operation"] for _, a in mine} <= {"started", "updated"}  # every value differs: no noop
        assert len({a["activity_id"] for _, a in mine}) == 1  # every write went to the one activity
        activities = [a for a in device["live_activities"] if a["stream_key"] == key]
        assert len(activities) == 1 and activities[0]["status"] == "active"
        # "Last accepted" = the write whose 200 answer carries the latest service timestamp. The service
        # stamps each answer when it applies the write (millisecond ISO times, which sort as text), so the
        # device must show the value of a write stamped last; several may share that millisecond, and then
        # the device must show one of them and have been updated at exactly that time.
        latest = max(a["timestamp"] for _, a in mine)
        winners = {f"{key}#{index}" for index, a in mine if a["timestamp"] == latest}
        assert activities[0]["content_state"]["value"] in winners
        assert activities[0]["updated_at"] == latest
        assert activities[0]["activity_id"] == mine[0][1]["activity_id"]


def test_concurrent_starts_and_double_ends(roomy: LocalService) -> None:
    service = roomy
    state = {"content_state": {"title": "parallel", "type": "value", "value": "1"}}
    with _client(service) as client, ThreadPoolExecutor(WORKERS) as pool:
        started = list(pool.map(lambda _: client.post("/live-activity/start", json=state), range(STARTS)))
        assert [r.status_code for r in started] == [200] * STARTS
        ids = [r.json()["activity_id"] for r in started]
        assert len(set(ids)) == STARTS  # each start got its own activity
        ends = [*ids, *ids]  # every activity ended twice, both at once
        end_body = {"content_state": {"title": "parallel", "type": "value", "value": "done"}}
        ended = list(
            pool.map(lambda i: client.post("/live-activity/end", json={"activity_id": i, **end_body}), ends)
        )
    assert Counter(r.status_code for r in ended) == {200: 2 * STARTS}
    activities = service.devices()["devices"][0]["live_activities"]
    assert sorted(a["activity_id"] for a in activities) == sorted(ids)
    assert {a["status"] for a in activities} == {"ended"}
    log = service.requests()
    assert not [r for r in log if r["status"] is None or r["status"] >= 500]
