"""Read and check the step's inputs (`INPUT_*`) before anything is parsed or sent.

Every problem is collected and raised together as one `InputError`, so a user fixes the whole `with:` block
in one pass. Identifiers that end up in a URL path are checked here, because a `/`, `..` or `%2F` in them
would let an input address a different endpoint.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from activitysmith_action import runner
from activitysmith_action.errors import InputError, Problem
from activitysmith_action.redact import clip

DEFAULT_BASE_URL = "https://activitysmith.com/api"
BASE_URL_ENV = "ACTIVITYSMITH_BASE_URL"

ACTIONS: tuple[str, ...] = (
    "send_push_notification",
    "start_live_activity",
    "update_live_activity",
    "end_live_activity",
    "stream_live_activity",
    "end_live_activity_stream",
    "update_metric_value",
    "update_app_icon_badge_count",
)
# Actions whose body may carry `target.channels` (the official action and SDKs apply `channels` to these).
CHANNEL_ACTIONS = frozenset(
    {"send_push_notification", "start_live_activity", "stream_live_activity", "update_app_icon_badge_count"}
)
_NEEDS = {
    "update_live_activity": "live-activity-id",
    "end_live_activity": "live-activity-id",
    "stream_live_activity": "stream-key",
    "end_live_activity_stream": "stream-key",
    "update_metric_value": "metric-key",
}
# Every input action.yml declares; a test checks this list against action.yml, the README and read_inputs().
INPUT_NAMES: tuple[str, ...] = (
    "action",
    "api-key",
    "live-activity-id",
    "stream-key",
    "metric-key",
    "payload",
    "payload-file-path",
    "payload-delimiter",
    "channels",
    "errors",
    "base-url",
    "timeout",
    "retries",
    "dry-run",
    "summary",
)

_ID_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "live-activity-id": (re.compile(r"[A-Za-z0-9_-]{1,128}"), "1-128 letters, digits, '_' or '-'"),
    "stream-key": (re.compile(r"[A-Za-z0-9_-]{1,255}"), "1-255 letters, digits, '_' or '-'"),
    "metric-key": (
        re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}"),
        "1-64 lowercase letters, digits, '_', '.' or '-', starting with a letter or digit",
    ),
}
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
MAX_TIMEOUT_SECONDS = 300.0
MAX_RETRIES = 10


def shown(value: str, limit: int = 60) -> str:
    """A short, quoted rendering of what the user wrote, for `...; got "x"` in messages."""
    text = clip(value, limit)
    return (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    )


@dataclass(frozen=True)
class Inputs:
    """The step's inputs after checking; payload text is parsed later by `payload.py`."""

    action: str
    api_key: str
    live_activity_id: str = ""
    stream_key: str = ""
    metric_key: str = ""
    payload: str = ""
    payload_file_path: str = ""
    channels: tuple[str, ...] = ()
    errors: bool = True
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 10.0
    retries: int = 3
    dry_run: bool = False
    summary: bool = True
    workspace: Path = field(default_factory=Path.cwd)
    warnings: tuple[str, ...] = ()


def read_api_key() -> str:
    """The key alone, read first so `main()` can mask it before anything else is printed."""
    return runner.get_input("api-key")


def _boolean(name: str, default: bool, problems: list[Problem]) -> bool:
    raw = runner.get_input(name)
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    problems.append(Problem(name, f"must be true or false; got {shown(raw)}"))
    return default


def _timeout(problems: list[Problem]) -> float:
    raw = runner.get_input("timeout")
    if raw == "":
        return 10.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT_SECONDS):
        problems.append(
            Problem(
                "timeout",
                f"must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS:g}; got {shown(raw)}",
            )
        )
        return 10.0
    return value


def _retries(problems: list[Problem]) -> int:
    raw = runner.get_input("retries")
    if raw == "":
        return 3
    if not re.fullmatch(r"[0-9]{1,3}", raw) or int(raw) > MAX_RETRIES:
        problems.append(
            Problem("retries", f"must be a whole number from 0 to {MAX_RETRIES}; got {shown(raw)}")
        )
        return 3
    return int(raw)


def _base_url(problems: list[Problem]) -> str:
    given = runner.get_input("base-url")
    from_env = os.environ.get(BASE_URL_ENV, "").strip()
    # An empty input falls back to the environment so examples can be pointed at the local service unchanged.
    name, raw = (
        ("base-url", given)
        if given
        else (BASE_URL_ENV, from_env)
        if from_env
        else ("base-url", DEFAULT_BASE_URL)
    )
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        problems.append(Problem(name, f"must be an http:// or https:// URL with a host; got {shown(raw)}"))
    elif parts.username or parts.password:
        problems.append(Problem(name, "must not contain a user name or password (send the key as api-key)"))
    elif parts.query or parts.fragment or any(c.isspace() for c in raw):
        problems.append(Problem(name, f"must not contain a query, fragment or whitespace; got {shown(raw)}"))
    return raw.rstrip("/")


def _identifier(name: str, problems: list[Problem]) -> str:
    raw = runner.get_input(name, strip=False)
    value = raw.strip()
    if not raw:
        return ""
    pattern, rule = _ID_RULES[name]
    if raw != value or not pattern.fullmatch(value) or ".." in value:
        problems.append(
            Problem(name, f"must be {rule} (it becomes part of the request URL); got {shown(raw)}")
        )
    return value


def _channels() -> tuple[str, ...]:
    return tuple(part.strip() for part in runner.get_input("channels").split(",") if part.strip())


def read_inputs() -> Inputs:
    """Read every input, check them all, and raise one InputError listing every problem found."""
    problems: list[Problem] = []
    warnings: list[str] = []
    action = runner.get_input("action")
    if not action:
        problems.append(Problem("action", "is required; one of: " + ", ".join(ACTIONS)))
    elif action not in ACTIONS:
        problems.append(Problem("action", f"must be one of: {', '.join(ACTIONS)}; got {shown(action)}"))
    dry_run = _boolean("dry-run", False, problems)
    api_key = read_api_key()
    if not api_key and not dry_run:
        problems.append(
            Problem(
                "api-key", "is required (store it as a secret: api-key: ${{ secrets.ACTIVITYSMITH_API_KEY }})"
            )
        )
    ids = {name: _identifier(name, problems) for name in _ID_RULES}
    needed = _NEEDS.get(action)
    if needed and not ids[needed]:
        problems.append(Problem(needed, f"is required for action {action}"))
    payload = runner.get_input("payload", strip=False)
    payload_file = runner.get_input("payload-file-path")
    if payload.strip() and payload_file:
        problems.append(Problem("payload", "give either payload or payload-file-path, not both"))
    elif (
        not payload.strip()
        and not payload_file
        and action in ACTIONS
        and action != "end_live_activity_stream"
    ):
        problems.append(Problem("payload", f"is required for action {action} (or give payload-file-path)"))
    if runner.get_input("payload-delimiter"):
        warnings.append(
            "payload-delimiter is deprecated and ignored: the API takes the payload's nested "
            "objects as they are, so flattening them would break the request"
        )
    for name, value in ids.items():
        if value and action in ACTIONS and needed != name:
            users = [a for a, need in _NEEDS.items() if need == name]
            verb = "uses" if len(users) == 1 else "use"
            warnings.append(f"{name} is ignored for {action}: only {' and '.join(users)} {verb} it")
    channels = _channels()
    if channels and action in ACTIONS and action not in CHANNEL_ACTIONS:
        warnings.append(
            f"channels is ignored for {action}: only push, start, stream and badge requests take a target"
        )
    errors = _boolean("errors", True, problems)
    summary = _boolean("summary", True, problems)
    timeout = _timeout(problems)
    retries = _retries(problems)
    base_url = _base_url(problems)
    if not os.environ.get("GITHUB_OUTPUT"):
        problems.append(
            Problem(
                "GITHUB_OUTPUT",
                "is not set: the action must run as a GitHub Actions step "
                "(or set GITHUB_OUTPUT to a file when running it by hand)",
            )
        )
    if problems:
        code = "missing_input" if all("is required" in p.message for p in problems) else "invalid_input"
        raise InputError(code, problems)
    return Inputs(
        action=action,
        api_key=api_key,
        live_activity_id=ids["live-activity-id"],
        stream_key=ids["stream-key"],
        metric_key=ids["metric-key"],
        payload=payload if payload.strip() else "",
        payload_file_path=payload_file,
        channels=channels,
        errors=errors,
        base_url=base_url,
        timeout=timeout,
        retries=retries,
        dry_run=dry_run,
        summary=summary,
        workspace=Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()),
        warnings=tuple(warnings),
    )
