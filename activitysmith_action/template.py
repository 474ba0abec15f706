"""`{{ env.NAME }}` placeholders in the payload's string values, filled from the step's environment after
parsing.

Why after parsing: the runner expands `${{ github.event.head_commit.message }}` into the payload text before
the action sees it, so a commit message holding a quote, a colon or a newline breaks the YAML (or rewrites it:
an injection). Here the YAML is parsed first and each placeholder is replaced inside one string value, so
whatever the value holds stays that one string.

The rules, kept small on purpose: only `{{ env.NAME }}`, NAME a variable of the step's environment (set it
under the step's `env:`); no expressions, filters or defaults; one pass (a value that itself contains
`{{ env.X }}` is inserted literally, never expanded again); keys are never templated. Any other `{{ ... }}`
in a payload string is an error rather than text that silently stays unexpanded; a literal `{{` can be
written through a variable. A name that is not set is an error naming the field; so is a value holding the
API key (it would be sent to every phone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from activitysmith_action.errors import PayloadError, Problem
from activitysmith_action.redact import Redactor

__all__ = ["PLACEHOLDER", "substitute"]

# `{{` ... `}}` (no braces inside): every candidate is examined; only `env.NAME` is a placeholder.
_CANDIDATE = re.compile(r"\{\{([^{}]*)\}\}")
PLACEHOLDER = re.compile(r"\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*")
# The runner's own channels into the container, not the step's `env:`: never readable from a payload.
_RESERVED_PREFIXES = ("INPUT_", "STATE_")


def _fill(text: str, where: str, env: Mapping[str, str], redactor: Redactor, problems: list[Problem]) -> str:
    def replace(match: re.Match[str]) -> str:
        written = match.group(0)
        name_match = PLACEHOLDER.fullmatch(match.group(1))
        if name_match is None:
            problems.append(
                Problem(
                    where,
                    f"{written} is not a placeholder the action fills: only {{{{ env.NAME }}}} is "
                    "(set NAME under the step's env:, e.g. NAME: ${{ github.sha }})",
                )
            )
            return written
        name = name_match.group(1)
        if name.startswith(_RESERVED_PREFIXES):
            problems.append(
                Problem(where, f"{written}: {name} is the runner's, not a variable of the step's env:")
            )
            return written
        value = env.get(name)
        if value is None:
            problems.append(
                Problem(
                    where, f"{written} is not set in the step's env (add {name}: ... under the step's env:)"
                )
            )
            return written
        if redactor.redact(value) != value:
            problems.append(Problem(where, f"{written} holds the API key; it is never sent in a payload"))
            return written
        return value

    return _CANDIDATE.sub(replace, text)


def _walk(value: Any, where: str, env: Mapping[str, str], redactor: Redactor, problems: list[Problem]) -> Any:
    if isinstance(value, str):
        return _fill(value, where, env, redactor, problems) if "{{" in value else value
    if isinstance(value, list):
        return [_walk(item, f"{where}[{index}]", env, redactor, problems) for index, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: _walk(child, f"{where}.{key}", env, redactor, problems) for key, child in value.items()}
    return value


def substitute(
    payload: dict[str, Any] | None, env: Mapping[str, str], redactor: Redactor, base: str = "payload"
) -> dict[str, Any] | None:
    """The payload with every `{{ env.NAME }}` replaced, or one PayloadError listing every bad placeholder."""
    if payload is None:
        return None
    problems: list[Problem] = []
    filled: dict[str, Any] = _walk(payload, base, env, redactor, problems)
    if problems:
        raise PayloadError("invalid_payload", problems)
    return filled
