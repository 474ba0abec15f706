"""template.py: `{{ env.NAME }}` filled after parsing, from the step's env only, once, naming bad fields."""

from __future__ import annotations

from typing import Any

import pytest

from activitysmith_action.errors import PayloadError
from activitysmith_action.payload import parse_payload
from activitysmith_action.redact import Redactor
from activitysmith_action.template import substitute
from tests.support.hostile_strings import HOSTILE

KEY = "ask_test_template_key_0123456789"
REDACTOR = Redactor(KEY)


def fill(payload: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    filled = substitute(payload, env, REDACTOR)
    assert filled is not None
    return filled


def problems(payload: dict[str, Any], env: dict[str, str]) -> list[str]:
    with pytest.raises(PayloadError) as exc:
        substitute(payload, env, REDACTOR)
    assert exc.value.code == "invalid_payload"
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_value_stays_one_string_of_the_field(hostile: str) -> None:
    payload = parse_payload(
        "title: 'Deployed {{ env.COMMIT_MSG }}'\n"
        "content_state:\n  subtitle: '{{ env.COMMIT_MSG }}'\n  title: plain\n"
    )
    env = {"COMMIT_MSG": hostile, "OTHER": "must not appear"}
    filled = fill(payload, env)
    assert filled == {
        "title": f"Deployed {hostile}",
        "content_state": {"subtitle": hostile, "title": "plain"},
    }


def test_placeholders_anywhere_in_strings_lists_and_nested_objects() -> None:
    payload = {
        "title": "{{env.A}}-{{ env.B }}-{{   env.A   }}",
        "actions": [{"title": "Open {{ env.B }}", "body": {"sha": "{{ env.A }}", "n": 3, "ok": True}}],
        "badge": 1,
        "payload": None,
    }
    assert fill(payload, {"A": "x", "B": "y"}) == {
        "title": "x-y-x",
        "actions": [{"title": "Open y", "body": {"sha": "x", "n": 3, "ok": True}}],
        "badge": 1,
        "payload": None,
    }


def test_no_second_round_and_no_expression_evaluation() -> None:
    env = {"A": "{{ env.B }}", "B": "secret-b", "C": "${{ github.token }}"}
    assert fill({"title": "{{ env.A }} {{ env.C }}"}, env) == {"title": "{{ env.B }} ${{ github.token }}"}


def test_keys_are_not_templated() -> None:
    assert fill({"{{ env.A }}": "{{ env.A }}"}, {"A": "v"}) == {"{{ env.A }}": "v"}


def test_an_unknown_name_is_an_error_naming_the_field() -> None:
    assert problems({"content_state": {"subtitle": "{{ env.COMMIT_MSG }}"}}, {}) == [
        "payload.content_state.subtitle: {{ env.COMMIT_MSG }} is not set in the step's env "
        "(add COMMIT_MSG: ... under the step's env:)"
    ]


def test_every_bad_placeholder_is_reported_at_once_with_its_path() -> None:
    found = problems(
        {
            "title": "{{ env.MISSING }}",
            "actions": [{"title": "{{ github.sha }}"}, {"title": "{{ env.INPUT_API-KEY }}"}],
            "message": "{{ env.INPUT_PAYLOAD }} {{ env.STATE_auto_end }}",
        },
        {"INPUT_PAYLOAD": "x", "STATE_auto_end": "y"},
    )
    assert [p.split(":", 1)[0] for p in found] == [
        "payload.title",
        "payload.actions[0].title",
        "payload.actions[1].title",
        "payload.message",
        "payload.message",
    ]
    assert "{{ github.sha }} is not a placeholder the action fills: only {{ env.NAME }} is" in found[1]
    assert "{{ env.INPUT_API-KEY }} is not a placeholder" in found[2]
    assert "INPUT_PAYLOAD is the runner's, not a variable of the step's env:" in found[3]


def test_a_value_holding_the_key_is_refused_and_not_echoed() -> None:
    (found,) = problems({"title": "{{ env.LEAK }}"}, {"LEAK": f"prefix {KEY}"})
    assert found == "payload.title: {{ env.LEAK }} holds the API key; it is never sent in a payload"
    assert KEY not in found


def test_text_without_placeholders_and_no_payload_pass_through() -> None:
    payload = {"title": "a {single} brace and }} and {{ unclosed", "n": 1}
    assert fill(payload, {}) == {"title": "a {single} brace and }} and {{ unclosed", "n": 1}
    assert substitute(None, {}, REDACTOR) is None


def test_the_base_names_another_source() -> None:
    with pytest.raises(PayloadError) as exc:
        substitute({"content_state": {"title": "{{ env.X }}"}}, {}, REDACTOR, base="auto-end-payload")
    assert str(exc.value.problems[0]).startswith("auto-end-payload.content_state.title: {{ env.X }}")
