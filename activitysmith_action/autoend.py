"""Auto-end: a Live Activity this step started is ended when the job fails or is cancelled.

A deploy that fails after its start step would otherwise leave "step 2 of 4" on every lock screen for hours.
action.yml declares a post step (`post-entrypoint`, `post-if: failure() || cancelled()`); the runner runs it
after the job's steps, in a new container of the same image, once for every use of the action in the job.

The handoff, in three pieces:
* The step that started something (`start_live_activity`, or a stream PUT the API answered `started` or
  `rotated`) saves what its post step needs with GITHUB_STATE: the activity id or stream key, what the
  activity shows, where to send, and the checked `auto-end-payload`. Never the key: the post step gets the
  same inputs, `api-key` included. Only that step's post step receives its state (`STATE_auto_end`), so only
  the step that started an activity can end it, and each start in a job ends only its own.
* Every step that touches an activity writes what the API answered into the job's journal in HOME
  (journal.py): an end that answered success, a stream DELETE that answered `ended`, an update the API
  accepted (and whether it reached the last step), so the post step knows when a later step already ended it.
* The post step (`run_post`) reads both. Nothing saved, auto-end off, or already ended: it says so and
  exits 0. Otherwise it ends the activity (or the stream) with the final state: red, a subtitle naming the
  job and whether it failed or was cancelled (`job-status` is `${{ job.status }}`, evaluated by the runner
  when the post step runs; "did not finish" when the runner gives no status), and a short auto-dismiss,
  overridable with `auto-end-payload`. It fails only when the activity could not be ended (it would stay
  stuck), and not even then with `errors: false`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from activitysmith_action import journal, runner
from activitysmith_action.chain import job_status
from activitysmith_action.client import ClientSettings, Delivered, send
from activitysmith_action.errors import ActionError, ApiError, DeliveryError, PayloadError, Problem
from activitysmith_action.inputs import Inputs
from activitysmith_action.journal import Target
from activitysmith_action.outcome import Outcome
from activitysmith_action.payload import parse_payload
from activitysmith_action.redact import Redactor
from activitysmith_action.request import PlannedRequest, build_request
from activitysmith_action.template import substitute
from activitysmith_action.writer import Writer

__all__ = [
    "DEFAULT_DISMISS_MINUTES",
    "NOTHING_SAVED",
    "STATE_NAME",
    "VARIANT_ENV",
    "after_delivery",
    "final_body",
    "known_fields",
    "last_step_reached",
    "prepare",
    "run_post",
    "status_sentence",
]

STATE_NAME = "auto_end"
# Set by host/run.sh: the host variant is a composite action, which has no post step.
VARIANT_ENV = "ACTIVITYSMITH_ACTION_VARIANT"
# The post step's one line when its main step handed it nothing. A runner that passes no state to a container
# action's post step (act) lands here too, so the line names that case instead of claiming nothing started.
NOTHING_SAVED = (
    "ActivitySmith auto-end: nothing to end: this step saved no Live Activity for its post step (it started "
    "none, auto-end was off, or the runner passed no STATE_auto_end)."
)
DEFAULT_COLOR = "red"
DEFAULT_DISMISS_MINUTES = 2
# What the final state may need to repeat: the title (always required) and each type's required fields.
KNOWN_FIELDS = ("title", "type", "number_of_steps", "current_step", "percentage", "value", "upper_limit")
_DISMISS_FIELDS = ("auto_dismiss_minutes", "auto_dismiss_seconds")
_END_ACTIONS = {"activity": "end_live_activity", "stream": "end_live_activity_stream"}


# --- what an activity shows, and when it is finished ------------------------------------------------------
def known_fields(content_state: Any, before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The fields of an accepted content state the final state may need, over what was known before."""
    known = dict(before or {})
    if isinstance(content_state, dict):
        known |= {name: content_state[name] for name in KNOWN_FIELDS if content_state.get(name) is not None}
    return known


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def last_step_reached(known: Mapping[str, Any]) -> str | None:
    """How an accepted update finished the activity ("reached its last step (3 of 3)"), or None."""
    kind = known.get("type")
    if kind == "segmented_progress":
        steps, step = _number(known.get("number_of_steps")), _number(known.get("current_step"))
        if steps is not None and step is not None and step >= steps:
            return f"reached its last step ({known['current_step']} of {known['number_of_steps']})"
    elif kind == "progress":
        percentage = _number(known.get("percentage"))
        value, limit = _number(known.get("value")), _number(known.get("upper_limit"))
        if percentage is not None and percentage >= 100:
            return "reached 100%"
        if value is not None and limit is not None and value >= limit:
            return f"reached {known['value']} of {known['upper_limit']}"
    return None


# --- the final state --------------------------------------------------------------------------------------
def status_sentence(status: str, env: Mapping[str, str]) -> str:
    """E.g. "Job deploy of Deploy failed": which job, and whether it failed, was cancelled or (status
    unknown) did not finish."""
    what = {"failure": "failed", "cancelled": "was cancelled"}.get(status, "did not finish")
    job, workflow = env.get("GITHUB_JOB", "").strip(), env.get("GITHUB_WORKFLOW", "").strip()
    if not job:
        return f"The job {what}"
    return f"Job {job} of {workflow} {what}" if workflow else f"Job {job} {what}"


def final_body(
    known: Mapping[str, Any], override: Mapping[str, Any], status: str, env: Mapping[str, str]
) -> dict[str, Any]:
    """The end request's body: red, the status sentence as subtitle, what the type needs to end, a short
    auto-dismiss; then `auto-end-payload` on top (its content_state field by field, anything else whole)."""
    sentence = status_sentence(status, env)
    state: dict[str, Any] = {
        "title": known.get("title") or sentence,
        "subtitle": sentence,
        "color": DEFAULT_COLOR,
    }
    kind = known.get("type")
    if isinstance(kind, str):
        state["type"] = kind
    # What each type needs to end; with the type unknown (a stream restarted without one), everything known:
    # the service accepted those fields together.
    needs = {
        "segmented_progress": ("number_of_steps", "current_step"),
        "progress": ("percentage", "value", "upper_limit"),
        "value": ("value", "upper_limit"),
        "": KNOWN_FIELDS[2:],
    }.get(kind if isinstance(kind, str) else "", ())
    state |= {name: known[name] for name in needs if name in known}
    if kind == "segmented_progress":
        state["step_color"] = DEFAULT_COLOR
    elif kind == "alert":
        state["message"] = sentence
    state["auto_dismiss_minutes"] = DEFAULT_DISMISS_MINUTES
    body = {name: value for name, value in override.items() if name != "content_state"}
    chosen = override.get("content_state")
    if isinstance(chosen, dict):
        if any(name in chosen for name in _DISMISS_FIELDS):
            for name in _DISMISS_FIELDS:
                state.pop(name, None)
        state |= chosen
    elif chosen is not None:
        state = chosen  # not an object: the model names it
    body["content_state"] = state
    return body


def _final_request(
    target: Target,
    known: Mapping[str, Any],
    override: Mapping[str, Any],
    status: str,
    api_key: str,
    redactor: Redactor,
) -> PlannedRequest:
    action = _END_ACTIONS[target.kind]
    inputs = Inputs(
        action=action,
        api_key=api_key,
        live_activity_id=target.ident if target.kind == "activity" else "",
        stream_key=target.ident if target.kind == "stream" else "",
    )
    return build_request(inputs, final_body(known, override, status, os.environ), redactor)


# --- the main step ----------------------------------------------------------------------------------------
def prepare(
    inputs: Inputs, planned: PlannedRequest, redactor: Redactor, writer: Writer
) -> dict[str, Any] | None:
    """For a step that may start a Live Activity with auto-end on: the `auto-end-payload`, parsed, templated
    and checked now (a final state the API would refuse must fail this step, not surface after a failure);
    {} when not given. None when this step hands nothing to its post step."""
    text = inputs.auto_end_payload
    if planned.spec.phase not in ("start", "stream"):
        if text:
            writer.warning(
                f"auto-end-payload is ignored for {inputs.action}: only start_live_activity and "
                "stream_live_activity start a Live Activity"
            )
        return None
    if not inputs.auto_end:
        if text:
            writer.warning("auto-end-payload is ignored: auto-end is false")
        return None
    if os.environ.get(VARIANT_ENV) == "host":
        # A composite action has no post step, so nothing would ever read the saved state.
        writer.notice(
            "auto-end is not available in the host variant (composite actions have no post step): end this "
            "Live Activity from a later step with if: failure() || cancelled()"
        )
        return None
    field = "auto-end-payload"
    override = substitute(parse_payload(text, field), os.environ, redactor, base=field) if text else {}
    assert override is not None  # substitute returns None only for None
    state = (planned.body or {}).get("content_state")
    target = (
        Target("stream", inputs.stream_key) if planned.spec.phase == "stream" else Target("activity", "check")
    )
    try:
        _final_request(target, known_fields(state), override, "failure", inputs.api_key, redactor)
    except PayloadError as exc:
        raise PayloadError(
            exc.code,
            [Problem(field + p.field.removeprefix("payload"), p.message) for p in exc.problems],
        ) from None
    return override


def _started(planned: PlannedRequest, delivered: Delivered, inputs: Inputs) -> Target | None:
    """What this step started, by the API's answer: a start's activity, or a stream that started/rotated."""
    answer = delivered.body
    if planned.spec.phase == "start" and isinstance(answer.get("activity_id"), str) and answer["activity_id"]:
        return Target("activity", answer["activity_id"])
    if planned.spec.phase == "stream" and answer.get("operation") in ("started", "rotated"):
        return Target("stream", inputs.stream_key)
    return None


def _holds_key(redactor: Redactor, text: str) -> bool:
    """Whether the text holds the key (in any form the redactor knows): such text is never written to disk."""
    return redactor.redact(text) != text


def _record(
    planned: PlannedRequest, delivered: Delivered, inputs: Inputs, env: Mapping[str, str], redactor: Redactor
) -> None:
    """Write what the answer proves into the job's journal (see the module docstring)."""
    phase, answer = planned.spec.phase, delivered.body
    state = (planned.body or {}).get("content_state")
    operation = answer.get("operation")
    target: Target | None = None
    ended: dict[str, str] | None = None
    fresh = False
    if phase == "start":
        target, fresh = _started(planned, delivered, inputs), True
    elif phase in ("update", "end"):
        target = Target("activity", inputs.live_activity_id)
        if phase == "end" and answer.get("success") is True:
            ended = {"by": f"a later {planned.action} step", "detail": "the API answered success"}
    elif phase == "stream" and operation in ("started", "rotated", "updated"):
        target, fresh = Target("stream", inputs.stream_key), operation != "updated"
    elif phase == "stream_end" and operation == "ended":
        target = Target("stream", inputs.stream_key)
        ended = {"by": f"a later {planned.action} step", "detail": "the API answered operation ended"}
    if target is None:
        return
    before = journal.read(target, env)
    if fresh:  # a new activity: nothing of the old one applies but its type (a stream restarts without one)
        kind = ((before or {}).get("known") or {}).get("type")
        before = {"known": {"type": kind}} if isinstance(kind, str) else None
    known = known_fields(state, (before or {}).get("known"))
    if ended is None and phase in ("update", "stream"):
        finished = last_step_reached(known)
        if finished:
            ended = {"by": f"a later {planned.action} step", "detail": f"an accepted update {finished}"}
    if ended is None and before:
        ended = before.get("ended")  # an end stays an end; only a new start (fresh) clears it
    record = {"known": known, "ended": ended}
    if _holds_key(redactor, target.ident + json.dumps(record, ensure_ascii=False)):
        return  # an answer echoing the key: not even a file name may carry it
    journal.write(target, record, env)


def after_delivery(
    inputs: Inputs,
    planned: PlannedRequest,
    delivered: Delivered,
    override: dict[str, Any] | None,
    writer: Writer,
) -> None:
    """Record the answer in the journal and, when this step started something with auto-end on, hand it to
    the post step. Never fails the step: the request itself succeeded."""
    env = os.environ
    try:
        _record(planned, delivered, inputs, env, writer.redactor)
    except OSError as exc:
        writer.debug(f"auto-end: could not write the job's Live Activity journal in HOME ({exc})")
    target = _started(planned, delivered, inputs) if override is not None else None
    if target is None:
        return
    saved = {
        "target": {"kind": target.kind, "ident": target.ident},
        "known": known_fields((planned.body or {}).get("content_state")),
        "override": override,
        "base_url": inputs.base_url,
        "timeout": inputs.timeout,
        "retries": inputs.retries,
        "errors": inputs.errors,
        "summary": inputs.summary,
    }
    text = json.dumps(saved, ensure_ascii=False)
    if _holds_key(writer.redactor, text):
        writer.warning(
            "auto-end is off for this step: the API's answer holds the API key, which is never saved"
        )
        return
    try:
        runner.save_state(STATE_NAME, text)
    except (OSError, runner.RunnerProtocolError) as exc:
        writer.warning(f"auto-end is off for this step: its state could not be saved ({exc})")
        return
    writer.info(
        f"auto-end: if this job fails or is cancelled, this step's post step ends {target.describe()}"
    )


# --- the post step ----------------------------------------------------------------------------------------
def _saved() -> dict[str, Any] | None:
    raw = runner.get_state(STATE_NAME)
    if not raw:
        return None
    try:
        saved = json.loads(raw)
        target = saved["target"]
        saved["target"] = Target(target["kind"], str(target["ident"]))
        if saved["target"].kind not in _END_ACTIONS or not isinstance(saved.get("override"), dict):
            raise ValueError("unknown target kind")
    except (ValueError, KeyError, TypeError):
        return {}
    return dict(saved)


def run_post(api_key: str, redactor: Redactor, writer: Writer) -> int:
    """The post step: end what this step started, unless a later step already did. Returns the exit code."""
    saved = _saved()
    if saved is None:
        writer.info(NOTHING_SAVED)
        return 0
    if not saved:
        writer.warning(
            "auto-end: the state this step saved for its post step is unreadable; nothing was ended"
        )
        return 0
    target: Target = saved["target"]
    env = os.environ
    record = journal.read(target, env) or {}
    ended = record.get("ended")
    if isinstance(ended, dict):
        writer.info(
            f"ActivitySmith auto-end: {target.describe()} was already ended by {ended.get('by')} "
            f"({ended.get('detail')}), so there is nothing to do."
        )
        return 0
    journaled = record.get("known")
    known: dict[str, Any] = journaled if isinstance(journaled, dict) else dict(saved.get("known") or {})
    status = job_status(runner.get_input("job-status"))
    base_url = str(saved.get("base_url", ""))
    write_summary = saved.get("summary") is not False
    action = _END_ACTIONS[target.kind]
    try:
        planned = _final_request(target, known, saved["override"], status, api_key, redactor)
    except PayloadError as exc:
        writer.report(Outcome(action, base_url, error=exc, write_summary=write_summary))
        return 1
    settings = ClientSettings(
        base_url, api_key, float(saved.get("timeout", 10)), int(saved.get("retries", 3))
    )
    writer.info(f"ActivitySmith auto-end: {status_sentence(status, env)}; ending {target.describe()}.")
    try:
        delivered = send(planned, settings, redactor)
    except DeliveryError as exc:
        if isinstance(exc, ApiError) and exc.status == 404:
            writer.notice(
                f"auto-end: {target.describe()} is already gone (HTTP 404: {exc.api_error}); nothing to end"
            )
            return 0
        outcome = Outcome(
            action,
            base_url,
            planned=planned,
            error=exc,
            keep_going=saved.get("errors") is False,
            write_summary=write_summary,
        )
        writer.report(outcome)
        return outcome.exit_code
    except ActionError as exc:  # a proxy setting httpx cannot use: nothing was sent
        writer.report(Outcome(action, base_url, planned=planned, error=exc, write_summary=write_summary))
        return 1
    try:
        journal.write(
            target,
            {
                "known": known,
                "ended": {"by": "an auto-end post step", "detail": status_sentence(status, env)},
            },
            env,
        )
    except OSError as exc:
        writer.debug(f"auto-end: could not write the job's Live Activity journal in HOME ({exc})")
    writer.report(
        Outcome(action, base_url, planned=planned, delivered=delivered, write_summary=write_summary)
    )
    return 0
