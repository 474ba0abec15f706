"""The action against hostile HTTP servers: it always ends within its time bound, with bounded memory, one
classified error (or a success with a warning) and every output written.

Each case runs the real entrypoint as a process (tests/support/run_action.py measures its wall time and its
own peak RSS with os.wait4) against one mode of tests/reliability/hostile_server.py on 127.0.0.1. Before the
fixes these cases ran forever (trickles), grew to gigabytes (endless or huge bodies), or ended in "internal
error … a bug" with no outputs (deep JSON, a 5,000-digit number, `Retry-After: ²`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from activitysmith_action.client import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS
from activitysmith_action.outcome import OUTPUT_NAMES
from activitysmith_action.summary import README_ERRORS
from tests.reliability.hostile_server import HostileServer
from tests.reliability.secret_scan import CANARY_KEY, leaks
from tests.support.markdown import render_tokens
from tests.support.run_action import Result, run_action

TIMEOUT = 1.0
RETRIES = 1
# Starting Python and importing httpx/pydantic is outside the action's own budget; this allows for it (and
# for a loaded CI machine) on top of the bound client.py documents.
PROCESS_ALLOWANCE = 8.0
# A step that imports httpx and pydantic peaks around 40 MiB; before the cap an endless body grew the
# process to 9.6 GiB and a 1 GiB error body to 3.3 GB.
MAX_PEAK_MIB = 100
STREAM = {
    "action": "stream_live_activity",
    "stream-key": "hostile",
    "payload": "content_state: {title: Hostile, type: value, value: 1}",
}
PUSH = {"action": "send_push_notification", "payload": "title: Hostile"}


@dataclass(frozen=True)
class Case:
    mode: str
    inputs: dict[str, str]
    # "" for a success (with `warning` in a ::warning line), else the error code that must end the step.
    code: str
    words: str
    attempts: int


CASES = [
    Case("trickle_headers", STREAM, "unreachable", f"no complete answer within {TIMEOUT:g}s", 2),
    Case("trickle_headers", PUSH, "maybe_delivered", "may have been delivered", 1),
    Case("trickle_body", STREAM, "unreachable", f"no complete answer within {TIMEOUT:g}s", 2),
    Case("endless_chunked", STREAM, "bad_response", "with more than 1024 KiB", 1),
    Case("huge_2xx", PUSH, "bad_response", "was accepted, so it was not repeated", 1),
    Case("huge_error", STREAM, "bad_response", "HTTP 503 with more than 1024 KiB", 2),
    Case("gzip_bomb", STREAM, "bad_response", "with more than 1024 KiB", 1),
    Case("deep_json_2xx", PUSH, "", "JSON nested too deeply to read", 1),
    Case("bigint_2xx", STREAM, "", "a body that is not valid JSON", 1),
    Case("odd_retry_after", STREAM, "api_error", "HTTP 503: Service Unavailable", 2),
    Case("markdown_error", PUSH, "api_error", "HTTP 400: Bad ## Injected heading", 1),
    Case("echo_key", PUSH, "api_error", "HTTP 401: Unauthorized", 1),
]


def time_bound(attempts: int) -> float:
    """client.py's bound for these inputs: every attempt may use the whole timeout, plus the backoff waits."""
    waits = sum(min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**n) for n in range(attempts - 1))
    return TIMEOUT * attempts + waits + PROCESS_ALLOWANCE


def run(case: Case) -> Result:
    with HostileServer(case.mode) as server:
        inputs = {
            **case.inputs,
            "api-key": CANARY_KEY,
            "base-url": server.base_url,
            "timeout": f"{TIMEOUT:g}",
            "retries": str(RETRIES),
        }
        return run_action(inputs, timeout=120, measure_memory=True)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.mode}-{case.inputs['action']}")
def test_hostile_server(case: Case) -> None:
    result = run(case)
    log = result.stdout + result.stderr
    assert "Traceback" not in log and "internal error" not in log, log[-2000:]
    assert result.elapsed <= time_bound(case.attempts), (
        f"{result.elapsed:.1f}s > {time_bound(case.attempts)}s"
    )
    assert 10 < result.peak_rss_mib <= MAX_PEAK_MIB, f"peak RSS {result.peak_rss_mib:.0f} MiB"
    assert set(result.outputs) == set(OUTPUT_NAMES), "every output is written"
    assert result.outputs["attempts"] == str(case.attempts), result.stdout
    if case.code:
        assert result.returncode == 1 and result.outputs["ok"] == "false"
        assert result.outputs["error"].endswith(f"[{case.code}]"), result.outputs["error"]
        assert case.words in result.outputs["error"], result.outputs["error"]
    else:
        assert result.returncode == 0 and result.outputs["ok"] == "true"
        warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
        assert any(case.words in line for line in warnings), warnings
    assert leaks(result) == [], "the key (or its hex/base64 form) shows outside the mask line"
    if case.mode == "markdown_error":
        tokens = render_tokens(result.summary)
        assert [t.tag for t in tokens if t.type == "heading_open"] == ["h3"], "only the summary's own heading"
        assert {t.attrGet("href") for t in tokens if t.type == "link_open"} <= {README_ERRORS}
        assert not [t for t in tokens if t.type in ("image", "html_inline", "html_block")]
