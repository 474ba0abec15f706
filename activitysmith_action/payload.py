"""Turn the `payload` / `payload-file-path` text into a JSON object, with JSON's semantics.

YAML is accepted because workflow authors write it, but only the JSON-compatible part of it (yaml_loader.py:
`on`, `yes`, `off` and dates stay strings, anchors and aliases are refused, duplicate keys are errors instead
of last-one-wins), and NaN/Infinity are refused because the API takes JSON numbers only. Size and depth are
bounded before and while parsing, so a hostile payload cannot exhaust the runner.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from activitysmith_action.errors import PayloadError, Problem

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_DEPTH = 32
FILE_SUFFIXES = (".json", ".yml", ".yaml")


class _Refused(Exception):
    """Internal: a JSON construct we refuse (NaN, Infinity, a duplicate key)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _DuplicateKey(_Refused):
    """Internal: JSON's pair hook knows no line numbers; the YAML reader, given the same text, does."""


class _NotYaml(Exception):
    """Internal: the text is not YAML (the message says where); inline payloads then try JSON."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _fail(field: str, message: str) -> PayloadError:
    return PayloadError("payload_syntax", [Problem(field, message)])


def _joined_text(text: str, where: str) -> str:
    """JSON writes astral characters as escaped surrogate pairs (`\\ud83d\\ude80` for 🚀), as `json.dumps` and
    `jq -a` emit them; the YAML parser keeps the two halves apart. Join them; a lone half is not text."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise _fail(where, "is not valid Unicode: it holds a lone surrogate escape such as \\ud800") from None


def _normalised(value: Any, where: str, depth: int = 0, document: str = "") -> Any:
    """Depth (objects and lists), finiteness and valid Unicode, for JSON input too (YAML is also bounded
    while composing). Returns the value with surrogate pairs joined. Bad values are named by their path;
    too deep a nesting by the `document` (a path 32 levels long would only hide the message)."""
    document = document or where
    if isinstance(value, str):
        return _joined_text(value, where)
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(where, "NaN and Infinity are not valid JSON numbers")
    if not isinstance(value, dict | list):
        return value
    if depth + 1 > MAX_DEPTH:
        raise _fail(document, f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, list):
        return [
            _normalised(item, f"{where}[{index}]", depth + 1, document) for index, item in enumerate(value)
        ]
    result: dict[str, Any] = {}
    for key, child in value.items():
        name = _joined_text(key, f"{where} (a key)") if isinstance(key, str) else key
        result[name] = _normalised(child, f"{where}.{name}", depth + 1, document)
    return result


def _load_yaml(text: str, field: str) -> Any:
    # Imported here: only YAML payloads pay for PyYAML (lean start: a JSON payload never imports it).
    from activitysmith_action import yaml_loader

    try:
        return yaml_loader.load(text, MAX_DEPTH)
    except yaml_loader.YamlRefused as exc:
        raise _fail(field, exc.message) from None
    except yaml_loader.YamlSyntaxError as exc:
        raise _NotYaml(exc.message) from None
    except (RecursionError, ValueError) as exc:
        raise _unreadable(field, exc) from None


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f'duplicate key "{key}"')
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a valid JSON number")


def _load_json(text: str, field: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs_no_duplicates, parse_constant=_refuse_constant)
    except _Refused as exc:
        raise _fail(field, exc.message) from None
    except json.JSONDecodeError:
        raise  # the caller words it (a YAML problem may explain it better)
    except (RecursionError, ValueError) as exc:
        raise _unreadable(field, exc) from None


def _unreadable(field: str, exc: RecursionError | ValueError) -> PayloadError:
    """What the parsers raise besides a syntax error: nesting too deep for them, or an integer with more
    digits than Python converts (4300), each named as a payload problem instead of crashing the step."""
    if isinstance(exc, RecursionError):
        return _fail(field, f"nested deeper than {MAX_DEPTH} levels")
    if "digits" in str(exc):
        return _fail(field, "holds a number with more than 4300 digits (the API takes ordinary numbers)")
    return _fail(field, f"cannot be read: {str(exc)[:100]}")


def parse_payload(text: str, field: str = "payload") -> dict[str, Any]:
    """Parse inline payload text: YAML (JSON-like), then JSON, then the official action's brace-wrapping."""
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise _fail(field, f"is larger than {MAX_PAYLOAD_BYTES // 1024} KiB")
    if text.strip().startswith("{"):
        # JSON is read as JSON: YAML would fold some characters inside strings (NEL becomes a space).
        try:
            data = json.loads(text, object_pairs_hook=_pairs_no_duplicates, parse_constant=_refuse_constant)
        except (json.JSONDecodeError, _DuplicateKey):
            pass  # YAML flow style (`{title: Deploy}`) is not JSON; and YAML names a duplicate key's line
        except _Refused as exc:
            raise _fail(field, exc.message) from None
        except (RecursionError, ValueError) as exc:
            raise _unreadable(field, exc) from None
        else:
            return _as_object(data, field)
    try:
        data = _load_yaml(text, field)
    except _NotYaml as not_yaml:
        data = _json_fallback(text, field, not_yaml.message)
    return _as_object(data, field)


def _json_fallback(text: str, field: str, yaml_problem: str) -> Any:
    """The official action also accepts JSON, and `"k": "v", ...` without braces; keep both working."""
    stripped = text.strip()
    candidates = [stripped]
    if not (stripped.startswith("{") and stripped.endswith("}")):
        candidates.append("{" + stripped.rstrip(",") + "}")
    for candidate in candidates:
        try:
            return _load_json(candidate, field)
        except json.JSONDecodeError:
            continue
    raise _fail(field, f"is neither valid YAML nor JSON: {yaml_problem}")


def _as_object(data: Any, field: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__.replace("dict", "mapping")
        raise _fail(field, f"must be a mapping (an object of fields such as title: ...); got {kind}")
    normalised: dict[str, Any] = _normalised(data, field)
    return normalised


def read_payload_file(path_text: str, workspace: Path) -> dict[str, Any]:
    """Read `payload-file-path` relative to the workspace; it may not escape it, even through a symlink."""
    name = "payload-file-path"
    root = workspace.resolve()
    candidate = (root / path_text).resolve()
    if not candidate.is_relative_to(root):
        raise PayloadError(
            "payload_file", [Problem(name, f"must stay inside the workspace ({root}); got {path_text!r}")]
        )
    if candidate.suffix.lower() not in FILE_SUFFIXES:
        raise PayloadError(
            "payload_file", [Problem(name, f"must end in .json, .yml or .yaml; got {path_text!r}")]
        )
    if not candidate.is_file():
        raise PayloadError(
            "payload_file",
            [
                Problem(
                    name,
                    f"file not found in the workspace: {path_text!r} (did you run actions/checkout first?)",
                )
            ],
        )
    if candidate.stat().st_size > MAX_PAYLOAD_BYTES:
        raise PayloadError("payload_file", [Problem(name, f"is larger than {MAX_PAYLOAD_BYTES // 1024} KiB")])
    try:
        text = candidate.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PayloadError("payload_file", [Problem(name, "is not UTF-8 text")]) from None
    field = f"payload-file-path ({path_text})"
    if candidate.suffix.lower() == ".json":
        try:
            return _as_object(_load_json(text, field), field)
        except json.JSONDecodeError as exc:
            raise _fail(
                field, f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
    try:
        return _as_object(_load_yaml(text, field), field)
    except _NotYaml as exc:
        raise _fail(field, f"is not valid YAML: {exc.message}") from None
