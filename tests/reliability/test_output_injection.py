"""Server text cannot create or change the step's outputs, nor issue workflow commands in its log.

The service is made to answer with newlines, forged heredoc delimiters (`ghadelimiter_...`, `EOF`), forged
`name=value` lines and `::command::` lines, in a raw error page, in a JSON error's `error`/`message`, and in
the fields of a 2xx answer. Outputs are read back with the port of the runner's own parser
(tests/support/runner_files.py), so a forged key would show up exactly as a later step would see it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from activitysmith_action.outcome import OUTPUT_NAMES
from tests.reliability.scenarios import SCENARIOS, base_inputs, settle
from tests.support.run_action import Result, run_action
from tests.support.service import LocalService

FORGED = (
    "first line\nok=false\nstatus=999\nghadelimiter_00000000-0000-0000-0000-000000000000\n"
    "error<<EOF\nforged\nEOF\nx<<EOF\nlive_activity_id=pwned\nEOF\n"
    "::set-output name=ok::false\n::error title=forged::forged annotation\n::add-mask::nothing\n"
    "::stop-commands::token\r\nlast line"
)
COMMAND = re.compile(r"^::(add-mask|error|warning|notice|debug|group|endgroup)( [^:]*)?::")


def commands(result: Result) -> list[str]:
    """The workflow commands the runner would act on: every stdout line that starts with `::`."""
    return [line.split("::")[1].split(" ")[0] for line in result.stdout.split("\n") if line.startswith("::")]


def check_log(result: Result, *, errors: int) -> None:
    """Only the commands the action meant: one mask, `errors` annotations, debug lines; nothing forged."""
    lines = [line for line in result.stdout.split("\n") if line.startswith("::")]
    assert all(COMMAND.match(line) for line in lines), lines
    issued = commands(result)
    assert issued.count("add-mask") == 1 and issued.count("error") == errors
    assert "set-output" not in issued and "stop-commands" not in issued
    assert not any(line.startswith(("ok=", "x<<", "EOF")) for line in result.stdout.split("\n"))


def run_faulted(service: LocalService, action: str, fault: dict[str, Any]) -> Result:
    scenario = SCENARIOS[action]
    ids = scenario.prepare(service)
    method = {"stream_live_activity": "PUT", "end_live_activity_stream": "DELETE"}.get(action, "POST")
    service.fault(method=method, path=scenario.endpoint, **fault)
    result = run_action(base_inputs(service, scenario, ids, retries="0"))
    settle(service)
    return result


@pytest.mark.parametrize("action", ["send_push_notification", "update_metric_value"])
def test_raw_error_page(service: LocalService, action: str) -> None:
    result = run_faulted(service, action, {"status": 400, "body": FORGED, "content_type": "text/html"})
    assert result.returncode == 1
    assert set(result.outputs) == set(OUTPUT_NAMES)
    assert result.outputs["ok"] == "false" and result.outputs["status"] == "400"
    assert result.outputs["attempts"] == "1" and result.outputs["live_activity_id"] == ""
    assert result.outputs["operation"] == ""
    assert result.outputs["response"] == json.dumps(FORGED, ensure_ascii=False)
    # The message is the page's text with whitespace collapsed, shortened to about 200 characters (client.py).
    head, tail = "HTTP 400: Bad Request - ", "… [api_error]"
    error = result.outputs["error"]
    assert error.startswith(head) and error.endswith(tail), error
    shown = error[len(head) : -len(tail)]
    assert 150 <= len(shown) <= 200 and " ".join(FORGED.split()).startswith(shown)
    check_log(result, errors=1)


@pytest.mark.parametrize("action", ["start_live_activity", "stream_live_activity"])
def test_json_error_fields(service: LocalService, action: str) -> None:
    body = {"error": FORGED, "message": FORGED}
    fault = {"status": 422, "body": json.dumps(body), "content_type": "application/json"}
    result = run_faulted(service, action, fault)
    assert result.returncode == 1
    assert set(result.outputs) == set(OUTPUT_NAMES)
    assert result.outputs["ok"] == "false" and result.outputs["status"] == "422"
    assert result.outputs["response"] == json.dumps(body, ensure_ascii=False)
    # The `error` output is one line, and the API's `error` and `message` are shortened (200 and 500
    # characters): forged lines stay inside that one value.
    one_line = " ".join(FORGED.split())
    clipped = lambda text, limit: text if len(text) <= limit else text[: limit - 1] + "…"  # noqa: E731
    assert (
        result.outputs["error"]
        == f"HTTP 422: {clipped(one_line, 200)} - {clipped(one_line, 500)} [api_error]"
    )
    check_log(result, errors=1)


ANSWER = {"success": True, "activity_id": FORGED, "operation": FORGED, "note": FORGED}


def run_2xx(service: LocalService, action: str) -> Result:
    fault = {"status": 200, "body": json.dumps(ANSWER), "content_type": "application/json", "phase": "after"}
    return run_faulted(service, action, fault)


@pytest.mark.parametrize("action", ["stream_live_activity", "start_live_activity"])
def test_2xx_fields_become_exactly_their_outputs(service: LocalService, action: str) -> None:
    result = run_2xx(service, action)
    assert result.returncode == 0, result.stdout
    assert set(result.outputs) == set(OUTPUT_NAMES)
    assert result.outputs["ok"] == "true" and result.outputs["status"] == "200"
    assert result.outputs["error"] == "" and result.outputs["attempts"] == "1"
    assert result.outputs["live_activity_id"] == FORGED
    assert result.outputs["operation"] == FORGED
    assert result.outputs["response"] == json.dumps(ANSWER, ensure_ascii=False)


def test_2xx_fields_cannot_issue_workflow_commands(service: LocalService) -> None:
    result = run_2xx(service, "stream_live_activity")
    assert result.returncode == 0, result.stdout
    check_log(result, errors=0)
