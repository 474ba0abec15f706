"""Hostile step inputs for property-based tests and the fuzz bench: strategies, and one in-process run.

`run_in_process` drives the action's real `main()` (inputs -> payload -> request -> dry-run report) inside
this process, with `dry-run` on so nothing is ever sent, and checks the pipeline functions directly too, so
an unexpected exception surfaces as itself instead of as main()'s "internal error" annotation. A case is
"accepted" (exit 0), "rejected" (an `ActionError` whose every problem names a field or input) or a crash.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from activitysmith_action import autoend
from activitysmith_action import main as action_main
from activitysmith_action.actions import ACTION_NAMES
from activitysmith_action.errors import ActionError
from activitysmith_action.inputs import INPUT_NAMES, read_inputs
from activitysmith_action.models import ACTIVITY_TYPES
from activitysmith_action.redact import Redactor
from activitysmith_action.writer import Writer
from tests.support.run_action import input_env
from tests.support.runner_files import parse_env_file

NO_KEY = Redactor("")  # these runs have no API key to remove from messages

# Names a problem may carry besides the inputs: payload paths and the runner/env settings read.
_OTHER_FIELDS = ("GITHUB_OUTPUT", "ACTIVITYSMITH_BASE_URL")


class Crash(AssertionError):
    """The action raised something that is not an ActionError, or reported a bug, for this input."""


@dataclass(frozen=True)
class Outcome:
    verdict: str  # "accepted" or "rejected"
    message: str


# --- strategies -------------------------------------------------------------------------------------------
_TRICKY = [*"/.%\\:\n\r\t {}[],&*!|>'\"#@`?~<=-_", "%2F", "..", "\u2028", "\x00", "\ufeff", "::error::x"]
_nasty_text = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(_TRICKY)), max_size=40).map(
    "".join
)
_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=10**300, max_value=10**320),
    st.floats(allow_nan=True, allow_infinity=True),
)
_scalars = st.one_of(st.none(), st.booleans(), _numbers, _nasty_text)
json_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_nasty_text, children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def content_states(draw: st.DrawFn) -> dict[str, Any]:
    """Close to valid, so validation goes deep: a real type with fields of random value and type."""
    state: dict[str, Any] = {"title": draw(st.one_of(_nasty_text, _scalars))}
    if draw(st.booleans()):
        state["type"] = draw(st.one_of(st.sampled_from(ACTIVITY_TYPES), _nasty_text))
    for name in draw(
        st.lists(
            st.sampled_from(
                [
                    "value",
                    "percentage",
                    "number_of_steps",
                    "current_step",
                    "duration_seconds",
                    "is_running",
                    "message",
                    "metrics",
                    "subtitle",
                    "color",
                ]
            ),
            max_size=5,
            unique=True,
        )
    ):
        state[name] = draw(json_values)
    return state


@st.composite
def shaped_payloads(draw: st.DrawFn) -> str:
    """A payload shaped like a real one for some action, with hostile values, as JSON or as flow YAML."""
    body: dict[str, Any] = draw(
        st.one_of(
            st.fixed_dictionaries(
                {"title": _scalars}, optional={"message": _scalars, "actions": json_values}
            ),
            st.fixed_dictionaries({"content_state": content_states()}, optional={"alert": json_values}),
            st.fixed_dictionaries({"value": json_values}),
            st.fixed_dictionaries({"badge": _numbers}),
        )
    )
    # ensure_ascii=False: escaped astral characters (`\\ud83d\\ude80`) hit bug R4, which has its own test.
    return json.dumps(body, ensure_ascii=False, allow_nan=True)


@st.composite
def nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(min_value=1, max_value=200))
    opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}"), ('{"a": ', "}")]))
    return "content_state: " + opener * depth + "1" + closer * depth


@st.composite
def yaml_like(draw: st.DrawFn) -> str:
    """Text made of YAML's structural characters, so the scanner and parser meet odd corners."""
    pieces = st.sampled_from(
        [
            *(
                "title",
                ": ",
                "- ",
                "\n",
                "  ",
                "{",
                "}",
                "[",
                "]",
                ",",
                "&a ",
                "*a",
                "!!python/object ",
                "<<: ",
            ),
            *(
                "? ",
                "|",
                ">",
                "'",
                '"',
                "#",
                "%YAML 1.1\n",
                "---\n",
                "...\n",
                "~",
                "yes",
                "on",
                "0x10",
                ".inf",
            ),
            *("-.nan", "2026-01-01", "1e999", "\t", "\\u0000", "é", "🙂"),
        ]
    )
    return "".join(draw(st.lists(pieces, max_size=40)))


payload_texts = st.one_of(
    shaped_payloads(),
    json_values.map(lambda v: json.dumps(v, allow_nan=True, ensure_ascii=False)),
    yaml_like(),
    nested(),
    _nasty_text,
)
_numberish = st.one_of(
    _nasty_text,
    st.sampled_from(
        ["nan", "inf", "-inf", "1e309", "-0", "0", "0x10", "1_0", "٣", "10.5", "301", "11", " 2 "]
    ),
    _numbers.map(str),
)
_dry_run = st.one_of(
    st.sampled_from(["true", "True", "TRUE"]),
    _nasty_text.filter(lambda s: s.strip() not in ("", "false", "False", "FALSE")),
)


_plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60)
_STATE_TEMPLATES: tuple[dict[str, Any], ...] = (
    {"type": "value", "value": "$1"},
    {"type": "progress", "percentage": 40},
    {"type": "segmented_progress", "number_of_steps": 5, "current_step": 2},
    {"type": "alert", "message": "careful"},
    {"type": "metrics", "metrics": [{"label": "CPU", "value": 3, "unit": "%"}]},
)


@st.composite
def near_valid_payload(draw: st.DrawFn, action: str) -> str:
    """A payload the action should accept for `action`, with free text and numbers drawn at random."""
    if action == "send_push_notification":
        body: dict[str, Any] = {"title": draw(_plain_text), "message": draw(_plain_text)}
    elif action == "update_metric_value":
        body = {"value": draw(st.one_of(st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9)))}
    elif action == "update_app_icon_badge_count":
        body = {"badge": draw(st.integers(0, 10**6))}
    else:
        state = {"title": draw(_plain_text), **draw(st.sampled_from(_STATE_TEMPLATES))}
        if "percentage" in state:
            state["percentage"] = draw(st.integers(0, 100))
        body = {"content_state": state}
    if draw(st.booleans()):
        return json.dumps(body, ensure_ascii=False)
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items())  # flow YAML


_ID_FOR = {
    "update_live_activity": "live-activity-id",
    "end_live_activity": "live-activity-id",
    "stream_live_activity": "stream-key",
    "end_live_activity_stream": "stream-key",
    "update_metric_value": "metric-key",
}


@st.composite
def step_inputs(draw: st.DrawFn) -> dict[str, str]:
    """A whole `with:` block, dry-run on (or invalid): either a near-valid step with one or two hostile
    inputs, or hostile throughout. Both matter: the first reaches the deep validation and the dry-run report,
    the second the input checks."""
    hostile = draw(st.booleans())
    action = draw(st.sampled_from(ACTION_NAMES)) if not hostile or draw(st.booleans()) else draw(_nasty_text)
    inputs = {"action": action, "api-key": draw(st.sampled_from(["", "ask_fuzz_key_0123456789"]))}
    inputs["dry-run"] = draw(_dry_run) if hostile else "true"
    inputs["base-url"] = draw(_nasty_text) if hostile and draw(st.booleans()) else "http://127.0.0.1:9/api"
    if action in ACTION_NAMES and not (hostile and draw(st.booleans())):
        inputs["payload"] = draw(near_valid_payload(action))
    else:
        inputs["payload"] = draw(payload_texts)
    needed = _ID_FOR.get(action)
    if needed:
        valid = (
            "deploy.success_rate"
            if needed == "metric-key"
            else draw(st.from_regex(r"[A-Za-z0-9_-]{1,40}", fullmatch=True))
        )
        inputs[needed] = valid
    for name in ("live-activity-id", "stream-key", "metric-key"):
        if draw(st.integers(0, 7)) == 0:
            inputs[name] = draw(
                st.one_of(_nasty_text, st.sampled_from(["ok-id", "a/b", "..", "a%2Fb", "a b", "a\nb"]))
            )
    for name, strategy in (
        ("timeout", _numberish),
        ("retries", _numberish),
        ("channels", _nasty_text),
        ("errors", _nasty_text),
        ("summary", _nasty_text),
        ("payload-delimiter", _nasty_text),
        # quick inputs, auto-end and the job status (issue 11)
        ("title", _nasty_text),
        ("subtitle", _nasty_text),
        ("message", _nasty_text),
        ("type", st.one_of(_nasty_text, st.sampled_from(ACTIVITY_TYPES))),
        ("color", _nasty_text),
        ("current-step", _numberish),
        ("number-of-steps", _numberish),
        ("percentage", _numberish),
        ("link-to-run", st.one_of(_nasty_text, st.just("true"))),
        ("auto-end", _nasty_text),
        ("auto-end-payload", payload_texts),
        ("job-status", _nasty_text),
    ):
        if draw(st.integers(0, 7)) == 0:
            inputs[name] = draw(strategy)
    return {name: value.replace("\x00", "") for name, value in inputs.items()}  # env values cannot hold NUL


# --- one in-process run -----------------------------------------------------------------------------------
@contextlib.contextmanager
def runner_env(inputs: dict[str, str], workspace: Path) -> Iterator[Path]:
    """os.environ as the runner would set it for this step, restored afterwards."""
    saved = dict(os.environ)
    output = workspace / "github_output"
    output.write_text("")
    os.environ.clear()
    os.environ.update({k: v for k, v in saved.items() if not k.startswith(("INPUT_", "GITHUB_", "RUNNER_"))})
    os.environ.update(input_env(inputs))
    os.environ.update({"GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(workspace)})
    try:
        yield output
    finally:
        os.environ.clear()
        os.environ.update(saved)


def names_a_field(field: str) -> bool:
    return (
        field in INPUT_NAMES
        or field in _OTHER_FIELDS
        or field.startswith(("payload", "payload-file-path", "auto-end-payload"))
    )


def _pipeline() -> None:
    inputs = read_inputs(NO_KEY)
    planned = action_main.plan_request(inputs, NO_KEY)  # templating, quick inputs and the models
    with contextlib.redirect_stdout(io.StringIO()):  # its warnings; main() below prints the real ones
        autoend.prepare(inputs, planned, NO_KEY, Writer(NO_KEY))  # auto-end-payload, checked before a start


def run_in_process(inputs: dict[str, str], workspace: Path) -> Outcome:
    """Run the pipeline and main() on these inputs; raise Crash for anything but a clear accept/reject."""
    with runner_env(inputs, workspace) as output:
        try:
            _pipeline()
            verdict, message = "accepted", ""
        except ActionError as exc:
            unnamed = [p for p in exc.problems if not names_a_field(p.field)]
            if unnamed or not exc.problems:
                raise Crash(f"rejection without a field: {exc}; inputs={inputs!r}") from exc
            verdict, message = "rejected", str(exc)
        except Exception as exc:
            raise Crash(f"{type(exc).__name__}: {exc}; inputs={inputs!r}") from exc
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            code = action_main.main()
        log = stdout.getvalue()
        if "internal error" in log or "Traceback" in log:
            raise Crash(f"main() reported a bug: {log[-500:]}; inputs={inputs!r}")
        if code != (0 if verdict == "accepted" else 1):
            raise Crash(f"main() exited {code} for a case the pipeline {verdict}; inputs={inputs!r}")
        outputs = parse_env_file(output.read_text(encoding="utf-8"))
        if outputs.get("ok") != ("true" if verdict == "accepted" else "false"):
            raise Crash(f"ok output {outputs.get('ok')!r} for a {verdict} case; inputs={inputs!r}")
    return Outcome(verdict, message)
