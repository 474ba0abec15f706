"""payload.py: YAML with JSON semantics, JSON, the official brace-wrapping, and the payload file rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from activitysmith_action.errors import PayloadError
from activitysmith_action.payload import MAX_PAYLOAD_BYTES, parse_payload, read_payload_file


def problem(exc: pytest.ExceptionInfo[PayloadError]) -> str:
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_parse_payload_keeps_yaml_1_1_words_and_dates_as_strings() -> None:
    text = (
        "title: on\nmessage: yes\nsubtitle: off\nwhen: 2026-07-30T00:00:00Z\nat: 12:30\nhex: 0x1f\nplus: +3"
    )
    assert parse_payload(text) == {
        "title": "on",
        "message": "yes",
        "subtitle": "off",
        "when": "2026-07-30T00:00:00Z",
        "at": "12:30",
        "hex": "0x1f",
        "plus": "+3",
    }


def test_parse_payload_resolves_json_scalars() -> None:
    assert parse_payload("a: true\nb: FALSE\nc: null\nd: ~\ne: 3\nf: -2.5\ng: 1e3\nh:") == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": 3,
        "f": -2.5,
        "g": 1000.0,
        "h": None,
    }


def test_parse_payload_accepts_json_and_braceless_json() -> None:
    assert parse_payload('{"title": "x", "n": [1, {"a": null}]}') == {"title": "x", "n": [1, {"a": None}]}
    assert parse_payload('{\n\t"title": "tabbed"\n}') == {"title": "tabbed"}
    assert parse_payload('"title": "x", "message": "y",') == {"title": "x", "message": "y"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: a\nmessage: b\ntitle: c", 'payload: duplicate key "title" (line 3)'),
        ('{"title": "a", "title": "b"}', 'payload: duplicate key "title" (line 1)'),
        ("a: &x [1]\nb: *x", "payload: YAML anchors and aliases (& and *) are not supported (line 1)"),
        ("- 1\n- 2", "payload: must be a mapping (an object of fields such as title: ...); got list"),
        ("just text", "payload: must be a mapping (an object of fields such as title: ...); got str"),
        ("", "payload: must be a mapping (an object of fields such as title: ...); got empty"),
        ("a: !!float .nan", "payload.a: NaN and Infinity are not valid JSON numbers"),
        ("a: !!binary aGk=", "payload: the tag tag:yaml.org,2002:binary is not supported (line 1)"),
        (
            "x: !!python/object:os.system 1",
            "payload: the tag tag:yaml.org,2002:python/object:os.system is not supported (line 1)",
        ),
        ("1: a", "payload: keys must be strings; got 1 (line 1)"),
        (
            "a: [1, 2\n",
            "payload: is neither valid YAML nor JSON: expected ',' or ']', but got '<stream end>' "
            "(line 2, column 1)",
        ),
        ("[" * 40 + "]" * 40, "payload: nested deeper than 32 levels (line 1)"),
    ],
)
def test_parse_payload_refuses(text: str, message: str) -> None:
    with pytest.raises(PayloadError) as exc:
        parse_payload(text)
    assert problem(exc) == message
    assert exc.value.code == "payload_syntax"


def test_json_file_refuses_nan_and_deep_nesting(tmp_path: Path) -> None:
    (tmp_path / "nan.json").write_text('{"a": NaN}')
    (tmp_path / "deep.json").write_text('{"a": ' + "[" * 32 + "]" * 32 + "}")
    with pytest.raises(PayloadError) as exc:
        read_payload_file("nan.json", tmp_path)
    assert problem(exc) == "payload-file-path (nan.json): NaN is not a valid JSON number"
    with pytest.raises(PayloadError) as exc:
        read_payload_file("deep.json", tmp_path)
    assert problem(exc) == "payload-file-path (deep.json): nested deeper than 32 levels"


def test_parse_payload_refuses_alias_bomb_quickly() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\ne: [*d,*d]'
    with pytest.raises(PayloadError, match="anchors and aliases"):
        parse_payload(bomb)


def test_parse_payload_refuses_oversize() -> None:
    with pytest.raises(PayloadError) as exc:
        parse_payload("title: " + "x" * MAX_PAYLOAD_BYTES)
    assert problem(exc) == "payload: is larger than 256 KiB"


def test_parse_payload_allows_32_levels() -> None:
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 31)) + "  " * 31 + "leaf: 1\n"
    assert parse_payload(text)["a"]["k1"]["k2"] is not None


def test_read_payload_file_yaml_and_json(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.yml").write_text("title: on\n")
    (tmp_path / "b.JSON").write_text('{"title": "j"}')
    assert read_payload_file("p/a.yml", tmp_path) == {"title": "on"}
    assert read_payload_file("b.JSON", tmp_path) == {"title": "j"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "missing.yml",
            None,
            "payload-file-path: file not found in the workspace: 'missing.yml' "
            "(did you run actions/checkout first?)",
        ),
        ("payload.txt", "title: x", "payload-file-path: must end in .json, .yml or .yaml; got 'payload.txt'"),
        ("big.json", "x" * (MAX_PAYLOAD_BYTES + 1), "payload-file-path: is larger than 256 KiB"),
        (
            "bad.json",
            '{"title": }',
            "payload-file-path (bad.json): is not valid JSON: Expecting value (line 1, column 11)",
        ),
        ("dup.json", '{"a": 1, "a": 2}', 'payload-file-path (dup.json): duplicate key "a"'),
        (
            "list.yaml",
            "- a",
            "payload-file-path (list.yaml): must be a mapping (an object of fields such as "
            "title: ...); got list",
        ),
        (
            "bad.yaml",
            "a: [",
            "payload-file-path (bad.yaml): is not valid YAML: expected the node content, "
            "but found '<stream end>' (line 1, column 5)",
        ),
    ],
)
def test_read_payload_file_refuses(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / name).write_text(content)
    with pytest.raises(PayloadError) as exc:
        read_payload_file(name, tmp_path)
    assert problem(exc) == message


def test_read_payload_file_must_stay_in_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    secret = tmp_path / "secret.json"
    secret.write_text('{"title": "outside"}')
    os.symlink(secret, workspace / "link.json")
    for given in ("../secret.json", "link.json", str(secret)):
        with pytest.raises(PayloadError) as exc:
            read_payload_file(given, workspace)
        assert (
            problem(exc) == f"payload-file-path: must stay inside the workspace ({workspace}); got {given!r}"
        )
        assert exc.value.code == "payload_file"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"a":' * 40_000 + "1" + "}" * 40_000, "payload: nested deeper than 32 levels"),
        ('{"value": ' + "9" * 5000 + "}", "payload: holds a number with more than 4300 digits"),
        ("value: -" + "9" * 5000, "payload: holds a number with more than 4300 digits"),
        ('"value": ' + "9" * 5000, "payload: holds a number with more than 4300 digits"),
    ],
)
def test_payloads_the_parsers_cannot_hold_are_payload_errors_not_crashes(text: str, problem: str) -> None:
    """A 40,000-deep JSON object and a 5,000-digit integer used to end in "internal error … a bug"."""
    with pytest.raises(PayloadError) as exc:
        parse_payload(text)
    assert exc.value.code == "payload_syntax" and str(exc.value.problems[0]).startswith(problem)


@pytest.mark.parametrize("suffix", [".json", ".yml"])
def test_deep_or_huge_number_payload_files_are_payload_errors(tmp_path: Path, suffix: str) -> None:
    deep = '{"a":' * 40_000 + "1" + "}" * 40_000 if suffix == ".json" else "v: " + "9" * 5000
    (tmp_path / f"p{suffix}").write_text(deep)
    with pytest.raises(PayloadError) as exc:
        read_payload_file(f"p{suffix}", tmp_path)
    assert exc.value.code == "payload_syntax"


@pytest.mark.parametrize("text", ["\x87[?-_", 'content_state: {"title": "\x07"}'])
def test_control_characters_yaml_refuses_are_payload_errors(text: str) -> None:
    """PyYAML's reader refuses C0/C1 control characters as it is built: a payload error, not a bug."""
    with pytest.raises(PayloadError) as exc:
        parse_payload(text)
    assert exc.value.code == "payload_syntax" and "special characters are not allowed" in str(exc.value)
