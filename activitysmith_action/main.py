"""The only wiring: inputs -> payload -> request -> client -> one Outcome -> writer, and the step's exit code.

`run()` turns every expected failure (`ActionError`) into a failed `Outcome` reported with its fields;
`main()` runs it through step.py, which masks the key first and reports anything else as a bug: a short
message asking for a report, never a traceback that might carry request data.
"""

from __future__ import annotations

import os
from typing import Any

from activitysmith_action import autoend
from activitysmith_action.client import ClientSettings, send
from activitysmith_action.errors import ActionError, DeliveryError, InputError, PayloadError
from activitysmith_action.inputs import Inputs, read_inputs
from activitysmith_action.outcome import Outcome
from activitysmith_action.payload import parse_payload, read_payload_file
from activitysmith_action.quick import merge, renamed
from activitysmith_action.redact import Redactor
from activitysmith_action.request import PlannedRequest, build_request
from activitysmith_action.step import run_step
from activitysmith_action.template import substitute
from activitysmith_action.writer import Writer


def load_payload(inputs: Inputs) -> dict[str, Any] | None:
    if inputs.payload:
        return parse_payload(inputs.payload)
    if inputs.payload_file_path:
        return read_payload_file(inputs.payload_file_path, inputs.workspace)
    return None


def plan_request(inputs: Inputs, redactor: Redactor) -> PlannedRequest:
    """The payload with its `{{ env.NAME }}` placeholders filled, the quick inputs merged under it (the
    payload wins), validated; a problem in a field a quick input filled is named by that input."""
    payload = substitute(load_payload(inputs), os.environ, redactor)
    body, origins = merge(inputs.action, payload, inputs.quick)
    try:
        return build_request(inputs, body, redactor)
    except PayloadError as exc:
        raise renamed(exc, origins) from None


def run(redactor: Redactor, writer: Writer) -> Outcome:
    """Do the step's one request (or dry run) and say how it ended; expected failures are outcomes too."""
    inputs: Inputs | None = None
    planned: PlannedRequest | None = None
    try:
        inputs = read_inputs(redactor)
        for text in inputs.warnings:
            writer.warning(text)
        planned = plan_request(inputs, redactor)
        auto_end = autoend.prepare(inputs, planned, redactor, writer)
        if inputs.dry_run:
            return Outcome(
                inputs.action, inputs.base_url, planned=planned, dry_run=True, write_summary=inputs.summary
            )
        settings = ClientSettings(inputs.base_url, inputs.api_key, inputs.timeout, inputs.retries)
        delivered = send(planned, settings, redactor)
        autoend.after_delivery(inputs, planned, delivered, auto_end, writer)
        return Outcome(
            inputs.action, inputs.base_url, planned=planned, delivered=delivered, write_summary=inputs.summary
        )
    except ActionError as exc:
        if inputs is None:
            action = exc.action if isinstance(exc, InputError) else ""
            return Outcome(action, "", error=exc)
        # Input and payload errors always fail: `errors: false` is about delivery, not about a broken step.
        keep_going = isinstance(exc, DeliveryError) and not inputs.errors
        return Outcome(
            inputs.action,
            inputs.base_url,
            planned=planned,
            error=exc,
            keep_going=keep_going,
            write_summary=inputs.summary,
        )


def _send_step(api_key: str, redactor: Redactor, writer: Writer) -> int:
    outcome = run(redactor, writer)
    writer.report(outcome)
    return outcome.exit_code


def main() -> int:
    return run_step(_send_step)
