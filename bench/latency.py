"""End-to-end time of one action run vs a bare httpx request, both as fresh processes, same request.

What a user pays for the step (start Python, read inputs, validate, send, write outputs) beyond the
unavoidable cost of a process that sends the same request. Both run against the local service on
127.0.0.1, alternating, with the service reset before each run (so rate-limit windows never interfere).

    .venv/bin/python bench/latency.py [--runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.run_action import run_action  # noqa: E402
from tests.support.service import LocalService  # noqa: E402

STREAM_KEY = "bench-latency"
BODY = {"content_state": {"title": "Deploy", "type": "value", "value": "v2"}}
# The baseline: the same PUT from a fresh interpreter with httpx, nothing else.
BASELINE = (
    "import httpx, json, os\n"
    "r = httpx.put(os.environ['URL'], content=os.environ['BODY'], timeout=10,\n"
    "    headers={'Authorization': 'Bearer ' + os.environ['KEY'], 'Content-Type': 'application/json'})\n"
    "assert r.status_code == 200, r.status_code\n"
)


def time_action(service: LocalService) -> float:
    inputs = {
        "action": "stream_live_activity",
        "api-key": service.api_key,
        "base-url": service.base_url,
        "stream-key": STREAM_KEY,
        "payload": json.dumps(BODY),
    }
    started = time.perf_counter()
    result = run_action(inputs)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the action failed:\n{result.stdout}")
    return elapsed


def time_baseline(service: LocalService) -> float:
    env = {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "URL": f"{service.base_url}/live-activity/stream/{STREAM_KEY}",
        "BODY": json.dumps(BODY),
        "KEY": service.api_key,
    }
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BASELINE], env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    action_times: list[float] = []
    baseline_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="latency-") as tmp:
        service = LocalService().start(Path(tmp))
        try:
            for _ in range(args.runs):
                service.reset()
                action_times.append(time_action(service))
                service.reset()
                baseline_times.append(time_baseline(service))
        finally:
            service.stop()
    action_ms = statistics.median(action_times) * 1000
    baseline_ms = statistics.median(baseline_times) * 1000
    print(f"runs:                     {args.runs} each, alternating")
    print(f"action (entrypoint.py):   median {action_ms:7.1f} ms")
    print(f"baseline (python+httpx):  median {baseline_ms:7.1f} ms")
    print(f"ratio:                    {action_ms / baseline_ms:.2f}x  (+{action_ms - baseline_ms:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
