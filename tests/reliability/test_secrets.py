"""The API key leaks nowhere: every action, success and failure paths, with and without RUNNER_DEBUG.

The service is re-seeded with a recognisable canary key, then told to echo it back: in a raw error page, in
a JSON `message`, in a 2xx JSON field, and placed so that the action's own shortening of long bodies (200
characters for the message, 2000 for the `response` output) cuts through it. Every captured stream and
runner file is scanned for any 12-character piece of the key or an encoded form, outside the single
`::add-mask::` line (see secret_scan.py).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from activitysmith_action.actions import ACTIONS
from tests.reliability.scenarios import SCENARIOS, Scenario, base_inputs, settle
from tests.reliability.secret_scan import CANARY_KEY, leaks, needles, scanned_bytes
from tests.support.run_action import POST_ENTRYPOINT, Result, run_action
from tests.support.runner_files import parse_env_file
from tests.support.service import TEST_API_KEY, LocalService

DEBUG = {"RUNNER_DEBUG": "1"}


def canary_seed() -> dict[str, Any]:
    """The default seed (docs/local-service.md, "Command line"), the canary its one all-recipients key."""
    return {
        "accounts": [
            {
                "name": "local",
                "channels": ["ops", "deploys"],
                "api_keys": [{"key": CANARY_KEY}],
                "members": [{"name": "you", "channels": ["ops", "deploys"], "devices": [{"id": "iphone"}]}],
                "metrics": ["deploy.success_rate", "queue.depth"],
            }
        ]
    }


@pytest.fixture
def canary(service: LocalService) -> Iterator[LocalService]:
    """The service answering to the canary key; afterwards the default seed (session key) is put back."""
    service.reset(canary_seed())
    service.api_key = CANARY_KEY
    yield service
    settle(service)
    service.api_key = TEST_API_KEY
    service.reset({})  # an empty document: the default seed with the session key becomes the seed again


def echo_page(key: str) -> str:
    """An HTML error page echoing the request's Authorization header, as some proxies do."""
    return f"<html><body><h1>Bad request</h1><pre>Authorization: Bearer {key}</pre></body></html>"


def straddling_page(key: str) -> str:
    """A text page where the key crosses the 200th character of the collapsed text and the 2000th raw one."""
    head = "x" * 180  # 20 characters of the key before the cut at 200
    middle = "y" * (2000 - 20 - len(head) - len(key) - 1)  # and 20 before the cut at 2000
    return f"{head}{key} {middle}{key} and once more whole: {key}"


def run_with_fault(
    service: LocalService, scenario: Scenario, fault: dict[str, Any] | None, env: dict[str, str], **extra: str
) -> Result:
    ids = scenario.prepare(service)
    if fault is not None:
        service.fault(method=ACTIONS[scenario.action].method, path=scenario.endpoint, **fault)
    return run_action(base_inputs(service, scenario, ids, **extra), env=env)


_TALLY = {"runs": 0, "bytes": 0, "leaked": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the figure docs/reliability.md quotes: runs scanned, bytes scanned, pieces of key found."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not _TALLY["runs"]:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nsecret scan: {_TALLY['runs']} runs, {_TALLY['bytes']:,} bytes scanned, "
            f"{_TALLY['leaked']} pieces of key material found"
        )


def assert_no_leak(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    found = leaks(result)
    _TALLY["runs"] += 1
    _TALLY["bytes"] += scanned_bytes(result)
    _TALLY["leaked"] += len(found)
    assert found == [], f"key material leaked: {found[:5]} (of {len(found)})"
    assert scanned_bytes(result) > 0


ECHOES: dict[str, tuple[dict[str, Any] | None, dict[str, str], dict[str, str]]] = {
    # name: (fault, env, extra inputs)
    "success_debug": (None, DEBUG, {}),
    "raw_page_echo_500": (
        {"status": 500, "body": echo_page(CANARY_KEY), "content_type": "text/html"},
        DEBUG,
        {"retries": "0"},
    ),
    "raw_page_echo_errors_false": (
        {"status": 400, "body": echo_page(CANARY_KEY), "content_type": "text/plain"},
        {},
        {"errors": "false"},
    ),
    "json_message_echo": (
        {
            "status": 401,
            "body": json.dumps({"error": "Unauthorized", "message": f"key {CANARY_KEY} is not valid"}),
            "content_type": "application/json",
        },
        DEBUG,
        {},
    ),
    "json_2xx_echo": (
        {
            "status": 200,
            "body": json.dumps(
                {"success": True, "activity_id": CANARY_KEY, "operation": "updated", "echo": CANARY_KEY}
            ),
            "content_type": "application/json",
            "phase": "after",
        },
        DEBUG,
        {},
    ),
}


@pytest.mark.parametrize("case", list(ECHOES))
@pytest.mark.parametrize("action", list(SCENARIOS))
def test_no_key_material_in_any_output(canary: LocalService, action: str, case: str) -> None:
    fault, env, extra = ECHOES[case]
    result = run_with_fault(canary, SCENARIOS[action], fault, env, **extra)
    if case.startswith("success"):
        assert result.returncode == 0 and result.outputs["ok"] == "true", result.stdout
    elif case == "raw_page_echo_errors_false":
        assert result.returncode == 0 and result.outputs["ok"] == "false", result.stdout
    elif case != "json_2xx_echo":
        assert result.returncode == 1 and result.outputs["ok"] == "false", result.stdout
    assert_no_leak(result)


@pytest.mark.parametrize("case", ["success_debug", "raw_page_echo_500", "json_message_echo"])
def test_the_auto_end_post_step_never_echoes_the_key(canary: LocalService, case: str, tmp_path: Path) -> None:
    """A start hands its post step what it needs (never the key); the post step ends the activity, or fails
    on a server echoing the key, and neither its output, its state nor the job's journal in HOME holds it."""
    job = {"HOME": str(tmp_path), "GITHUB_RUN_ID": "1", "GITHUB_JOB": "deploy"} | DEBUG
    scenario = SCENARIOS["start_live_activity"]
    started = run_action(base_inputs(canary, scenario, {}), env=job)
    assert started.returncode == 0 and "auto_end" in started.state, started.stdout
    assert_no_leak(started)
    fault, env, extra = ECHOES[case]
    if fault is not None:  # every attempt: the post step repeats with the start step's retries
        canary.fault(method="POST", path="/api/live-activity/end", **(fault | {"count": 10}))
    post = run_action(
        base_inputs(canary, scenario, {}, **extra),
        env=job | env,
        script=POST_ENTRYPOINT,
        state=parse_env_file(started.state),
    )
    assert post.returncode == (0 if case.startswith("success") else 1), post.stdout
    assert_no_leak(post)
    journal = [path.read_text() for path in tmp_path.rglob("*.json")]
    assert journal and not [n for n in needles() for text in journal if n in text]


@pytest.mark.parametrize("action", ["send_push_notification", "update_app_icon_badge_count"])
def test_truncation_never_cuts_the_key(canary: LocalService, action: str) -> None:
    fault = {"status": 400, "body": straddling_page(CANARY_KEY), "content_type": "text/plain"}
    result = run_with_fault(canary, SCENARIOS[action], fault, {})
    assert result.returncode == 1 and result.outputs["error"].endswith("[api_error]")
    assert_no_leak(result)


def test_dry_run_shows_the_request_without_the_key(canary: LocalService) -> None:
    scenario = SCENARIOS["send_push_notification"]
    result = run_action(base_inputs(canary, scenario, {}, **{"dry-run": "true"}), env=DEBUG)
    assert result.returncode == 0 and "Authorization: Bearer ***" in result.stdout
    assert canary.requests() == []
    assert_no_leak(result)


@pytest.mark.parametrize(
    "bad",
    [
        {"timeout": "soon", "payload": "title: [unclosed"},
        {"stream-key": "../" + CANARY_KEY},
        {"stream-key": "s" * 40 + CANARY_KEY + "/x"},
        {"payload": f"title: {CANARY_KEY}\nunknown_field: {CANARY_KEY}"},
        {"payload-file-path": f"/etc/{CANARY_KEY}.json", "payload": ""},
    ],
    ids=[
        "bad_timeout_and_yaml",
        "key_in_stream_key",
        "key_cut_by_stream_key_shortening",
        "key_in_payload",
        "key_in_file_path",
    ],
)
def test_bad_inputs_never_echo_the_key(canary: LocalService, bad: dict[str, str]) -> None:
    inputs = {**base_inputs(canary, SCENARIOS["send_push_notification"], {}), **bad}
    result = run_action(inputs, env=DEBUG)
    assert result.returncode == 1 and result.outputs["ok"] == "false"
    assert canary.requests() == []
    assert_no_leak(result)


def test_unreachable_service_never_echoes_the_key(canary: LocalService, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    inputs = base_inputs(canary, SCENARIOS["update_app_icon_badge_count"], {}, retries="0", timeout="1")
    result = run_action({**inputs, "base-url": f"http://127.0.0.1:{port}/api"}, env=DEBUG)
    assert result.returncode == 1 and result.outputs["error"].endswith("[unreachable]")
    assert_no_leak(result)
