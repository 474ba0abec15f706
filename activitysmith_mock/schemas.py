"""The service's own wire models for request bodies (extra="forbid", strict types), as the API documents them.

These models check shapes, enums and bounds. Rules that need more than one field or the activity's current
state (required fields per Live Activity type, media+actions, URL schemes, tags, metadata) live in
`validation.py` and `content_rules.py`, so each error gets the documented message.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

ActivityType = Literal["segmented_progress", "progress", "metrics", "stats", "alert", "timer", "value"]
Colour = Literal["lime", "green", "cyan", "blue", "purple", "magenta", "red", "orange", "yellow", "gray"]
ActionType = Literal["open_url", "webhook"]
WebhookMethod = Literal["GET", "POST"]
InterruptionLevel = Literal["passive", "active", "time-sensitive"]

FiniteNumber = Annotated[StrictInt | StrictFloat, Field(allow_inf_nan=False)]
NonNegative = Annotated[StrictInt | StrictFloat, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[StrictInt | StrictFloat, Field(gt=0, allow_inf_nan=False)]
ShortText = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class Wire(BaseModel):
    """Every request object in the reference has additionalProperties: false."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ChannelTarget(Wire):
    channels: list[StrictStr] = Field(min_length=1)


class Action(Wire):
    """A push action or a Live Activity button; URL rules differ per kind (validation.py)."""

    title: StrictStr = Field(min_length=1)
    type: ActionType
    url: StrictStr = Field(min_length=1, max_length=2048)
    method: WebhookMethod | None = None
    body: dict[str, Any] | None = None


class AlertIcon(Wire):
    symbol: StrictStr = Field(min_length=1)
    color: Colour | None = None


class AlertBadge(Wire):
    title: StrictStr = Field(min_length=1)
    color: Colour | None = None


class ActivityMetric(Wire):
    label: StrictStr = Field(min_length=1)
    value: NonNegative | ShortText
    unit: StrictStr | None = None
    color: Colour | None = None


class AlertPayload(Wire):
    title: StrictStr | None = None
    body: StrictStr | None = None


class ContentState(Wire):
    """Fields shared by every content state; `type` is optional except at start (content_rules.py)."""

    title: StrictStr
    type: ActivityType | None = None
    subtitle: StrictStr | None = None
    number_of_steps: StrictInt | None = Field(None, ge=1)
    current_step: StrictInt | None = Field(None, ge=0)
    percentage: Annotated[StrictInt | StrictFloat, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    value: FiniteNumber | StrictStr | None = None
    upper_limit: Positive | None = None
    duration_seconds: Positive | None = None
    counts_down: bool | None = None
    is_running: bool | None = None
    metrics: list[ActivityMetric] | None = Field(None, min_length=1, max_length=8)
    message: StrictStr | None = Field(None, min_length=1)
    icon: AlertIcon | None = None
    badge: AlertBadge | None = None
    color: Colour | None = None
    step_color: Colour | None = None
    step_colors: list[Colour] | None = None


class ContentStateStart(ContentState):
    type: ActivityType  # required at start


class ContentStateEnd(ContentState):
    auto_dismiss_minutes: StrictInt | None = Field(None, ge=0)


class StreamContentState(ContentStateEnd):
    auto_dismiss_seconds: StrictInt | None = Field(None, ge=0)


class _Delivered(Wire):
    tags: Any = None
    metadata: Any = None


class PushContent(_Delivered):
    """What a push shows; a replacement sends all of it again (and only this)."""

    title: StrictStr
    message: StrictStr | None = None
    subtitle: StrictStr | None = None
    icon: StrictStr | None = None
    media: StrictStr | None = None
    redirection: StrictStr | None = Field(None, max_length=2048)
    actions: list[Action] | None = Field(None, max_length=4)
    payload: dict[str, Any] | None = None
    badge: StrictInt | None = Field(None, ge=0, le=2147483647)


class PushNotificationRequest(PushContent):
    interruption_level: InterruptionLevel | None = None
    sound: StrictStr | None = None
    target: Any = None


class PushReplaceRequest(PushContent):
    """PUT /push-notification/{notification_id}: no target (same recipients), no sound or level (silent)."""


class _Buttons(_Delivered):
    action: Action | None = None
    secondary_action: Action | None = None


class LiveActivityStartRequest(_Buttons):
    content_state: ContentStateStart
    alert: AlertPayload | None = None
    target: Any = None


class LiveActivityUpdateRequest(_Buttons):
    activity_id: StrictStr = Field(min_length=1)
    content_state: ContentState


class LiveActivityEndRequest(_Buttons):
    activity_id: StrictStr = Field(min_length=1)
    content_state: ContentStateEnd


class StreamPutRequest(_Buttons):
    content_state: StreamContentState
    alert: AlertPayload | None = None
    channels: Any = None
    target: Any = None


class StreamDeleteRequest(_Buttons):
    content_state: StreamContentState | None = None
    alert: AlertPayload | None = None


class MetricValueRequest(Wire):
    value: Any
    timestamp: StrictStr | None = None


class BadgeRequest(Wire):
    badge: StrictInt = Field(ge=0, le=2147483647)
    target: Any = None
