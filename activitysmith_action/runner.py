"""The GitHub Actions runner protocol: inputs, workflow commands, file commands, masks, summary.

This replaces the PyPI `actions-toolkit` package (which pulls in PyGithub and cryptography for a few
`print` calls, is unmaintained since 2022 and has no job-summary API). It follows what the runner itself
does (actions/runner and @actions/core; docs/development.md, "The runner protocol") and is tested against a
port of the runner's own file-command parser (tests/support/runner_files.py). Standard library only, so it can
never be the reason the container image grows.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = [
    "RunnerProtocolError",
    "append_summary",
    "debug",
    "error",
    "escape_data",
    "escape_property",
    "export_variable",
    "get_input",
    "get_state",
    "group",
    "is_debug",
    "issue_command",
    "notice",
    "prepare_key_value_message",
    "save_state",
    "set_output",
    "set_secret",
    "to_command_value",
    "warning",
]


class RunnerProtocolError(RuntimeError):
    """The runner environment cannot carry what we want to write (unset file path, delimiter clash)."""


def to_command_value(value: Any) -> str:
    """None -> "", str unchanged, anything else as JSON (True -> "true"), like `toCommandValue`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def escape_data(value: Any) -> str:
    """Escape a command message. `%` goes first so the runner's `%25`-last unescape round-trips."""
    return to_command_value(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: Any) -> str:
    """Escape a command property value: data escaping plus `:` and `,`, which delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def issue_command(
    command: str,
    properties: Mapping[str, Any] | None = None,
    message: Any = "",
    *,
    stream: TextIO | None = None,
) -> None:
    """Write one `::command k=v,...::message` line and flush at once so it is not reordered vs stderr."""
    props = [
        f"{key}={escape_property(value)}"
        for key, value in (properties or {}).items()
        if value is not None and to_command_value(value) != ""
    ]
    head = f"{command} {','.join(props)}" if props else command
    out = stream if stream is not None else sys.stdout
    out.write(f"::{head}::{escape_data(message)}\n")
    out.flush()


def _annotation(kind: str, message: str, title: str | None, file: str | None, line: int | None) -> None:
    issue_command(kind, {"title": title, "file": file, "line": line}, message)


def error(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> None:
    _annotation("error", message, title, file, line)


def warning(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> None:
    _annotation("warning", message, title, file, line)


def notice(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> None:
    _annotation("notice", message, title, file, line)


def debug(message: str) -> None:
    issue_command("debug", None, message)


def set_secret(value: str) -> None:
    """Register a value with the runner's log masker; must run before the value could be printed."""
    issue_command("add-mask", None, value)


def is_debug() -> bool:
    """True only when step debug logging is on (`RUNNER_DEBUG` is exactly "1", as in @actions/core)."""
    return os.environ.get("RUNNER_DEBUG") == "1"


@contextmanager
def group(title: str) -> Iterator[None]:
    """A foldable log group that is closed even when the body raises."""
    issue_command("group", None, title)
    try:
        yield
    finally:
        issue_command("endgroup", None, "")


def get_input(name: str, *, required: bool = False, strip: bool = True) -> str:
    """Read `INPUT_<NAME>` exactly as the runner names it: upper-cased, spaces -> `_`, hyphens kept."""
    raw = os.environ.get(f"INPUT_{name.replace(' ', '_').upper()}", "")
    if required and not raw:
        raise RunnerProtocolError(f"Input required and not supplied: {name}")
    return raw.strip() if strip else raw


def get_state(name: str) -> str:
    """State saved by an earlier stage arrives as `STATE_<name>` with the name's case preserved."""
    return os.environ.get(f"STATE_{name}", "")


def prepare_key_value_message(key: str, value: Any) -> str:
    """The heredoc form with a fresh random delimiter, so no value can forge another key (CVE-2022-35954)."""
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    text = to_command_value(value)
    if delimiter in key:
        raise RunnerProtocolError(f"Unexpected input: name should not contain the delimiter {delimiter}")
    if delimiter in text:
        raise RunnerProtocolError(f"Unexpected input: value should not contain the delimiter {delimiter}")
    return f"{key}<<{delimiter}\n{text}\n{delimiter}\n"


def _append(env_name: str, text: str) -> None:
    path = os.environ.get(env_name, "")
    if not path:
        raise RunnerProtocolError(f"{env_name} is not set: this must run as a GitHub Actions step")
    # newline="" keeps LF as LF: a CRLF would leave `DELIM\r`, which the runner does not match on Linux.
    # backslashreplace: text that cannot be UTF-8 (undecodable bytes in an env value) must not crash the step.
    with open(path, "a", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        handle.write(text)


def set_output(name: str, value: Any) -> None:
    _append("GITHUB_OUTPUT", prepare_key_value_message(name, value))


def save_state(name: str, value: Any) -> None:
    _append("GITHUB_STATE", prepare_key_value_message(name, value))


def export_variable(name: str, value: Any) -> None:
    """Set for this process and, through GITHUB_ENV, for later steps."""
    message = prepare_key_value_message(name, value)
    os.environ[name] = to_command_value(value)
    _append("GITHUB_ENV", message)


def append_summary(markdown: str) -> None:
    """Append raw Markdown to the job summary, ending in exactly one newline."""
    _append("GITHUB_STEP_SUMMARY", markdown.rstrip("\n") + "\n")
