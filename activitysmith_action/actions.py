"""The one table of what the step can do: every fact the action knows per ActivitySmith action.

Read this first. Each row says how the request goes on the wire (method, path, body model), which input
carries the id and where it goes, whether the request is targeted by channels, whether sending it twice is
harmless, and how messages name it. inputs.py, request.py, client.py and the summary read the row; none of
them keeps a list of its own. Adding an action means adding a row here (and its model in models.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "QUICK_INPUTS",
    "ActionSpec",
    "IdInput",
    "Phase",
    "QuickHome",
    "QuickInput",
    "listed",
    "spec_for",
]

IdInput = Literal["live-activity-id", "stream-key", "metric-key", "notification-id"]
# Which per-type Live Activity rules apply to the request's content state (rules.py).
Phase = Literal["start", "update", "end", "stream", "stream_end"]
# Where the quick inputs (`title`, `current-step`, ...) land in the body: at its top level (a push) or in its
# `content_state` (every Live Activity request). quick.py reads this; None: the action takes none of them.
QuickHome = Literal["top", "content_state"]


@dataclass(frozen=True, kw_only=True)
class ActionSpec:
    name: str
    method: Literal["POST", "PUT", "DELETE"]
    # `{key}` is replaced by the URL-quoted id input (stream key, metric key or notification id).
    path: str
    # The request-body model's name in models.py, resolved only for the chosen action (request.py).
    model: str
    phase: Phase | None
    # The input that must carry an id, and the body field it becomes (None: it goes into the path).
    id_input: IdInput | None
    id_body_field: str | None
    # Whether the body may carry `target.channels` (the `channels` input and a payload `channels` apply).
    takes_channels: bool
    # Whether sending it twice does no harm: a push or a start would notify twice, so those are repeated only
    # when the first attempt certainly was not processed (client.py).
    repeat_safe: bool
    payload_required: bool
    quick_home: QuickHome | None
    # How messages name the request: `short` in lists ("push, start, stream and badge requests take a
    # target"), `noun` in sentences ("the push notification may have been delivered").
    short: str
    noun: str


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec(
            name="send_push_notification", method="POST", path="/push-notification",
            model="PushRequest", phase=None, id_input=None, id_body_field=None,
            takes_channels=True, repeat_safe=False, payload_required=True, quick_home="top",
            short="push", noun="push notification",
        ),
        ActionSpec(
            name="replace_push_notification", method="PUT", path="/push-notification/{key}",
            model="PushReplaceRequest", phase=None, id_input="notification-id", id_body_field=None,
            takes_channels=False, repeat_safe=True, payload_required=True, quick_home="top",
            short="replace", noun="push replacement",
        ),
        ActionSpec(
            name="start_live_activity", method="POST", path="/live-activity/start",
            model="StartRequest", phase="start", id_input=None, id_body_field=None,
            takes_channels=True, repeat_safe=False, payload_required=True, quick_home="content_state",
            short="start", noun="Live Activity start",
        ),
        ActionSpec(
            name="update_live_activity", method="POST", path="/live-activity/update",
            model="UpdateRequest", phase="update", id_input="live-activity-id", id_body_field="activity_id",
            takes_channels=False, repeat_safe=True, payload_required=True, quick_home="content_state",
            short="update", noun="Live Activity update",
        ),
        ActionSpec(
            name="end_live_activity", method="POST", path="/live-activity/end",
            model="UpdateRequest", phase="end", id_input="live-activity-id", id_body_field="activity_id",
            takes_channels=False, repeat_safe=True, payload_required=True, quick_home="content_state",
            short="end", noun="Live Activity end",
        ),
        ActionSpec(
            name="stream_live_activity", method="PUT", path="/live-activity/stream/{key}",
            model="StreamRequest", phase="stream", id_input="stream-key", id_body_field=None,
            takes_channels=True, repeat_safe=True, payload_required=True, quick_home="content_state",
            short="stream", noun="stream update",
        ),
        ActionSpec(
            name="end_live_activity_stream", method="DELETE", path="/live-activity/stream/{key}",
            model="StreamEndRequest", phase="stream_end", id_input="stream-key", id_body_field=None,
            takes_channels=False, repeat_safe=True, payload_required=False, quick_home="content_state",
            short="stream end", noun="stream end",
        ),
        ActionSpec(
            name="update_metric_value", method="POST", path="/metrics/{key}/value",
            model="MetricRequest", phase=None, id_input="metric-key", id_body_field=None,
            takes_channels=False, repeat_safe=True, payload_required=True, quick_home=None,
            short="metric", noun="metric value",
        ),
        ActionSpec(
            name="update_app_icon_badge_count", method="POST", path="/badge",
            model="BadgeRequest", phase=None, id_input=None, id_body_field=None,
            takes_channels=True, repeat_safe=True, payload_required=True, quick_home=None,
            short="badge", noun="badge count",
        ),
    )
}  # fmt: skip
ACTION_NAMES: tuple[str, ...] = tuple(ACTIONS)


@dataclass(frozen=True)
class QuickInput:
    """One quick input: a single field of the body given as its own `with:` line, for one-line steps.

    `field` is the body field it fills at the action's `quick_home`; `homes` are the homes where that field
    exists (a push has no `type` or `color`). `kind` says how the text becomes a JSON value: as is, a whole
    number, a number, or (`run_link`) true/false for a link to this run: the push's `redirection`, or an
    `open_url` button (`action`) on a Live Activity.
    """

    name: str
    field: str
    kind: Literal["text", "whole", "number", "run_link"]
    homes: tuple[QuickHome, ...]


QUICK_INPUTS: tuple[QuickInput, ...] = (
    QuickInput("title", "title", "text", ("top", "content_state")),
    QuickInput("message", "message", "text", ("top", "content_state")),
    QuickInput("subtitle", "subtitle", "text", ("top", "content_state")),
    QuickInput("type", "type", "text", ("content_state",)),
    QuickInput("current-step", "current_step", "whole", ("content_state",)),
    QuickInput("number-of-steps", "number_of_steps", "whole", ("content_state",)),
    QuickInput("percentage", "percentage", "number", ("content_state",)),
    QuickInput("color", "color", "text", ("content_state",)),
    QuickInput("link-to-run", "redirection", "run_link", ("top", "content_state")),
)


def spec_for(name: str) -> ActionSpec | None:
    """The row for `name`, or None when it is not an action we know."""
    return ACTIONS.get(name)


def listed(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`: how messages list things."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
