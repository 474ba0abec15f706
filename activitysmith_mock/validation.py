"""Request checks that need the documented wording: pydantic errors, targeting, tags, metadata, URLs.

Every failure is a 400 whose `message` starts with the field path (`content_state.type: ...`), except where
the reference gives a verbatim message (invalid tags, channel targeting, stream_key), which is used as is.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit

from pydantic import BaseModel, ValidationError

from activitysmith_mock import safe_json
from activitysmith_mock.errors import (
    INVALID_STREAM_KEY_MESSAGE,
    INVALID_TAGS_MESSAGE,
    TOO_MANY_TAGS_MESSAGE,
    ApiError,
    bad_request,
    invalid_request,
    invalid_target,
)
from activitysmith_mock.schemas import Action, PushContent

Model = TypeVar("Model", bound=BaseModel)

TAG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
STREAM_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
SCHEME_PATTERN = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# "Internal and executable schemes are blocked" (the API docs); the CLI's list is the best public hint.
BLOCKED_SCHEMES = frozenset(
    {
        "javascript",
        "vbscript",
        "data",
        "file",
        "about",
        "blob",
        "filesystem",
        "itms-services",
        "jar",
        "view-source",
    }
)
MAX_TAGS = 20
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 100
MAX_METADATA_STRING = 4000
MAX_METADATA_BYTES = 16384
_UNION_MEMBER = re.compile(r"[\[\-]|^(int|float|str|bool|dict|list|none)$")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes, *, optional: bool = False, allow_non_finite: bool = False) -> Any:
    """The request body as JSON; malformed JSON is a 400 (FastAPI would answer 422).

    NaN/Infinity are not JSON; only the metrics endpoint reads them, to answer its documented MetricError.
    Nesting deeper than `safe_json.MAX_DEPTH` and strings that are not valid Unicode (a lone surrogate escape)
    are 400s too: the service could neither store nor show them (safe_json.py).
    """
    if not raw.strip():
        if optional:
            return None
        raise invalid_request("body: a JSON object is required")
    try:
        document = safe_json.load(raw, parse_constant=None if allow_non_finite else _no_constants)
    except safe_json.TooDeep as exc:
        raise bad_request("Invalid JSON", f"body: {exc}", "invalid_json") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("Invalid JSON", f"body: malformed JSON ({exc})", "invalid_json") from None
    where = safe_json.lone_surrogate_path(document)
    if where is not None:
        raise invalid_request(
            f"{where}: is not valid Unicode text (it holds a lone surrogate escape such as \\ud800)"
        )
    return document


def parse_model(model: type[Model], document: Any) -> Model:
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise invalid_request(describe_errors(exc.errors(include_url=False))) from None


def describe_errors(errors: Any) -> str:
    """`field.path: problem` for each failing field; union alternatives on one field are merged."""
    by_path: dict[str, list[str]] = {}
    for error in errors:
        parts = [str(part) for part in error["loc"] if part != "body"]
        path = ".".join(part for part in parts if not _UNION_MEMBER.search(part)) or "body"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] in ("model_type", "dict_type", "model_attributes_type"):
            message = "Input should be an object"
        if error["type"] == "extra_forbidden":
            message = "unknown field (not allowed)"
        by_path.setdefault(path, [])
        if message not in by_path[path]:
            by_path[path].append(message)
    lines = []
    for path, messages in by_path.items():
        text = messages[0] if len(messages) == 1 else "wrong type or value (" + "; ".join(messages[:3]) + ")"
        lines.append(f"{path}: {text}")
    return "; ".join(lines)


def check_stream_key(stream_key: str) -> str:
    if not STREAM_KEY_PATTERN.match(stream_key) or len(stream_key) > 255:
        raise bad_request("Invalid stream_key", INVALID_STREAM_KEY_MESSAGE, "invalid_stream_key")
    return stream_key


def check_target(target: Any) -> list[str] | None:
    """`target: {channels: [...]}` → the slugs; verbatim 400 when it is not an array of slugs."""
    if target is None:
        return None
    if not isinstance(target, dict) or set(target) != {"channels"}:
        raise invalid_target("target.channels must be an array of channel slugs")
    channels = target["channels"]
    if not isinstance(channels, list) or not all(isinstance(c, str) and c.strip() for c in channels):
        raise invalid_target("target.channels must be an array of channel slugs")
    if not channels:
        raise invalid_target("target.channels must be an array of channel slugs")
    return list(dict.fromkeys(c.strip() for c in channels))


def check_stream_channels(channels: Any, target: Any) -> list[str] | None:
    """Streams take `channels` (streamlined) or `target.channels`; both given, they must match."""
    from_target = check_target(target)
    if channels is None:
        return from_target
    if not isinstance(channels, list) or not all(isinstance(c, str) and c.strip() for c in channels):
        raise invalid_target("channels must be an array of channel slugs")
    if not channels:
        raise invalid_target("channels must contain at least one channel")
    slugs = list(dict.fromkeys(c.strip() for c in channels))
    if from_target is not None and set(from_target) != set(slugs):
        raise invalid_target("channels and target.channels must match when both are provided")
    return slugs


def check_tags(tags: Any, *, patterned: bool = True) -> list[str] | None:
    """Tags as documented: 1-64 chars (the slug pattern on push/start/stream), at most 20 unique values."""
    if tags is None:
        return None
    invalid = bad_request("Invalid tags", INVALID_TAGS_MESSAGE, "invalid_tags")
    if not isinstance(tags, list):
        raise invalid
    for tag in tags:
        if not isinstance(tag, str) or not 1 <= len(tag) <= 64:
            raise invalid
        if patterned and not TAG_PATTERN.match(tag):
            raise invalid
    unique = list(dict.fromkeys(tags))
    if len(unique) > MAX_TAGS or (not patterned and len(tags) > MAX_TAGS):
        raise bad_request("Invalid tags", TOO_MANY_TAGS_MESSAGE, "invalid_tags")
    return unique


def check_metadata(metadata: Any) -> dict[str, Any] | None:
    """Flat string/number/boolean values, ≤50 keys, key ≤100 chars, string ≤4000, ≤16384 bytes as JSON."""
    if metadata is None:
        return None

    def fail(message: str) -> ApiError:
        return bad_request("Invalid metadata", message, "invalid_metadata")

    if not isinstance(metadata, dict):
        raise fail("metadata: must be an object")
    if len(metadata) > MAX_METADATA_KEYS:
        raise fail(f"metadata: at most {MAX_METADATA_KEYS} keys are allowed, got {len(metadata)}")
    for key, value in metadata.items():
        if len(key) > MAX_METADATA_KEY_LENGTH:  # the API docs: keys ≤ 100 characters, no minimum
            raise fail(f"metadata.{key[:40]}: keys must be at most {MAX_METADATA_KEY_LENGTH} characters")
        if isinstance(value, str):
            if len(value) > MAX_METADATA_STRING:
                raise fail(f"metadata.{key}: strings must be at most {MAX_METADATA_STRING} characters")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float):
            if not math.isfinite(value):
                raise fail(f"metadata.{key}: numbers must be finite")
        elif value is None:
            raise fail(f"metadata.{key}: null is not supported; values are strings, numbers or booleans")
        else:
            raise fail(f"metadata.{key}: nested objects and arrays are not supported")
    size = len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise fail(f"metadata: serialized size is {size} bytes, the limit is {MAX_METADATA_BYTES}")
    return metadata


def _bad_url(field: str, problem: str) -> ApiError:
    return bad_request("Invalid URL", f"{field}: {problem}", "invalid_url")


def _split(field: str, url: str) -> SplitResult:
    """`urlsplit`, with a malformed URL (`https://[::1`) answered as the 400 it is instead of a 500."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018  (parsing the netloc is what raises for a bad IPv6 literal)
    except ValueError:
        raise _bad_url(field, "is not a valid URL") from None
    return parts


def check_https_url(field: str, url: str, *, allow_credentials: bool = True) -> None:
    """The reference's pattern `^https://` as written: lowercase, no leading blanks, and a host."""
    parts = _split(field, url)
    if not url.startswith("https://") or not parts.hostname:
        raise _bad_url(field, "must be an https:// URL")
    if not allow_credentials and (parts.username or parts.password):
        raise _bad_url(field, "must not contain credentials")


def check_app_url(field: str, url: str) -> None:
    """Push redirection / push open_url: HTTP(S), Shortcuts or an installed app's scheme; not blocked ones."""
    match = SCHEME_PATTERN.match(url)
    if not match:
        raise _bad_url(field, "must start with a URL scheme (https://, shortcuts://, myapp://)")
    scheme = match.group(1).lower()
    if scheme in BLOCKED_SCHEMES:
        raise _bad_url(field, f"the {scheme}: scheme is blocked (internal or executable)")
    if scheme in ("http", "https") and not _split(field, url).hostname:
        raise _bad_url(field, "an http(s) URL needs a host")


def check_live_activity_open_url(field: str, url: str) -> None:
    """As the API documents it: an HTTP or HTTPS URL (with a host), or `shortcuts://run-shortcut?name=...`."""
    if re.match(r"https?://", url) and _split(field, url).hostname:
        return
    if url.startswith("shortcuts://run-shortcut?"):
        return
    raise _bad_url(field, "must be an http://, https:// or shortcuts:// URL")


def check_action(field: str, action: Action | None, *, push: bool) -> None:
    if action is None:
        return
    if action.type == "webhook":
        check_https_url(f"{field}.url", action.url)
    elif push:
        check_app_url(f"{field}.url", action.url)
    else:
        check_live_activity_open_url(f"{field}.url", action.url)


def check_buttons(body: Any) -> None:
    """A Live Activity's `action` and `secondary_action` (legacy start/update/end, stream PUT and DELETE)."""
    check_action("action", body.action, push=False)
    check_action("secondary_action", body.secondary_action, push=False)


def check_push(request: PushContent) -> None:
    if request.media is not None and request.actions:
        raise bad_request(
            "Invalid request", "media: media cannot be combined with actions", "media_with_actions"
        )
    if request.icon is not None:
        check_https_url("icon", request.icon, allow_credentials=False)
    if request.media is not None:
        check_https_url("media", request.media)
    if request.redirection is not None:
        check_app_url("redirection", request.redirection)
    for index, action in enumerate(request.actions or []):
        check_action(f"actions.{index}", action, push=True)
