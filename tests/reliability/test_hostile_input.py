"""Hostile inputs never crash the action: random payloads and input values end in a clear accept or reject.

Property tests run in-process (fast); a handful of targeted cases run the real subprocess against the local
service to show the same end to end: path-like identifiers never reach the wire, YAML bombs, oversize
payloads and payload files outside the workspace are refused with a message naming the input.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from activitysmith_action.errors import ActionError, PayloadError
from activitysmith_action.payload import MAX_DEPTH, MAX_PAYLOAD_BYTES, parse_payload
from tests.reliability.hostile import json_values, payload_texts, run_in_process, step_inputs
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace for all generated cases (module scope: hypothesis reruns the test body many times)."""
    return tmp_path_factory.mktemp("hostile-workspace")


@given(step_inputs())
def test_any_step_inputs_are_accepted_or_rejected_clearly(workspace: Path, inputs: dict[str, str]) -> None:
    run_in_process(inputs, workspace)


@given(payload_texts)
def test_any_payload_text_parses_or_names_the_payload(text: str) -> None:
    try:
        parsed = parse_payload(text)
    except PayloadError as exc:
        assert all(p.field.startswith("payload") for p in exc.problems), exc
    else:
        assert isinstance(parsed, dict)
        json.dumps(parsed, allow_nan=False)  # whatever is accepted is sendable JSON


@given(json_values)
def test_standard_json_round_trips_or_is_refused(value: object) -> None:
    """Standard JSON (no NaN/Infinity, which YAML would read as strings) means the same after parsing."""
    assume("\x85" not in json.dumps(value, allow_nan=True, ensure_ascii=False))  # bug R6, own test below
    try:
        # ensure_ascii=False: escaped astral characters are bug R4 (tests below)
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except ValueError:
        assume(False)
    try:
        parsed = parse_payload(text)
    except ActionError as exc:
        assert all(p.field.startswith("payload") for p in exc.problems), exc
        assert not isinstance(value, dict) or "nested deeper" in str(exc) or "duplicate key" in str(exc), exc
    else:
        assert parsed == value


@given(
    st.sampled_from(["live-activity-id", "stream-key", "metric-key"]),
    st.sampled_from(
        ["a/b", "../x", "..", "a..b", "a%2Fb", "%2e%2e", "a b", " a", "a\nb", "a\rb", "a\tb", "a\\b", "ä"]
    ),
)
def test_path_like_identifiers_are_refused_in_process(workspace: Path, name: str, value: str) -> None:
    action = {"live-activity-id": "update_live_activity", "stream-key": "stream_live_activity"}.get(
        name, "update_metric_value"
    )
    inputs = {"action": action, "api-key": "k", "payload": "value: 1", "dry-run": "true", name: value}
    outcome = run_in_process(inputs, workspace)
    assert outcome.verdict == "rejected" and outcome.message.startswith(f"{name}: ")


def test_json_string_with_nel_is_unchanged() -> None:
    assert parse_payload('{"message": "a\x85b"}') == {"message": "a\x85b"}


def test_escaped_emoji_payload_is_accepted() -> None:
    assert parse_payload(json.dumps({"title": "Deploy 🚀"})) == {"title": "Deploy 🚀"}


def test_lone_surrogate_is_refused_cleanly(service: LocalService) -> None:
    inputs = {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}
    errors = single_error(run_action({**inputs, "payload": '{"title": "half \\ud800 a pair"}'}))
    assert "::error title=ActivitySmith payload_syntax::payload.title: is not valid Unicode" in errors


def test_too_deep_and_too_big_payloads_are_refused_in_process() -> None:
    with pytest.raises(PayloadError, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse_payload("[" * 5000 + "]" * 5000)
    with pytest.raises(PayloadError, match="larger than 256 KiB"):
        parse_payload("title: " + "x" * MAX_PAYLOAD_BYTES)


# --- through the real subprocess ------------------------------------------------------------------------
def single_error(result: Result) -> str:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1 and result.outputs["ok"] == "false"
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) >= 1
    return "\n".join(errors)


@pytest.mark.parametrize(
    ("name", "value", "action"),
    [
        ("stream-key", "../push-notification", "stream_live_activity"),
        ("stream-key", "a%2F..%2Fbadge", "stream_live_activity"),
        ("live-activity-id", "abc/../../badge", "update_live_activity"),
        ("live-activity-id", "abc def", "end_live_activity"),
        ("metric-key", "deploy.success_rate\nx", "update_metric_value"),
        ("metric-key", "..", "update_metric_value"),
        ("stream-key", "key\r\n", "end_live_activity_stream"),
    ],
)
def test_path_like_identifiers_never_reach_the_service(
    service: LocalService, name: str, value: str, action: str
) -> None:
    inputs = {"action": action, "api-key": service.api_key, "base-url": service.base_url, name: value}
    if action != "end_live_activity_stream":
        inputs["payload"] = (
            "value: 1" if action == "update_metric_value" else '{"content_state": {"title": "x"}}'
        )
    errors = single_error(run_action(inputs))
    assert f"::error title=ActivitySmith invalid_input::{name}: must be " in errors
    assert service.requests() == []


def test_yaml_alias_bomb_is_refused(service: LocalService) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)
    ]
    bomb = "\n".join(lines) + "\ntitle: *j\n"
    inputs = {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}
    errors = single_error(run_action({**inputs, "payload": bomb}))
    assert "payload: YAML anchors and aliases (& and *) are not supported (line 1)" in errors
    assert service.requests() == []


def test_oversize_payload_file_is_refused(service: LocalService, tmp_path: Path) -> None:
    # An inline input this big cannot even be passed (Linux limits one env string to 128 KiB), so use a file.
    (tmp_path / "big.json").write_text(json.dumps({"title": "x" * (MAX_PAYLOAD_BYTES + 10)}))
    inputs = {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}
    errors = single_error(run_action({**inputs, "payload-file-path": "big.json"}, cwd=tmp_path))
    assert "payload-file-path: is larger than 256 KiB [payload_file]" in errors
    assert service.requests() == []


def _outside_paths(tmp_path: Path) -> dict[str, str]:
    """Payload-file paths that all point outside the workspace `tmp_path/ws`."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    outside = tmp_path / "secret.json"
    outside.write_text('{"title": "from outside"}')
    (workspace / "link.json").symlink_to(outside)
    (workspace / "dir").symlink_to(tmp_path)
    return {
        "dotdot": "../secret.json",
        "absolute": str(outside),
        "symlink": "link.json",
        "symlinked_dir": "dir/secret.json",
        "dotdot_inside": "sub/../../secret.json",
    }


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "symlinked_dir", "dotdot_inside"])
def test_payload_file_outside_the_workspace_is_refused(
    service: LocalService, tmp_path: Path, kind: str
) -> None:
    path = _outside_paths(tmp_path)[kind]
    inputs = {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}
    result = run_action({**inputs, "payload-file-path": path}, cwd=tmp_path / "ws")
    errors = single_error(result)
    assert (
        "::error title=ActivitySmith payload_file::payload-file-path: must stay inside the workspace"
        in errors
    )
    assert "from outside" not in result.stdout + json.dumps(result.outputs) + result.summary
    assert service.requests() == []


def test_payload_keys_with_newlines_cannot_issue_commands(service: LocalService) -> None:
    """Problems past the 10th are plain lines: a key holding `\\n::error` must not become a command."""
    keys = {f"k{i}\n::error title=forged::injected {i}": 1 for i in range(12)}
    inputs = {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}
    result = run_action({**inputs, "payload": json.dumps({"title": "x", **keys})})
    assert result.returncode == 1
    forged = [line for line in result.stdout.splitlines() if line.startswith("::error title=forged")]
    assert forged == []
    assert service.requests() == []


def test_process_environment_is_left_as_found(workspace: Path) -> None:
    before = dict(os.environ)
    run_in_process({"action": "nope", "api-key": "k", "payload": "title: x"}, workspace)
    assert dict(os.environ) == before


# --- issue 10: ordinary failures are classified, outputs always written, nothing sent ---------------------


def _push_inputs(service: LocalService) -> dict[str, str]:
    return {"action": "send_push_notification", "api-key": service.api_key, "base-url": service.base_url}


@pytest.mark.parametrize(
    ("override", "env", "problem"),
    [
        ({"api-key": "ask_key_with\ninside"}, {}, "api-key: holds a space, a line break"),
        ({"api-key": "ask_zero\u200bwidth"}, {}, "api-key: holds a space, a line break"),
        ({"base-url": "http://127.0.0.1:port/api"}, {}, "base-url: has a port that is not a number"),
        ({"base-url": "https://☃☃☃☃.example/api"}, {}, "base-url: has a host name that is not a valid"),
        (
            {"base-url": "https://activitysmith.example/api"},
            {"HTTPS_PROXY": "http://[::1"},
            "HTTPS_PROXY: must be",
        ),
        (
            {"base-url": "https://activitysmith.example/api"},
            {"HTTPS_PROXY": "ftp://proxy:21"},
            "HTTPS_PROXY: must be",
        ),
        (
            {"payload": '{"title": "x", "n": ' + "9" * 5000 + "}"},
            {},
            "payload: holds a number with more than",
        ),
        # 80 KB: an inline input must stay under Linux's 128 KiB limit for one environment string.
        ({"payload": '{"a":' + "[" * 40_000 + "]" * 40_000 + "}"}, {}, "payload: nested deeper than 32 levels"),
    ],
)
def test_ordinary_failures_are_classified_with_outputs_and_nothing_sent(
    service: LocalService, override: dict[str, str], env: dict[str, str], problem: str
) -> None:
    """Each of these ended in "internal error … a bug in activitysmith-action", exit 1 and no outputs."""
    inputs = {**_push_inputs(service), "payload": "title: x", **override}
    result = run_action(inputs, env=env)
    assert (
        result.returncode == 1 and "internal error" not in result.stdout and "Traceback" not in result.stderr
    )
    assert result.outputs["ok"] == "false" and problem in result.outputs["error"], result.outputs["error"]
    assert result.outputs["error"].endswith(("[invalid_input]", "[payload_syntax]"))
    assert service.requests() == []
    if "api-key" in override:  # never echoed, except in the one ::add-mask:: line that hides it
        after_mask = result.stdout.split("\n", 1)[1]
        assert override["api-key"] not in after_mask + json.dumps(result.outputs) + result.summary


def test_29000_unknown_keys_make_bounded_outputs_and_summary(service: LocalService, tmp_path: Path) -> None:
    """Before: a 4.2 MB GITHUB_OUTPUT and a 2.1 MB summary (GitHub refuses summaries over 1 MiB)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    keys = [a + b + c for a in digits for b in digits for c in digits][:29_000]
    (tmp_path / "p.json").write_text(
        json.dumps({"title": "x", **dict.fromkeys(keys, 0)}, separators=(",", ":"))
    )
    inputs = {**_push_inputs(service), "payload-file-path": "p.json"}
    result = run_action(inputs, cwd=tmp_path)
    assert result.returncode == 1 and result.outputs["error"].startswith("29,000 problems: ")
    assert "… and 28,950 more [invalid_payload]" in result.outputs["error"]
    assert sum(len(value) for value in result.outputs.values()) < 128 * 1024
    assert len(result.summary.encode()) < 100 * 1024 and "… and 28,950 more problems" in result.summary
    assert len(result.stdout.encode()) < 100 * 1024 and "… and 28,950 more problems" in result.stdout
    assert service.requests() == []
