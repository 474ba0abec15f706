"""The only wiring: inputs -> payload -> request -> client -> report, and the step's exit code.

Catches `ActionError` (expected failures, reported with their fields) and, as a last line, anything else
as a bug: a short message asking for a report, never a traceback that might carry request data.
"""

from __future__ import annotations

import io
import sys
from typing import Any

from activitysmith_action import runner
from activitysmith_action.client import ClientSettings, send
from activitysmith_action.errors import ActionError, DeliveryError
from activitysmith_action.inputs import ACTIONS, DEFAULT_BASE_URL, Inputs, read_api_key, read_inputs
from activitysmith_action.payload import parse_payload, read_payload_file
from activitysmith_action.report import Reporter
from activitysmith_action.request import PlannedRequest, build_request


def load_payload(inputs: Inputs) -> dict[str, Any] | None:
    if inputs.payload:
        return parse_payload(inputs.payload)
    if inputs.payload_file_path:
        return read_payload_file(inputs.payload_file_path, inputs.workspace)
    return None


def _known_action() -> str:
    """The `action` input for the summary's heading, when it is one we know (it is Markdown there)."""
    action = runner.get_input("action")
    return action if action in ACTIONS else ""


def main() -> int:
    # Inputs may carry undecodable bytes (Python maps them to lone surrogates); printing them must not crash.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    reporter = Reporter(read_api_key())
    reporter.mask()
    inputs: Inputs | None = None
    planned: PlannedRequest | None = None
    try:
        inputs = read_inputs()
        for text in inputs.warnings:
            reporter.warning(text)
        planned = build_request(inputs, load_payload(inputs))
        if inputs.dry_run:
            reporter.dry_run(planned, inputs.base_url, inputs.summary)
            return 0
        settings = ClientSettings(inputs.base_url, inputs.api_key, inputs.timeout, inputs.retries)
        reporter.success(planned, inputs.base_url, send(planned, settings), inputs.summary)
        return 0
    except ActionError as exc:
        # Input and payload errors always fail: `errors: false` is about delivery, not about a broken step.
        keep_going = isinstance(exc, DeliveryError) and inputs is not None and not inputs.errors
        reporter.failure(
            exc,
            planned,
            inputs.base_url if inputs else DEFAULT_BASE_URL,
            inputs.summary if inputs else True,
            keep_going,
            inputs.action if inputs else _known_action(),
        )
        return 0 if keep_going else 1
    except Exception as exc:  # a bug: anything that is not an ActionError was not anticipated
        reporter.bug(exc)
        return 1
