"""The action's validation and the service's agree: a request the action lets through never gets a 400.

For every action, near-valid payloads are made from complete, valid templates by changing ONE field: a wrong
type, an out-of-range number, an unknown field, a bad enum value, a bad URL, too many items, a removed field,
or another Live Activity type. Each is run through `build_request` (no network) and then sent to the local
service over real HTTP, exactly as built:

* the action ACCEPTS -> the service must not answer 400 (2xx, or the documented 422 "No recipients found"
  when a payload names a channel nobody is in; anything else, 5xx included, is a failure);
* the action REJECTS -> the same body must get a 400, unless every problem the action reported is in
  `DELIBERATELY_STRICTER`, the short list of rules where the action refuses on purpose what the API takes.

The deterministic table walks every field of every template with values picked by the field's kind; the
hypothesis tests (project profiles: 150 examples per action in CI) draw arbitrary text and numbers for the
same fields. Update and end run against an activity just started with the template's type, stream PUT and
DELETE against a stream whose first PUT already started it, so both sides judge the same phase. (The action
cannot know whether a PUT is a stream's first, nor an activity's type when an update omits it; those
requirements are the service's alone, so a mutation never removes `type` together with a required field.)
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from activitysmith_action.actions import ACTION_NAMES
from activitysmith_action.errors import PayloadError, Problem
from activitysmith_action.inputs import Inputs
from activitysmith_action.models import ACTIVITY_TYPES
from activitysmith_action.redact import Redactor
from activitysmith_action.request import _body, build_request
from tests.support.service import LocalService

NO_KEY = Redactor("")  # these runs have no API key to remove from messages

# --- the service's seed for this module ------------------------------------------------------------------
# Limits that never get in the way: thousands of requests in a minute, and as many Live Activities on the
# device as the cases start (update and end each need a live one of their own).
_HUGE = 10**9


def _config(api_key: str) -> dict[str, Any]:
    return {
        "settings": {
            "default_device_capacity": _HUGE,
            "rate_limits": {
                "ip": _HUGE,
                "notifications": _HUGE,
                "live_activities": _HUGE,
                "metrics": _HUGE,
                "badges": _HUGE,
            },
        },
        "accounts": [
            {
                "name": "agreement",
                "channels": ["ops", "deploys"],
                "api_keys": [{"key": api_key}],
                "members": [
                    {
                        "name": "you",
                        "channels": ["ops", "deploys"],
                        "devices": [{"id": "iphone", "capacity": _HUGE}],
                    }
                ],
                "metrics": ["deploy.success_rate"],
            }
        ],
    }


# --- rules where the action is deliberately stricter than the service -------------------------------------
@dataclass(frozen=True)
class Stricter:
    field: str  # regex on Problem.field
    message: str  # regex on Problem.message
    reason: str


DELIBERATELY_STRICTER: tuple[Stricter, ...] = (
    Stricter(
        r"payload\.secondary_action",
        r"is not shown on type",
        "secondary_action shows only on alert/progress/segmented_progress/value (docs/api.md, Live "
        "Activities); elsewhere it is lost",
    ),
    Stricter(
        r"payload\.content_state\.step_color",
        r"only used by type segmented_progress",
        "step_color is documented for segmented_progress only (docs/api.md, Live Activity types); on other "
        "types it does nothing",
    ),
    Stricter(
        r"payload\.(secondary_)?action(s\[\d\])?\.body",
        r"only used with type: webhook",
        "a body is 'used only when type=webhook'; on open_url it would be silently dropped (method is "
        "accepted there: the official SDK sends its default on every button)",
    ),
    Stricter(
        r"payload\.(.*\.)?(title|label|symbol|value)",
        r"^must not be empty",
        "blank text the device shows (titles, labels, symbols, a value readout) would render as nothing",
    ),
    Stricter(
        r"payload\.(media|(secondary_)?action(s\[\d\])?\.url)",
        r"must not contain credentials",
        "user:password@ would be stored in ActivitySmith history; the API bans it only on icon "
        "(docs/api.md, Push)",
    ),
)


def _stricter_on_purpose(problems: list[Problem]) -> bool:
    return bool(problems) and all(
        any(re.fullmatch(s.field, p.field) and re.search(s.message, p.message) for s in DELIBERATELY_STRICTER)
        for p in problems
    )


# --- complete, valid templates ----------------------------------------------------------------------------
_OPEN = {"title": "Open", "type": "open_url", "url": "https://example.com/run/1"}
_HOOK = {
    "title": "Retry",
    "type": "webhook",
    "url": "https://hooks.example.com/x",
    "method": "POST",
    "body": {},
}

# One complete start state per type (and the two ways of progress and timer).
START_STATES: dict[str, dict[str, Any]] = {
    "segmented_progress": {
        "title": "Deploy",
        "type": "segmented_progress",
        "subtitle": "prod",
        "number_of_steps": 5,
        "current_step": 2,
        "step_color": "green",
        "step_colors": ["green", "blue"],
        "color": "cyan",
        "icon": {"symbol": "bolt", "color": "red"},
        "badge": {"title": "Live", "color": "green"},
    },
    "progress": {"title": "Upload", "type": "progress", "percentage": 40, "color": "blue"},
    "progress_value": {"title": "Upload", "type": "progress", "value": 3, "upper_limit": 10},
    "metrics": {
        "title": "Server",
        "type": "metrics",
        "metrics": [
            {"label": "CPU", "value": 27, "unit": "%", "color": "blue"},
            {"label": "MEM", "value": "64%"},
        ],
    },
    "stats": {"title": "Stats", "type": "stats", "metrics": [{"label": "Users", "value": 3}]},
    "alert": {"title": "Incident", "type": "alert", "message": "db is slow", "badge": {"title": "P1"}},
    "timer": {
        "title": "Build",
        "type": "timer",
        "duration_seconds": 600,
        "counts_down": True,
        "is_running": True,
    },
    "timer_up": {"title": "On call", "type": "timer", "counts_down": False},
    "value": {"title": "Revenue", "type": "value", "value": "$1,240", "subtitle": "today"},
}
_SHOWS_SECONDARY = {"segmented_progress", "progress", "alert", "value"}


def _update_state(name: str) -> dict[str, Any]:
    """What an update or end carries: the start state without start-only timer fields."""
    state = dict(START_STATES[name])
    if name == "timer":
        state.pop("duration_seconds")
    return state


# Buttons and the other top-level fields ride on two types only (one that shows secondary_action, one that
# does not), which keeps the table small: on the others the same fields would be judged the same way.
_FULL = ("segmented_progress", "metrics")


def _with_buttons(name: str, state: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"content_state": state}
    if name in _FULL:
        body["action"] = dict(_OPEN)
        if state["type"] in _SHOWS_SECONDARY:
            body["secondary_action"] = copy.deepcopy(_HOOK)
    return body


def _extras(name: str, extras: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(extras) if name in _FULL else {}


def _templates(action: str) -> list[dict[str, Any]]:
    if action == "replace_push_notification":  # a push's content again: no target, sound or level
        unsent = ("target", "sound", "interruption_level")
        return [
            {k: v for k, v in body.items() if k not in unsent}
            for body in _templates("send_push_notification")
        ]
    if action == "send_push_notification":
        return [
            {"title": "Build", "message": "passed"},
            {
                "title": "Build failed",
                "message": "m",
                "subtitle": "s",
                "icon": "https://example.com/i.png",
                "interruption_level": "time-sensitive",
                "redirection": "https://ci.example.com/b/1",
                "actions": [dict(_OPEN), copy.deepcopy(_HOOK)],
                "payload": {"build": 1},
                "badge": 1,
                "sound": "default",
                "target": {"channels": ["ops"]},
                "tags": ["build", "user:1"],
                "metadata": {"build": "1", "ok": True, "n": 2.5},
            },
            {"title": "Report", "media": "https://example.com/r.png", "redirection": "myapp://open"},
        ]
    if action == "start_live_activity":
        extras = {
            "alert": {"title": "Started", "body": "go"},
            "target": {"channels": ["ops"]},
            "tags": ["deploy"],
            "metadata": {"sha": "abc"},
        }
        return [{**_with_buttons(n, dict(s)), **_extras(n, extras)} for n, s in START_STATES.items()]
    if action in ("update_live_activity", "end_live_activity"):
        extras = {"tags": ["Any text ok"], "metadata": {"step": 2}}
        return [{**_with_buttons(n, _update_state(n)), **_extras(n, extras)} for n in START_STATES]
    if action == "stream_live_activity":
        extras = {"alert": {"title": "t"}, "channels": ["ops"], "tags": ["s"], "metadata": {"k": 1}}
        stream = [{**_with_buttons(n, _update_state(n)), **_extras(n, extras)} for n in START_STATES]
        stream[0]["content_state"]["auto_dismiss_seconds"] = 30
        stream[1]["content_state"]["auto_dismiss_minutes"] = 2
        stream[0]["target"] = {"channels": ["ops"]}
        return stream
    if action == "end_live_activity_stream":
        extras = {"tags": ["s"], "metadata": {"k": 1}}
        ends = [{**_with_buttons(n, _update_state(n)), **_extras(n, extras)} for n in START_STATES]
        ends[0]["content_state"]["auto_dismiss_seconds"] = 0
        ends[1]["content_state"]["auto_dismiss_minutes"] = 1
        ends[0]["alert"] = {"title": "done"}
        return [{}, *ends]
    if action == "update_metric_value":
        return [{"value": 99.9}, {"value": "ok", "timestamp": "2026-01-28T09:57:22Z"}]
    assert action == "update_app_icon_badge_count"
    return [{"badge": 3}, {"badge": 0, "target": {"channels": ["ops", "deploys"]}}]


@dataclass(frozen=True)
class Template:
    action: str
    state: str | None  # the START_STATES entry the activity or stream is started with
    body: dict[str, Any]


def templates(action: str) -> list[Template]:
    bodies = _templates(action)
    if action in ("update_live_activity", "end_live_activity", "stream_live_activity"):
        return [Template(action, n, b) for n, b in zip(START_STATES, bodies, strict=True)]
    if action == "end_live_activity_stream":
        return [Template(action, "value", bodies[0])] + [
            Template(action, n, b) for n, b in zip(START_STATES, bodies[1:], strict=True)
        ]
    return [Template(action, None, b) for b in bodies]


# --- one field at a time ----------------------------------------------------------------------------------
class _Delete:
    def __repr__(self) -> str:
        return "<deleted>"


DELETE = _Delete()
Path = tuple[str | int, ...]


def field_paths(value: Any, prefix: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every field and list item below `value`, with its current value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key), item
            yield from field_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index), item
            yield from field_paths(item, (*prefix, index))


def object_paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    if isinstance(value, dict):
        yield prefix
    for path, item in field_paths(value, prefix):
        if isinstance(item, dict):
            yield path


def mutate(body: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    parent: Any = out
    for part in path[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[path[-1]]
    elif isinstance(parent, list) and path[-1] == len(parent):
        parent.append(copy.deepcopy(value))
    else:
        parent[path[-1]] = copy.deepcopy(value)
    return out


_COLOURS = ["blue", "gray", "grey", "Blue", "pink", ""]
_URLS = [
    "https://example.com/a",
    "https://",
    "https://?q=1",
    "https:///path",
    "https://:443/x",
    "https://[::1",
    "https://u:p@example.com/x",
    "HTTPS://example.com/x",
    "http://example.com/x",
    "http://",
    "http:example.com",
    "ftp://example.com/x",
    "shortcuts://run-shortcut?name=Deploy",
    "shortcuts://open",
    "myapp://open/1",
    "spotify:track:123",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
    "itms-services://?action=download",
    "example.com/no-scheme",
    "",
    " https://example.com",
    "https://example.com/" + "a" * 2100,
]
_ENUMS: dict[str, list[Any]] = {
    "type": [*ACTIVITY_TYPES, "open_url", "webhook", "Alert", "", "counter"],
    "interruption_level": ["passive", "active", "time-sensitive", "critical", "timeSensitive", ""],
    "method": ["GET", "POST", "get", "PUT", ""],
    "color": _COLOURS,
    "step_color": _COLOURS,
}
_URL_FIELDS = {"url", "redirection", "icon", "media"}
_TEXT = ["", " ", "x", "é🙂", "a" * 64, "a" * 65, "a" * 4001, "Tag With Space", "-lead", "ok.tag:1_-"]
_NUMBERS = [-1, -0.5, 0, 0.5, 1, 2, 5, 6, 64, 100, 100.5, 101, 2147483647, 2147483648, 10**20, 1e300]
_WRONG_TYPES = [None, True, 1, 1.5, "1", [], {}, ["x"], {"a": 1}]
_DATES = [
    "2026-01-28T09:57:22Z",
    "2026-01-28T09:57:22.929Z",
    "2026-01-28",
    "2026-01-28 09:57",
    "28/01/2026",
    "x",
]


def values_for(path: Path, current: Any) -> list[Any]:
    """Values for one field, chosen by its name and kind, plus wrong types and removal."""
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    values: list[Any] = [DELETE, *_WRONG_TYPES]
    if isinstance(path[-1], int) and path[-2] == "step_colors":
        values += _COLOURS
    elif name in _ENUMS and isinstance(current, str):
        values += _ENUMS[name]
    elif name in _URL_FIELDS and isinstance(current, str):
        values += _URLS
    elif name == "timestamp":
        values += _DATES
    elif isinstance(current, str):
        values += _TEXT
    elif isinstance(current, bool):
        values += [not current, 0, "true"]
    elif isinstance(current, int | float):
        values += _NUMBERS
    elif isinstance(current, list):
        item = current[0] if current else "x"
        values += [
            [item] * 4,
            [item] * 5,
            [item] * 9,
            [item] * 21,
            [f"t{i}" for i in range(21)],
            [None],
            [""],
        ]
    elif isinstance(current, dict):
        values += [{"x": "y"}, {"": "y"}, {"k" * 101: 1}, {str(i): i for i in range(51)}, {"v": "a" * 4001}]
    return values


# Fields the body may gain: unknown ones everywhere, and the documented optional ones that templates lack.
_ADDED: list[tuple[str, Any]] = [
    ("unknown_field", 1),
    ("channels", ["ops"]),
    ("target", {"channels": ["ops"]}),
    ("alert", {"title": "a"}),
    ("secondary_action", dict(_OPEN)),
    ("media", "https://example.com/m.png"),
    ("actions", [dict(_OPEN)]),
    ("auto_dismiss_minutes", 1),
    ("auto_dismiss_seconds", 1),
    ("step_color", "blue"),
    ("number_of_steps", 3),
    ("current_step", 9),
    ("percentage", 50),
    ("value", 5),
    ("upper_limit", 10),
    ("duration_seconds", 30),
    ("counts_down", False),
    ("message", "m"),
    ("metrics", [{"label": "L", "value": 1}]),
    ("timestamp", "2026-01-28T09:57:22Z"),
]


def mutations(template: Template) -> Iterator[tuple[Path, Any]]:
    """Every one-field change of the template the table runs."""
    body = template.body
    for path, current in field_paths(body):
        for value in values_for(path, current):
            yield path, value
    for parent in object_paths(body):
        node: Any = body
        for part in parent:
            node = node[part]
        for key, value in _ADDED:
            if key not in node:
                yield (*parent, key), value
    for path, current in field_paths(body):
        if isinstance(current, list):
            yield (*path, len(current)), current[0] if current else "x"


# --- running one case on both sides -----------------------------------------------------------------------
@dataclass
class Verdict:
    case: str
    problem: str


class Judge:
    """Sends cases to the service and collects every disagreement (so one run reports them all)."""

    def __init__(self, service: LocalService) -> None:
        service.reset(_config(service.api_key))
        self.service = service
        self.client = httpx.Client(
            base_url=service.base_url,
            headers={"Authorization": f"Bearer {service.api_key}", "Content-Type": "application/json"},
            timeout=10,
        )
        self.serial = itertools.count()
        self.cases = 0
        self.disagreements: list[Verdict] = []

    def close(self) -> None:
        self.client.close()

    def _send(self, method: str, path: str, body: Any) -> httpx.Response:
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        return self.client.request(method, path, content=content)

    def _must(self, method: str, path: str, body: Any) -> httpx.Response:
        response = self._send(method, path, body)
        assert response.status_code == 200, f"setup {method} {path} {body}: {response.text}"
        return response

    def _inputs(self, template: Template) -> Inputs:
        """Inputs for the template's action; starts the activity or stream it needs on the service."""
        action, state = template.action, template.state
        if action in ("update_live_activity", "end_live_activity"):
            assert state is not None
            started = self._must("POST", "/live-activity/start", {"content_state": START_STATES[state]})
            return Inputs(action=action, api_key="k", live_activity_id=started.json()["activity_id"])
        if action in ("stream_live_activity", "end_live_activity_stream"):
            assert state is not None
            key = f"agreement-{next(self.serial)}"
            started = self._must(
                "PUT", f"/live-activity/stream/{key}", {"content_state": START_STATES[state]}
            )
            assert started.json()["operation"] == "started"
            return Inputs(action=action, api_key="k", stream_key=key)
        if action == "update_metric_value":
            return Inputs(action=action, api_key="k", metric_key="deploy.success_rate")
        if action == "replace_push_notification":
            sent = self._must("POST", "/push-notification", {"title": "Build started"})
            return Inputs(action=action, api_key="k", notification_id=sent.json()["notification_id"])
        return Inputs(action=action, api_key="k")

    def check(self, template: Template, payload: Any, label: str) -> None:
        self.cases += 1
        inputs = self._inputs(template)
        case = f"{template.action} [{template.state}] {label}: {json.dumps(payload, default=str)[:300]}"
        try:
            planned = build_request(inputs, payload, NO_KEY)
        except PayloadError as exc:
            problems = list(exc.problems)
            body = _body(inputs, payload)
            path = planned_path(inputs)
            response = self._send(METHODS[inputs.action], path, body)
            if response.status_code != 400 and not _stricter_on_purpose(problems):
                self.disagreements.append(
                    Verdict(
                        case,
                        f"action refused ({'; '.join(map(str, problems))}) but service answered "
                        f"{response.status_code} {response.text[:200]}",
                    )
                )
            return
        response = self._send(planned.method, planned.path, planned.body)
        if not _accepted(response):
            self.disagreements.append(
                Verdict(
                    case, f"action accepted but service answered {response.status_code} {response.text[:300]}"
                )
            )

    def report(self) -> str:
        lines = [f"{len(self.disagreements)} of {self.cases} cases disagree:"]
        lines += [f"- {d.case}\n    {d.problem}" for d in self.disagreements[:40]]
        return "\n".join(lines)


METHODS = {
    "send_push_notification": "POST",
    "replace_push_notification": "PUT",
    "start_live_activity": "POST",
    "update_live_activity": "POST",
    "end_live_activity": "POST",
    "stream_live_activity": "PUT",
    "end_live_activity_stream": "DELETE",
    "update_metric_value": "POST",
    "update_app_icon_badge_count": "POST",
}


def planned_path(inputs: Inputs) -> str:
    """The path build_request would use (computed from a payload it surely accepts for the action)."""
    return build_request(inputs, None, NO_KEY).path


def _accepted(response: httpx.Response) -> bool:
    """2xx, or 422 No recipients: a payload may name a channel nobody in the seed belongs to."""
    if response.is_success:
        return True
    return response.status_code == 422 and response.json().get("error") == "No recipients found"


@pytest.fixture
def judge(service: LocalService) -> Iterator[Judge]:
    judge = Judge(service)
    yield judge
    judge.close()


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_table_of_one_field_changes(judge: Judge, action: str) -> None:
    for template in templates(action):
        judge.check(template, template.body, "template as is")
        for path, value in mutations(template):
            label = ".".join(map(str, path)) + f" = {value!r}"[:80]
            judge.check(template, mutate(template.body, path, value), label)
    assert not judge.disagreements, judge.report()


# --- the same, with arbitrary values (hypothesis; 150 examples per action under the CI profile) ------------
_POOL = sorted(
    {json.dumps(v) for v in [*_WRONG_TYPES, *_TEXT, *_NUMBERS, *_URLS, *_DATES, *_COLOURS]}
    | {json.dumps(v) for values in _ENUMS.values() for v in values}
)
_short = st.text(max_size=6)
_any_value = st.one_of(
    st.sampled_from(_POOL).map(json.loads),
    st.text(max_size=70),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(_short, max_size=22),
    st.dictionaries(_short, st.one_of(_short, st.integers(), st.booleans(), st.none()), max_size=3),
)


@st.composite
def one_change(draw: st.DrawFn, action: str) -> tuple[Template, Path, Any]:
    template = draw(st.sampled_from(templates(action)))
    existing = [path for path, _ in field_paths(template.body)]
    added = [(*parent, key) for parent in object_paths(template.body) for key, _ in _ADDED]
    path = draw(st.sampled_from(existing + added))
    value = draw(st.one_of(st.just(DELETE), _any_value) if path in existing else _any_value)
    return template, path, value


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_arbitrary_values_in_one_field(judge: Judge, action: str) -> None:
    @given(one_change(action))
    def check(change: tuple[Template, Path, Any]) -> None:
        template, path, value = change
        label = ".".join(map(str, path)) + f" = {value!r}"[:80]
        judge.check(template, mutate(template.body, path, value), label)

    check()
    assert not judge.disagreements, judge.report()


# --- requests the current API contract calls valid, which both sides once refused --------------------------
_OPEN_WITH_METHOD = {**_OPEN, "method": "POST"}  # the official SDK sends its default method on every button
CONTRACT_CASES = [
    Template(
        "update_live_activity", "segmented_progress", {"content_state": {"title": "D", "current_step": 9}}
    ),
    Template("end_live_activity", "segmented_progress", {"content_state": {"title": "D", "current_step": 9}}),
    Template(
        "stream_live_activity", "segmented_progress", {"content_state": {"title": "D", "current_step": 9}}
    ),
    Template(
        "start_live_activity",
        None,
        {"content_state": {"title": "Soak", "type": "timer", "counts_down": False, "duration_seconds": 900}},
    ),
    Template(
        "stream_live_activity",
        "timer_up",
        {"content_state": {"title": "Soak", "counts_down": False, "duration_seconds": 900}},
    ),
    Template("send_push_notification", None, {"title": "t", "actions": [_OPEN_WITH_METHOD]}),
    Template("replace_push_notification", None, {"title": "t", "actions": [_OPEN_WITH_METHOD]}),
    Template(
        "start_live_activity",
        None,
        {
            "content_state": START_STATES["alert"],
            "action": _OPEN_WITH_METHOD,
            "secondary_action": _OPEN_WITH_METHOD,
        },
    ),
]


@pytest.mark.parametrize("case", CONTRACT_CASES, ids=lambda t: f"{t.action}-{t.state}")
def test_what_the_contract_allows_both_accept(judge: Judge, case: Template) -> None:
    judge.check(case, case.body, "contract case")
    assert not judge.disagreements, judge.report()
    build_request(judge._inputs(case), case.body, NO_KEY)  # the action accepts it
