"""JSON the service can always hold and always show: bounded nesting, valid Unicode, finite numbers.

Three things about parsed JSON would otherwise break the service later, far from the request that sent them:

* nesting: `json.loads` recurses, so a body nested 50,000 deep raises `RecursionError` (a bare 500), and a
  stored body nested a few thousand deep would fail every later `json.dumps` of the request log;
* lone surrogates: JSON may escape half of a surrogate pair (`"\\ud800"`); Python keeps it as a `str` that
  cannot be encoded as UTF-8, so every answer showing it would fail;
* NaN and Infinity (the metrics endpoint reads them to answer its documented error): not JSON.

`load` refuses the first and names the path of the second, so a request carrying them is a 400; `shown`
makes any value safe to put in an answer, for the operator API, which must never fail on what it stores.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 64
"""Deepest nesting a request body may have (the API documents none; the action allows 32 levels)."""


class TooDeep(ValueError):
    """The document nests objects and arrays deeper than `MAX_DEPTH`."""


def load(raw: bytes | str, *, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """`json.loads`, with nesting deeper than `MAX_DEPTH` refused as `TooDeep` (never a RecursionError)."""
    try:
        document = json.loads(raw, parse_constant=parse_constant)
    except RecursionError:
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels") from None
    if depth(document) > MAX_DEPTH:
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
    return document


def depth(document: Any) -> int:
    """How deeply objects and arrays nest (a scalar is 0); iterative, so any depth is measured safely."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        pending.extend((child, level) for child in children)
    return deepest


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lone_surrogate_path(document: Any) -> str | None:
    """The dotted path (`content_state.title`, `actions.0.url`) of the first string or key that is not valid
    Unicode, or None. Assumes `document` is bounded in depth (as `load` guarantees)."""
    pending: deque[tuple[Any, str]] = deque([(document, "")])
    while pending:
        value, path = pending.popleft()
        if isinstance(value, str):
            if not _is_unicode(value):
                return path or "body"
        elif isinstance(value, dict):
            for key, child in value.items():
                where = f"{path}.{key}" if path else str(key)
                if not _is_unicode(str(key)):
                    return (path + "." if path else "") + str(shown(key))
                pending.append((child, where))
        elif isinstance(value, list):
            pending.extend(
                (child, f"{path}.{index}" if path else str(index)) for index, child in enumerate(value)
            )
    return None


def shown(value: Any) -> Any:
    """A copy of `value` that any JSON encoder takes: lone surrogates become `\\udXXX` text, non-finite floats
    their name, anything deeper than `MAX_DEPTH` a marker string, other non-JSON values their `str`."""
    return _shown(value, 0)


def _shown(value: Any, level: int) -> Any:
    if isinstance(value, str):
        return value if _is_unicode(value) else value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if level >= MAX_DEPTH and isinstance(value, dict | list | tuple):
        return f"(nested deeper than {MAX_DEPTH} levels)"
    if isinstance(value, dict):
        return {_shown(str(key), level): _shown(child, level + 1) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(child, level + 1) for child in value]
    return _shown(str(value), level)


def dumps(content: Any) -> bytes:
    """UTF-8 JSON of `content`; made safe first only when the plain encoding fails (the common case)."""
    try:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except (ValueError, TypeError, RecursionError):
        safe = shown(content)
        return json.dumps(safe, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
