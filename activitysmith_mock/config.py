"""The service's seed: accounts, API keys, channels, members, devices, metrics and settings.

A YAML file (`--config`) or a JSON body (`POST /_mock/reset`) holds one `ServiceConfig`. Every default is the
number the API reference documents; settings that cover an UNCONFIRMED point of the reference (404 vs 422 for
"no recipients", the auto-dismiss default, the 8-hour limit) are here so users can pick the other behaviour.
Bad values are refused with a `ConfigError` naming the field, e.g. `accounts.0.members.0.devices.0.capacity`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_API_KEY = "ask_local_demo_key_0123456789abcdef"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
METRIC_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
BillingState = Literal["active", "trial_expired", "trial_exhausted", "billing_overage_cap_reached"]


class ConfigError(Exception):
    """The config document is unusable; the message names the field and the problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RateLimits(_Strict):
    """Requests allowed per window: per client IP (each feature separately) and per account per feature."""

    window_seconds: int = Field(60, gt=0)
    ip: int = Field(600, ge=1)
    notifications: int = Field(60, ge=1)
    live_activities: int = Field(300, ge=1)
    metrics: int = Field(300, ge=1)
    badges: int = Field(60, ge=1)


class Settings(_Strict):
    no_recipients_status: Literal[404, 422] = Field(
        422, description="422 per the newest spec; 404 per the older docs and SDK 1.12 (UNCONFIRMED)."
    )
    auto_dismiss_minutes: int = Field(
        3,
        ge=0,
        description="Default dismissal after end: 3 per the spec, 2 per the prose docs (UNCONFIRMED).",
    )
    activity_max_age_hours: float = Field(8, gt=0, description="iOS ends a Live Activity after 8 hours.")
    default_device_capacity: int = Field(5, ge=1, description="Concurrent Live Activities per device.")
    rate_limits: RateLimits = RateLimits()
    webhook_redirects: dict[str, str] = Field(default_factory=dict)
    webhook_timeout_seconds: float = Field(5, gt=0)
    webhook_allow_network: bool = Field(
        False, description="Call webhook URLs that no redirect covers; off so a local run stays offline."
    )
    push_replace_window_seconds: float | None = Field(
        None,
        gt=0,
        description="Replacing a push sent longer ago than this answers 409 (the API lists a 409 for replace "
        "but documents no cause: UNCONFIRMED). None: a push can be replaced at any time.",
    )
    capacity_policy: Literal["end_oldest", "refuse"] = Field(
        "end_oldest",
        description="A legacy start on a full device: end its oldest Live Activity and report "
        "ended_activity_id (the newest contract), or refuse with 429 LiveActivityLimitError.",
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest request body (413 above it). The API documents no limit; the action caps a "
        "payload at 256 KiB, so anything it sends fits.",
    )

    @field_validator("activity_max_age_hours", "webhook_timeout_seconds", "push_replace_window_seconds")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @field_validator("webhook_redirects")
    @classmethod
    def _redirects(cls, redirects: dict[str, str]) -> dict[str, str]:
        for origin, base in redirects.items():
            parts = urlsplit(origin)
            if parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/") or parts.query:
                raise ValueError(
                    f"{origin!r}: the key must be an https origin such as https://hooks.example.com"
                )
            target = urlsplit(base)
            if target.scheme not in ("http", "https") or not target.netloc:
                raise ValueError(
                    f"{origin!r}: the target must be an http(s) base URL such as http://127.0.0.1:9999"
                )
        return {origin.rstrip("/"): base.rstrip("/") for origin, base in redirects.items()}


class TrialPeriod(_Strict):
    started_at: str
    ends_at: str


class DeviceConfig(_Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str | None = None
    capacity: int | None = Field(None, ge=1, description="Defaults to settings.default_device_capacity.")
    connected: bool = True


class MemberConfig(_Strict):
    name: str = Field(min_length=1)
    channels: list[str] = Field(default_factory=list)
    devices: list[DeviceConfig] = Field(default_factory=list)


class ApiKeyConfig(_Strict):
    key: str = Field(min_length=8, pattern=r"^[A-Za-z0-9_-]+$")
    channels: list[str] | None = Field(
        None, description="null: the key reaches all recipients; a list: the key is scoped to those channels."
    )

    @field_validator("channels")
    @classmethod
    def _non_empty(cls, channels: list[str] | None) -> list[str] | None:
        if channels is not None and not channels:
            raise ValueError("a scoped key needs at least one channel (use null for all recipients)")
        return channels


class AccountConfig(_Strict):
    name: str = Field(min_length=1)
    billing: BillingState = "active"
    trial_period: TrialPeriod | None = None
    channels: list[str] = Field(default_factory=list)
    api_keys: list[ApiKeyConfig] = Field(min_length=1)
    members: list[MemberConfig] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)

    @field_validator("channels")
    @classmethod
    def _slugs(cls, channels: list[str]) -> list[str]:
        for slug in channels:
            if not SLUG_PATTERN.match(slug):
                raise ValueError(f"{slug!r} is not a channel slug (lowercase letters, digits, '-' and '_')")
        return channels

    @field_validator("metrics")
    @classmethod
    def _metric_keys(cls, keys: list[str]) -> list[str]:
        for key in keys:
            if not METRIC_KEY_PATTERN.match(key):
                raise ValueError(f"{key!r} does not match {METRIC_KEY_PATTERN.pattern}")
        return keys

    @model_validator(mode="after")
    def _channels_declared(self) -> AccountConfig:
        declared = set(self.channels)
        for index, key in enumerate(self.api_keys):
            for slug in key.channels or []:
                if slug not in declared:
                    raise ValueError(f"api_keys.{index}.channels: {slug!r} is not in this account's channels")
        for index, member in enumerate(self.members):
            for slug in member.channels:
                if slug not in declared:
                    raise ValueError(f"members.{index}.channels: {slug!r} is not in this account's channels")
        return self


class ServiceConfig(_Strict):
    settings: Settings = Settings()
    accounts: list[AccountConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ServiceConfig:
        _require_unique("accounts", [account.name for account in self.accounts], "name")
        _require_unique("api_keys", [k.key for a in self.accounts for k in a.api_keys], "key")
        devices = [d.id for a in self.accounts for m in a.members for d in m.devices]
        _require_unique("devices", devices, "id")
        return self

    def capacity_of(self, device: DeviceConfig) -> int:
        return device.capacity or self.settings.default_device_capacity


def _require_unique(what: str, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            shown = "(a duplicated key)" if field == "key" else repr(value)
            raise ValueError(f"{what}: {field} {shown} is used twice; each must be unique")
        seen.add(value)


def default_accounts(api_key: str) -> list[dict[str, Any]]:
    """The documented no-config seed (docs/local-service.md, "Command line")."""
    return [
        {
            "name": "local",
            "channels": ["ops", "deploys"],
            "api_keys": [{"key": api_key}],
            "members": [
                {
                    "name": "you",
                    "channels": ["ops", "deploys"],
                    "devices": [{"id": "iphone", "name": "iPhone", "capacity": 5}],
                }
            ],
            "metrics": ["deploy.success_rate", "queue.depth"],
        }
    ]


def build_config(document: Any, default_api_key: str = DEFAULT_API_KEY) -> ServiceConfig:
    """Validate a config document. Without `accounts` the default account (with `default_api_key`) is used."""
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ConfigError(
            f"the config must be a mapping with 'settings' and/or 'accounts', got {type(document).__name__}"
        )
    document = dict(document)
    document.setdefault("accounts", default_accounts(default_api_key))
    try:
        return ServiceConfig.model_validate(document)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def load_config_file(path: Path, default_api_key: str = DEFAULT_API_KEY) -> ServiceConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    try:
        return build_config(document, default_api_key)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, `dotted.field.path: message`, without echoing inputs (they may hold keys)."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{location}: {message}" if location else message)
    return "; ".join(lines)
