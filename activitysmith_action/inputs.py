"""Read and check the step's inputs (`INPUT_*`) before anything is parsed or sent.

Every problem is collected and raised together as one `InputError`, so a user fixes the whole `with:` block
in one pass. Identifiers that end up in a URL path are checked here, because a `/`, `..` or `%2F` in them
would let an input address a different endpoint.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from activitysmith_action import runner
from activitysmith_action.actions import ACTION_NAMES, ACTIONS, IdInput, listed
from activitysmith_action.chain import job_status, missing_live_activity_id
from activitysmith_action.errors import InputError, Problem
from activitysmith_action.quick import read_quick_inputs
from activitysmith_action.redact import Redactor

DEFAULT_BASE_URL = "https://activitysmith.com/api"
BASE_URL_ENV = "ACTIVITYSMITH_BASE_URL"
# The defaults of the inputs that have one; a test keeps action.yml's `default:` values equal to these.
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_RETRIES = 3
# Every input action.yml declares; a test checks this list against action.yml, the README and read_inputs().
INPUT_NAMES: tuple[str, ...] = (
    "action",
    "api-key",
    "live-activity-id",
    "stream-key",
    "metric-key",
    "notification-id",
    "payload",
    "payload-file-path",
    "payload-delimiter",
    "channels",
    "errors",
    "base-url",
    "allow-http",
    "timeout",
    "retries",
    "dry-run",
    "summary",
    # Quick inputs (quick.py; where each lands per action: actions.QUICK_INPUTS).
    "title",
    "message",
    "subtitle",
    "type",
    "current-step",
    "number-of-steps",
    "percentage",
    "color",
    "link-to-run",
    # Auto-end (autoend.py) and the job's status it and chain.py read.
    "auto-end",
    "auto-end-payload",
    "job-status",
)

_ID_RULES: dict[IdInput, tuple[re.Pattern[str], str]] = {
    "live-activity-id": (re.compile(r"[A-Za-z0-9_-]{1,128}"), "1-128 letters, digits, '_' or '-'"),
    "stream-key": (re.compile(r"[A-Za-z0-9_-]{1,255}"), "1-255 letters, digits, '_' or '-'"),
    "metric-key": (
        re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}"),
        "1-64 lowercase letters, digits, '_', '.' or '-', starting with a letter or digit",
    ),
    "notification-id": (re.compile(r"[A-Za-z0-9_-]{1,128}"), "1-128 letters, digits, '_' or '-'"),
}
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
MAX_TIMEOUT_SECONDS = 300.0
MAX_RETRIES = 10


def shown(value: str, redactor: Redactor, limit: int = 60) -> str:
    """A short, quoted rendering of what the user wrote, for `...; got "x"` in messages (key removed)."""
    text = redactor.clip(value, limit)
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
    notification_id: str = ""
    payload: str = ""
    payload_file_path: str = ""
    channels: tuple[str, ...] = ()
    errors: bool = True
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    retries: int = DEFAULT_RETRIES
    dry_run: bool = False
    summary: bool = True
    workspace: Path = field(default_factory=Path.cwd)
    warnings: tuple[str, ...] = ()
    # Quick inputs the action takes, as JSON values by input name (quick.py merges them under the payload).
    quick: dict[str, Any] = field(default_factory=dict)
    auto_end: bool = True
    auto_end_payload: str = ""
    # `job.status` when this step ran ("" when the runner gave none): see chain.py.
    job_status: str = ""


def read_api_key() -> str:
    """The key alone, read first so `main()` can mask it before anything else is printed."""
    return runner.get_input("api-key")


class _Reader:
    """Reads inputs one by one, collecting every problem (and warning) instead of stopping at the first."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message))

    def shown(self, raw: str) -> str:
        return shown(raw, self.redactor)

    def boolean(self, name: str, default: bool) -> bool:
        raw = runner.get_input(name)
        if raw == "":
            return default
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        self.fail(name, f"must be true or false; got {self.shown(raw)}")
        return default

    def timeout(self) -> float:
        raw = runner.get_input("timeout")
        if raw == "":
            return DEFAULT_TIMEOUT_SECONDS
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT_SECONDS):
            self.fail(
                "timeout",
                f"must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS:g}; "
                f"got {self.shown(raw)}",
            )
            return DEFAULT_TIMEOUT_SECONDS
        return value

    def retries(self) -> int:
        raw = runner.get_input("retries")
        if raw == "":
            return DEFAULT_RETRIES
        if not re.fullmatch(r"[0-9]{1,3}", raw) or int(raw) > MAX_RETRIES:
            self.fail("retries", f"must be a whole number from 0 to {MAX_RETRIES}; got {self.shown(raw)}")
            return DEFAULT_RETRIES
        return int(raw)

    def base_url(self, *, allow_http: bool) -> str:
        given = runner.get_input("base-url")
        from_env = os.environ.get(BASE_URL_ENV, "").strip()
        # An empty input falls back to the environment, so examples can point at the local service unchanged.
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
            self.fail(name, f"must be an http:// or https:// URL with a host; got {self.shown(raw)}")
        elif parts.username or parts.password:
            self.fail(name, "must not contain a user name or password (send the key as api-key)")
        elif parts.query or parts.fragment or any(c.isspace() for c in raw):
            self.fail(name, f"must not contain a query, fragment or whitespace; got {self.shown(raw)}")
        elif not _valid_port(parts):
            self.fail(name, f"has a port that is not a number from 1 to 65535; got {self.shown(raw)}")
        elif not _valid_host_name(host):
            self.fail(name, f"has a host name that is not a valid (IDNA) domain name; got {self.shown(raw)}")
        elif parts.scheme == "http" and not allow_http and not _is_loopback(host):
            self.fail(
                name,
                f"http:// would send the API key unencrypted to {host}; use https://, or set "
                "allow-http: true for a network you trust (a service container, an internal proxy)",
            )
        return raw.rstrip("/")

    def identifier(self, name: IdInput) -> str:
        raw = runner.get_input(name, strip=False)
        value = raw.strip()
        if not raw:
            return ""
        pattern, rule = _ID_RULES[name]
        if raw != value or not pattern.fullmatch(value) or ".." in value:
            self.fail(name, f"must be {rule} (it becomes part of the request URL); got {self.shown(raw)}")
        return value


def _sendable_key(key: str) -> bool:
    """A key an HTTP header carries as is: printable ASCII, no spaces (ActivitySmith keys are `ask_...`)."""
    return all("!" <= character <= "~" for character in key)


def _valid_port(parts: SplitResult) -> bool:
    try:
        port = parts.port  # raises for a port that is not a number or is out of range
    except ValueError:
        return False
    return port is None or port > 0


def _valid_host_name(host: str) -> bool:
    """What httpx checks only when sending (IDNA 2008): checked here so a dry run reports it too."""
    if host.isascii() and "xn--" not in host.lower():
        return True
    import idna  # httpx's own IDNA codec; imported only for the hosts that need it

    try:
        idna.encode(host, uts46=True)
    except idna.IDNAError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost names: the only places a plain http:// request stays on the machine."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _channels() -> tuple[str, ...]:
    return tuple(part.strip() for part in runner.get_input("channels").split(",") if part.strip())


def read_inputs(redactor: Redactor) -> Inputs:
    """Read every input, check them all, and raise one InputError listing every problem found.

    The error carries the action when that input alone was valid, so the summary can still name the step.
    """
    read = _Reader(redactor)
    action = runner.get_input("action")
    spec = ACTIONS.get(action)
    if not action:
        read.fail("action", "is required; one of: " + ", ".join(ACTION_NAMES))
    elif spec is None:
        read.fail("action", f"must be one of: {', '.join(ACTION_NAMES)}; got {read.shown(action)}")
    dry_run = read.boolean("dry-run", False)
    api_key = read_api_key()
    if not api_key and not dry_run:
        read.fail(
            "api-key", "is required (store it as a secret: api-key: ${{ secrets.ACTIVITYSMITH_API_KEY }})"
        )
    elif not _sendable_key(api_key):
        # Never echoed: the key is a secret even when it is malformed.
        read.fail(
            "api-key",
            "holds a space, a line break, a control or non-ASCII character (often an invisible character "
            "pasted with the secret); store the key alone as the secret",
        )
    ids = {name: read.identifier(name) for name in _ID_RULES}
    needed = spec.id_input if spec else None
    status = job_status(runner.get_input("job-status"))
    if needed == "live-activity-id" and not ids[needed]:
        read.fail(needed, missing_live_activity_id(action, status))
    elif needed and not ids[needed]:
        read.fail(needed, f"is required for action {action}")
    quick, quick_problems, quick_warnings = read_quick_inputs(action, read.shown)
    read.problems += quick_problems
    read.warnings += quick_warnings
    payload = runner.get_input("payload", strip=False)
    payload_file = runner.get_input("payload-file-path")
    if payload.strip() and payload_file:
        read.fail("payload", "give either payload or payload-file-path, not both")
    elif not payload.strip() and not payload_file and spec and spec.payload_required and not quick:
        also = ", or quick inputs such as title" if spec.quick_home else ""
        read.fail("payload", f"is required for action {action} (or give payload-file-path{also})")
    if runner.get_input("payload-delimiter"):
        read.warnings.append(
            "payload-delimiter is deprecated and ignored: the API takes the payload's nested "
            "objects as they are, so flattening them would break the request"
        )
    if spec:
        _warn_ignored(spec.name, needed, ids, read.warnings)
    errors = read.boolean("errors", True)
    summary = read.boolean("summary", True)
    auto_end = read.boolean("auto-end", True)
    auto_end_payload = runner.get_input("auto-end-payload", strip=False)
    timeout = read.timeout()
    retries = read.retries()
    base_url = read.base_url(allow_http=read.boolean("allow-http", False))
    if not os.environ.get("GITHUB_OUTPUT"):
        read.fail(
            "GITHUB_OUTPUT",
            "is not set: the action must run as a GitHub Actions step "
            "(or set GITHUB_OUTPUT to a file when running it by hand)",
        )
    if read.problems:
        only_missing = all("is required" in p.message for p in read.problems)
        raise InputError(
            "missing_input" if only_missing else "invalid_input",
            read.problems,
            action=spec.name if spec else "",
        )
    assert spec is not None  # an unknown action is a problem above
    return Inputs(
        action=spec.name,
        api_key=api_key,
        live_activity_id=ids["live-activity-id"],
        stream_key=ids["stream-key"],
        metric_key=ids["metric-key"],
        notification_id=ids["notification-id"],
        payload=payload if payload.strip() else "",
        payload_file_path=payload_file,
        channels=_channels(),
        errors=errors,
        base_url=base_url,
        timeout=timeout,
        retries=retries,
        dry_run=dry_run,
        summary=summary,
        workspace=Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()),
        warnings=tuple(read.warnings),
        quick=quick,
        auto_end=auto_end,
        auto_end_payload=auto_end_payload if auto_end_payload.strip() else "",
        job_status=status,
    )


def _warn_ignored(action: str, needed: IdInput | None, ids: dict[IdInput, str], warnings: list[str]) -> None:
    """An id or `channels` the chosen action does not use is not an error, but the user should know."""
    for name, value in ids.items():
        if value and needed != name:
            users = [spec.name for spec in ACTIONS.values() if spec.id_input == name]
            verb = "uses" if len(users) == 1 else "use"
            warnings.append(f"{name} is ignored for {action}: only {listed(users)} {verb} it")
    if _channels() and not ACTIONS[action].takes_channels:
        targeted = [spec.short for spec in ACTIONS.values() if spec.takes_channels]
        warnings.append(f"channels is ignored for {action}: only {listed(targeted)} requests take a target")
