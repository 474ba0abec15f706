"""pydantic models of the ActivitySmith request bodies (docs/api.md), one per endpoint.

They check structure: field names (`extra="forbid"`, as the API's `additionalProperties: false`), types
(strict: `"3"` is not a number and `true` is not a number), enums, bounds, URL schemes, tag and metadata
limits. Rules that depend on the Live Activity type and on start/update/end live in `rules.py`, because
they need to name sibling fields in their messages. Validators raise plain `ValueError`; `request.py`
turns every pydantic error into a message naming the field as the user spelled it.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

Colour = Literal["lime", "green", "cyan", "blue", "purple", "magenta", "red", "orange", "yellow", "gray"]
ActivityType = Literal["segmented_progress", "progress", "metrics", "stats", "alert", "timer", "value"]
ACTIVITY_TYPES: tuple[str, ...] = ActivityType.__args__  # type: ignore[attr-defined]

_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Schemes that run code, install apps or reach local data instead of opening something for the user
# ("internal and executable schemes are blocked"; the official CLI's list is the best public hint).
_BLOCKED_SCHEMES = frozenset(
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
MAX_METADATA_BYTES = 16384


class _Strict(BaseModel):
    # defer_build: pydantic builds a model's validator on its first use instead of at import, so a step
    # builds only the model of its own action (building all of them was the largest part of start-up).
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


NonEmpty = Annotated[str, AfterValidator(_non_empty)]


def _host(value: str) -> str | None:
    """The host of an http(s) URL, or None when it has none or is malformed (`https://[::1`)."""
    try:
        return urlsplit(value).hostname
    except ValueError:
        return None


def _https(value: str) -> str:
    if not value.startswith("https://") or not _host(value):
        raise ValueError(f"must be an https:// URL; got {value!r}")
    if "@" in value.split("/", 3)[2]:
        raise ValueError("must not contain credentials (user:password@)")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https)]


def _link(value: str) -> str:
    """A tap target: http(s), Shortcuts or an installed app's own scheme; not code-running schemes."""
    match = _SCHEME.match(value)
    if not match:
        raise ValueError(
            f"must be a URL with a scheme (https://..., shortcuts://..., myapp://...); got {value!r}"
        )
    scheme = match.group(0)[:-1].lower()
    if scheme in _BLOCKED_SCHEMES:
        raise ValueError(
            f"the {match.group(0)} scheme is blocked by ActivitySmith; use https:// or an app scheme"
        )
    if scheme in ("http", "https") and not (re.match(r"[A-Za-z]+://[^/?#\s]", value) and _host(value)):
        raise ValueError(f"an {scheme}:// URL needs a host; got {value!r}")
    if len(value) > 2048:
        raise ValueError("must be at most 2048 characters")
    return value


def _web_or_shortcut(value: str) -> str:
    """Live Activity buttons open http(s) pages or run a Shortcut, nothing else (docs/api.md, "Buttons")."""
    if len(value) > 2048:
        raise ValueError("must be at most 2048 characters")
    if value.startswith("shortcuts://run-shortcut?"):
        return value
    if re.match(r"https?://[^/\s]+", value) and _host(value):
        return value
    raise ValueError(
        f"must be an http:// or https:// URL or shortcuts://run-shortcut?name=...; got {value!r}"
    )


def _tag(tag: str) -> str:
    """One tag on push, start and streams: the API's TagSlugs pattern (reported at `payload.tags[i]`)."""
    if not _TAG.fullmatch(tag):
        raise ValueError(
            "must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit; "
            f"got {json.dumps(tag, ensure_ascii=False)}"
        )
    return tag


def _update_tag(tag: str) -> str:
    """One tag on update and end: the API documents only the length there."""
    if not 1 <= len(tag) <= 64:
        raise ValueError(f"must be 1-64 characters; got {len(tag)}")
    return tag


def _unique_tags(tags: list[str]) -> list[str]:
    if len(set(tags)) > 20:
        raise ValueError(f"must contain at most 20 unique values; got {len(set(tags))}")
    return tags


Tags = Annotated[list[Annotated[str, AfterValidator(_tag)]], AfterValidator(_unique_tags)]
UpdateTags = Annotated[
    list[Annotated[str, AfterValidator(_update_tag)]], Field(max_length=20), AfterValidator(_unique_tags)
]


def _metadata_value(item: Any) -> Any:
    """One metadata value (reported at `payload.metadata.<key>`): a flat string, number or boolean."""
    if isinstance(item, str):
        if len(item) > 4000:
            raise ValueError(f"must be at most 4000 characters; got {len(item)}")
    elif isinstance(item, float) and not math.isfinite(item):
        raise ValueError("must be a finite number")
    elif not isinstance(item, int | float | bool):
        raise ValueError("must be a string, number or true/false (no objects, lists or null)")
    return item


def _metadata(value: dict[str, Any]) -> dict[str, Any]:
    if len(value) > 50:
        raise ValueError(f"must have at most 50 keys; got {len(value)}")
    for key in value:
        if len(key) > 100:
            raise ValueError(f"key {key[:20]!r}... is longer than 100 characters")
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"must serialise to at most {MAX_METADATA_BYTES} bytes of JSON; got {size}")
    return value


Metadata = Annotated[dict[str, Annotated[Any, AfterValidator(_metadata_value)]], AfterValidator(_metadata)]


def _metric_value(value: Any) -> Any:
    """A number or a 1-64 character string; never a bool (JSON true is not a value the API shows)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be a number or a string of 1-64 characters; got {json.dumps(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if isinstance(value, str) and not 1 <= len(value) <= 64:
        raise ValueError(f"must be 1-64 characters when it is a string; got {len(value)}")
    return value


MetricValue = Annotated[Any, AfterValidator(_metric_value)]


def _non_negative_metric(value: Any) -> Any:
    value = _metric_value(value)
    if isinstance(value, int | float) and value < 0:
        raise ValueError(f"must be ≥ 0 when it is a number; got {value}")
    return value


_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


def _date_time(value: str) -> str:
    """An ISO 8601 date and time (the API's `format: date-time`), e.g. 2026-01-28T09:57:22Z."""
    try:
        ok = bool(_DATE_TIME.match(value)) and bool(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"must be an ISO 8601 date and time such as 2026-01-28T09:57:22Z; got {json.dumps(value)}"
        )
    return value


class ChannelTarget(_Strict):
    channels: Annotated[list[NonEmpty], Field(min_length=1)]


class _Button(_Strict):
    """A Live Activity button (`action`, `secondary_action`)."""

    title: NonEmpty
    type: Literal["open_url", "webhook"]
    url: str
    method: Literal["GET", "POST"] | None = None
    body: dict[str, Any] | None = None

    @classmethod
    def _open_url_rule(cls, value: str) -> str:
        return _web_or_shortcut(value)

    @field_validator("url")
    @classmethod
    def _url_for_type(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("type") == "webhook":
            if not value.startswith("https://"):
                raise ValueError(f"a webhook must be an https:// URL; got {value!r}")
            if len(value) > 2048:
                raise ValueError("must be at most 2048 characters")
            return _https(value)
        return cls._open_url_rule(value)

    # `method` is accepted on open_url too: it does nothing there, but the official SDK sends its default
    # (POST) on every button. A `body` on open_url would be silently dropped, so it stays an error.
    @field_validator("body")
    @classmethod
    def _webhook_only(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("type") == "open_url" and value is not None:
            raise ValueError("is only used with type: webhook (an open_url button sends no body)")
        return value


class PushButton(_Button):
    """A push notification action: `open_url` may also use an installed app's scheme."""

    @classmethod
    def _open_url_rule(cls, value: str) -> str:
        return _link(value)


class PushReplaceRequest(_Strict):
    """What a push shows; replacing a sent push sends all of it again (the API's replace request)."""

    title: NonEmpty
    message: str | None = None
    subtitle: str | None = None
    icon: HttpsUrl | None = None
    media: HttpsUrl | None = None
    redirection: Annotated[str, AfterValidator(_link)] | None = None
    actions: Annotated[list[PushButton], Field(max_length=4)] | None = None
    payload: dict[str, Any] | None = None
    badge: Annotated[int, Field(ge=0, le=2147483647)] | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class PushRequest(PushReplaceRequest):
    """A new push: also how it interrupts, its sound and whom it targets (a replacement keeps all three)."""

    interruption_level: Literal["passive", "active", "time-sensitive"] | None = None
    sound: str | None = None
    target: ChannelTarget | None = None


class Metric(_Strict):
    label: NonEmpty
    value: Annotated[Any, AfterValidator(_non_negative_metric)]
    unit: str | None = None
    color: Colour | None = None


class Icon(_Strict):
    symbol: NonEmpty
    color: Colour | None = None


class Badge(_Strict):
    title: NonEmpty
    color: Colour | None = None


class Alert(_Strict):
    title: str | None = None
    body: str | None = None


def _readout(value: Any) -> Any:
    if value is None:  # an explicit null is an absent value, as for every other optional field
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be a number or a string; got {json.dumps(value)}")
    if isinstance(value, str) and not value:
        raise ValueError("must not be empty")
    return value


class ContentState(_Strict):
    """Every content-state field of every type; which ones a type needs is checked in rules.py."""

    title: NonEmpty
    type: ActivityType | None = None
    subtitle: str | None = None
    number_of_steps: Annotated[int, Field(ge=1)] | None = None
    current_step: Annotated[int, Field(ge=0)] | None = None
    percentage: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    value: Annotated[Any, AfterValidator(_readout)] = None
    upper_limit: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    duration_seconds: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    counts_down: bool | None = None
    is_running: bool | None = None
    metrics: Annotated[list[Metric], Field(min_length=1, max_length=8)] | None = None
    message: Annotated[str, Field(min_length=1)] | None = None
    icon: Icon | None = None
    badge: Badge | None = None
    color: Colour | None = None
    step_color: Colour | None = None
    step_colors: list[Colour] | None = None
    auto_dismiss_minutes: Annotated[int, Field(ge=0)] | None = None
    auto_dismiss_seconds: Annotated[int, Field(ge=0)] | None = None


class StartRequest(_Strict):
    content_state: ContentState
    action: _Button | None = None
    secondary_action: _Button | None = None
    alert: Alert | None = None
    target: ChannelTarget | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class UpdateRequest(_Strict):
    """Also the end request: the API gives both the same shape."""

    activity_id: NonEmpty
    content_state: ContentState
    action: _Button | None = None
    secondary_action: _Button | None = None
    tags: UpdateTags | None = None
    metadata: Metadata | None = None


class StreamRequest(_Strict):
    content_state: ContentState
    action: _Button | None = None
    secondary_action: _Button | None = None
    alert: Alert | None = None
    channels: Annotated[list[NonEmpty], Field(min_length=1)] | None = None
    target: ChannelTarget | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class StreamEndRequest(_Strict):
    content_state: ContentState | None = None
    action: _Button | None = None
    secondary_action: _Button | None = None
    alert: Alert | None = None
    tags: Tags | None = None
    metadata: Metadata | None = None


class MetricRequest(_Strict):
    value: MetricValue
    timestamp: Annotated[str, AfterValidator(_date_time)] | None = None


class BadgeRequest(_Strict):
    badge: Annotated[int, Field(ge=0, le=2147483647)]
    target: ChannelTarget | None = None
