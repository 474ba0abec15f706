"""request.py + models.py + rules.py: one request per action, every problem named by its field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from activitysmith_action.errors import PayloadError
from activitysmith_action.inputs import Inputs
from activitysmith_action.redact import Redactor
from activitysmith_action.request import build_request

NO_KEY = Redactor("")  # these runs have no API key to remove from messages


def inputs(action: str, **kw: Any) -> Inputs:
    return Inputs(action=action, api_key="k", **kw)


def problems(action: str, payload: dict[str, Any] | None, **kw: Any) -> list[str]:
    with pytest.raises(PayloadError) as exc:
        build_request(inputs(action, **kw), payload, NO_KEY)
    assert exc.value.code == "invalid_payload"
    return [str(p) for p in exc.value.problems]


def seg(**state: Any) -> dict[str, Any]:
    return {"content_state": {"title": "Deploy", "type": "segmented_progress", **state}}


def test_build_request_for_every_action() -> None:
    cs = {"title": "T", "type": "value", "value": "$1"}
    cases = [
        (inputs("send_push_notification"), {"title": "Hi"}, "POST", "/push-notification", False),
        (inputs("start_live_activity"), {"content_state": cs}, "POST", "/live-activity/start", False),
        (
            inputs("update_live_activity", live_activity_id="A1"),
            {"content_state": cs},
            "POST",
            "/live-activity/update",
            True,
        ),
        (
            inputs("end_live_activity", live_activity_id="A1"),
            {"content_state": cs},
            "POST",
            "/live-activity/end",
            True,
        ),
        (
            inputs("stream_live_activity", stream_key="prod-web_1"),
            {"content_state": cs},
            "PUT",
            "/live-activity/stream/prod-web_1",
            True,
        ),
        (inputs("end_live_activity_stream", stream_key="k"), None, "DELETE", "/live-activity/stream/k", True),
        (
            inputs("update_metric_value", metric_key="deploy.success_rate"),
            {"value": 99.9},
            "POST",
            "/metrics/deploy.success_rate/value",
            True,
        ),
        (inputs("update_app_icon_badge_count"), {"badge": 0}, "POST", "/badge", True),
        (
            inputs("replace_push_notification", notification_id="N_1-a"),
            {"title": "Build passed"},
            "PUT",
            "/push-notification/N_1-a",
            True,
        ),
    ]
    for given, payload, method, path, safe in cases:
        planned = build_request(given, payload, NO_KEY)
        assert (planned.method, planned.path, planned.repeat_safe) == (method, path, safe)


def test_live_activity_id_becomes_activity_id_and_wins() -> None:
    planned = build_request(
        inputs("update_live_activity", live_activity_id="A1"),
        {"activity_id": "old", "content_state": {"title": "T", "current_step": 2}},
        NO_KEY,
    )
    assert planned.body == {"activity_id": "A1", "content_state": {"title": "T", "current_step": 2}}


def test_channels_input_becomes_target_unless_payload_targets() -> None:
    ops = ("ops", "deploys")
    assert build_request(inputs("send_push_notification", channels=ops), {"title": "x"}, NO_KEY).body == {
        "title": "x",
        "target": {"channels": ["ops", "deploys"]},
    }
    assert build_request(inputs("update_app_icon_badge_count", channels=ops), {"badge": 1}, NO_KEY).body == {
        "badge": 1,
        "target": {"channels": ["ops", "deploys"]},
    }
    own = {"title": "x", "target": {"channels": ["mine"]}}
    assert build_request(inputs("send_push_notification", channels=ops), own, NO_KEY).body == own
    stream = {"content_state": {"title": "T"}, "channels": ["mine"]}
    assert (
        build_request(inputs("stream_live_activity", stream_key="k", channels=ops), stream, NO_KEY).body
        == stream
    )
    assert build_request(
        inputs("start_live_activity"),
        {"content_state": {"title": "T", "type": "alert", "message": "m"}, "channels": "a, b"},
        NO_KEY,
    ).body["target"] == {"channels": ["a", "b"]}
    ended = build_request(
        inputs("update_live_activity", live_activity_id="A", channels=ops),
        {"content_state": {"title": "T", "message": "m"}},
        NO_KEY,
    ).body
    assert "target" not in ended


def test_stream_channels_and_target_must_match() -> None:
    state = {"title": "T", "type": "value", "value": 1}
    both = {"content_state": state, "channels": ["ops", "web"], "target": {"channels": [" web", "ops"]}}
    assert build_request(inputs("stream_live_activity", stream_key="k"), both, NO_KEY).body == both
    assert problems(
        "stream_live_activity",
        {"content_state": state, "channels": ["ops"], "target": {"channels": ["web"]}},
        stream_key="k",
    ) == [
        "payload.target.channels: must name the same channels as payload.channels when both are given; "
        'got ["web"] and payload.channels ["ops"] (give just one of them)'
    ]
    # A malformed list is reported once, by the model, not again as a mismatch.
    assert problems(
        "stream_live_activity",
        {"content_state": state, "channels": [1], "target": {"channels": ["web"]}},
        stream_key="k",
    ) == ["payload.channels[0]: must be a string; got 1"]


def test_segmented_progress_current_step_above_steps() -> None:
    assert problems("start_live_activity", seg(number_of_steps=5, current_step=7)) == [
        "payload.content_state.current_step: must be ≤ number_of_steps (5); got 7"
    ]


def test_per_type_rules_are_reported_beside_structural_problems() -> None:
    """A bad colour must not hide that the step is past the last one: the user fixes both in one run."""
    assert problems("start_live_activity", seg(number_of_steps=3, current_step=5, color="pinkish")) == [
        "payload.content_state.color: must be one of: lime, green, cyan, blue, purple, magenta, red, orange, "
        'yellow, gray; got "pinkish"',
        "payload.content_state.current_step: must be ≤ number_of_steps (3); got 5",
    ]


@pytest.mark.parametrize("kind", [["alert"], {"t": 1}, "no_such_type", 3])
def test_an_invalid_type_is_reported_once_and_applies_no_per_type_rule(kind: Any) -> None:
    body = {
        "content_state": {"title": "T", "type": kind, "message": "m", "step_color": "red"},
        "secondary_action": {"title": "Open", "type": "open_url", "url": "https://example.com"},
    }
    found = problems("start_live_activity", body)
    assert len(found) == 1 and found[0].startswith("payload.content_state.type: "), found


def test_structural_problems_all_at_once() -> None:
    assert problems(
        "start_live_activity", seg(number_of_steps="5", current_step=7.5, colour="x", color="pink")
    ) == [
        'payload.content_state.number_of_steps: must be a whole number; got "5"',
        "payload.content_state.current_step: must be a whole number; got 7.5",
        "payload.content_state.color: must be one of: lime, green, cyan, blue, purple, magenta, red, orange, "
        'yellow, gray; got "pink"',
        "payload.content_state.colour: is not a field the API accepts here (check the spelling)",
    ]


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        (
            "start_live_activity",
            {"title": "T"},
            "payload.content_state.type: is required to start a Live "
            "Activity; one of: segmented_progress, progress, metrics, stats, alert, timer, value",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "segmented_progress", "current_step": 1},
            "payload.content_state.number_of_steps: is required for type segmented_progress when starting",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "progress"},
            "payload.content_state.percentage: is required for type progress when starting (or give value "
            "together with upper_limit)",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "progress", "value": 3},
            "payload.content_state.upper_limit: is required together with value for type progress",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "progress", "upper_limit": 3},
            "payload.content_state.value: is required together with upper_limit for type progress",
        ),
        (
            "update_live_activity",
            {"title": "T", "type": "progress", "percentage": 50, "value": 3},
            "payload.content_state.upper_limit: is required together with value for type progress",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "progress", "percentage": 50, "upper_limit": 3},
            "payload.content_state.value: is required together with upper_limit for type progress",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "metrics"},
            "payload.content_state.metrics: is required for type metrics when starting",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "alert"},
            "payload.content_state.message: is required for type alert when starting",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "timer"},
            "payload.content_state.duration_seconds: is required for type timer when starting (or set "
            "counts_down: false for a timer that counts up)",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "value"},
            "payload.content_state.value: is required for type value when starting",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "value", "value": True},
            "payload.content_state.value: must be a number or a string; got true",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "alert", "message": "m", "auto_dismiss_minutes": 1},
            "payload.content_state.auto_dismiss_minutes: is only accepted when ending a Live Activity "
            "(end_live_activity) or on a stream",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "progress", "percentage": 101},
            "payload.content_state.percentage: must be ≤ 100; got 101",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "metrics", "metrics": []},
            "payload.content_state.metrics: must have at least 1 item(s); got []",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "metrics", "metrics": [{"label": "CPU", "value": -1}]},
            "payload.content_state.metrics[0].value: must be ≥ 0 when it is a number; got -1",
        ),
        (
            "start_live_activity",
            {"title": "T", "type": "alert", "message": "m", "step_color": "red"},
            "payload.content_state.step_color: is only used by type segmented_progress; got type alert",
        ),
        (
            "update_live_activity",
            {"title": "T", "type": "segmented_progress"},
            "payload.content_state.current_step: is required for type segmented_progress when updating",
        ),
        (
            "end_live_activity",
            {"title": "T", "type": "value", "auto_dismiss_seconds": 3, "value": 1},
            "payload.content_state.auto_dismiss_seconds: is only accepted on a stream (stream_live_activity, "
            "end_live_activity_stream)",
        ),
        ("end_live_activity", {"type": "alert", "message": "m"}, "payload.content_state.title: is required"),
    ],
)
def test_per_type_rules(action: str, state: dict[str, Any], expected: str) -> None:
    assert problems(action, {"content_state": state}, live_activity_id="A") == [expected]


def test_every_type_valid_at_start() -> None:
    for state in (
        {"type": "segmented_progress", "number_of_steps": 3, "current_step": 0, "step_colors": ["red"]},
        {"type": "progress", "percentage": 40.5},
        {"type": "progress", "value": 3, "upper_limit": 8},
        {"type": "metrics", "metrics": [{"label": "CPU", "value": 27, "unit": "%", "color": "red"}]},
        {"type": "stats", "metrics": [{"label": "Orders", "value": "1.2k"}]},
        {"type": "alert", "message": "Heads up", "icon": {"symbol": "bell"}, "badge": {"title": "Live"}},
        {"type": "timer", "duration_seconds": 300},
        {"type": "timer", "counts_down": False},
        {"type": "value", "value": "$1,240", "color": "cyan"},
    ):
        planned = build_request(
            inputs("start_live_activity"), {"content_state": {"title": "T", **state}}, NO_KEY
        )
        assert planned.body == {"content_state": {"title": "T", **state}}


def test_push_rules() -> None:
    hook = {"title": "Retry", "type": "webhook", "url": "http://hooks.example.com/x"}
    assert problems(
        "send_push_notification", {"title": "x", "media": "https://a.example/b.png", "actions": [hook]}
    ) == [
        "payload.actions[0].url: a webhook must be an https:// URL; got 'http://hooks.example.com/x'",
        "payload.media: cannot be combined with actions (iOS shows one or the "
        "other); remove media or actions",
    ]
    assert problems(
        "send_push_notification", {"title": "x", "actions": [{**hook, "url": "https://h.example"}] * 5}
    ) == ["payload.actions: must have at most 4 items; got 5"]
    assert problems(
        "send_push_notification",
        {"title": "x", "redirection": "javascript:alert(1)", "interruption_level": "critical"},
    ) == [
        "payload.redirection: the javascript: scheme is blocked by "
        "ActivitySmith; use https:// or an app scheme",
        'payload.interruption_level: must be one of: passive, active, time-sensitive; got "critical"',
    ]
    # method does nothing on open_url, but the official SDK sends it on every button: accepted
    open_with_method = {"title": "Open", "type": "open_url", "url": "spotify:track:1", "method": "POST"}
    planned = build_request(
        inputs("send_push_notification"), {"title": "x", "actions": [open_with_method]}, NO_KEY
    )
    assert planned.body == {"title": "x", "actions": [open_with_method]}
    assert problems(
        "send_push_notification",
        {"title": "x", "actions": [{**open_with_method, "body": {"a": 1}}]},
    ) == ["payload.actions[0].body: is only used with type: webhook (an open_url button sends no body)"]
    assert problems("send_push_notification", {"message": "no title", "icon": "http://x.example/i.png"}) == [
        "payload.title: is required",
        "payload.icon: must be an https:// URL; got 'http://x.example/i.png'",
    ]
    ok = {
        "title": "x",
        "redirection": "shortcuts://run-shortcut?name=A",
        "actions": [
            {"title": "Open", "type": "open_url", "url": "spotify:track:1"},
            {
                "title": "Hook",
                "type": "webhook",
                "url": "https://h.example/x",
                "method": "GET",
                "body": {"a": 1},
            },
        ],
    }
    assert build_request(inputs("send_push_notification"), ok, NO_KEY).body == ok


@pytest.mark.parametrize(
    "url",
    [
        "itms-services://?action=download-manifest&url=https://x.example/m.plist",
        "filesystem:https://x.example/temporary/f",
        "jar:https://x.example/a.jar!/b",
        "view-source:https://x.example",
        "JavaScript:alert(1)",
    ],
)
def test_push_links_refuse_executable_and_internal_schemes(url: str) -> None:
    scheme = url.split(":", 1)[0]
    expected = f"the {scheme}: scheme is blocked by ActivitySmith; use https:// or an app scheme"
    assert problems("send_push_notification", {"title": "x", "redirection": url}) == [
        f"payload.redirection: {expected}"
    ]
    button = {"title": "Open", "type": "open_url", "url": url}
    assert problems("send_push_notification", {"title": "x", "actions": [button]}) == [
        f"payload.actions[0].url: {expected}"
    ]


@pytest.mark.parametrize("url", ["https://", "http:example.com", "https:///path", "HTTPS://?q"])
def test_push_http_links_need_a_host(url: str) -> None:
    scheme = url.split(":", 1)[0].lower()
    assert problems("send_push_notification", {"title": "x", "redirection": url}) == [
        f"payload.redirection: an {scheme}:// URL needs a host; got {url!r}"
    ]
    assert build_request(
        inputs("send_push_notification"), {"title": "x", "redirection": "HTTPS://x.example"}, NO_KEY
    )


def test_live_activity_button_schemes() -> None:
    state = {"title": "T", "type": "alert", "message": "m"}
    assert problems(
        "start_live_activity",
        {"content_state": state, "action": {"title": "Open", "type": "open_url", "url": "spotify:track:1"}},
    ) == [
        "payload.action.url: must be an http:// or https:// URL or shortcuts://run-shortcut?name=...; "
        "got 'spotify:track:1'"
    ]
    assert problems(
        "start_live_activity",
        {
            "content_state": {"title": "T", "type": "timer", "counts_down": False},
            "secondary_action": {"title": "a", "type": "open_url", "url": "https://x.example"},
        },
    ) == [
        "payload.secondary_action: is not shown on type timer; only on alert, "
        "progress, segmented_progress, value"
    ]


def test_tags_and_metadata_limits() -> None:
    assert problems(
        "send_push_notification", {"title": "x", "tags": ["ok", "bad tag"], "metadata": {"a": {"b": 1}}}
    ) == [
        "payload.tags[1]: must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or "
        'digit; got "bad tag"',
        "payload.metadata.a: must be a string, number or true/false (no objects, lists or null)",
    ]
    # every bad item is named, not only the first
    assert problems(
        "start_live_activity",
        {
            "content_state": {"title": "T", "type": "alert", "message": "m"},
            "tags": ["-x", "ok", "y z"],
            "metadata": {"a": None, "b": 1, "c": "x" * 4001},
        },
    ) == [
        "payload.tags[0]: must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or "
        'digit; got "-x"',
        "payload.tags[2]: must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or "
        'digit; got "y z"',
        "payload.metadata.a: must be a string, number or true/false (no objects, lists or null)",
        "payload.metadata.c: must be at most 4000 characters; got 4001",
    ]
    assert problems(
        "update_live_activity", {"content_state": {"title": "T"}, "tags": ["", "ok"]}, live_activity_id="A"
    ) == ["payload.tags[0]: must be 1-64 characters; got 0"]
    many = [f"t{i}" for i in range(21)]
    assert problems("send_push_notification", {"title": "x", "tags": many}) == [
        "payload.tags: must contain at most 20 unique values; got 21"
    ]
    assert problems(
        "send_push_notification", {"title": "x", "metadata": {f"k{i}": i for i in range(51)}}
    ) == ["payload.metadata: must have at most 50 keys; got 51"]
    assert problems(
        "send_push_notification", {"title": "x", "metadata": {f"k{i}": "v" * 3999 for i in range(5)}}
    ) == ["payload.metadata: must serialise to at most 16384 bytes of JSON; got 20036"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "payload.value: must be a number or a string of 1-64 characters; got true"),
        ("", "payload.value: must be 1-64 characters when it is a string; got 0"),
        ("x" * 65, "payload.value: must be 1-64 characters when it is a string; got 65"),
        (None, "payload.value: must be a number or a string of 1-64 characters; got null"),
    ],
)
def test_metric_value(value: Any, expected: str) -> None:
    assert problems("update_metric_value", {"value": value}, metric_key="m") == [expected]


@pytest.mark.parametrize(
    "stamp",
    ["2026-01-28T09:57:22.929Z", "2026-01-28T09:57:22+02:00", "2026-01-28 09:57", "2026-01-28T09:57:22"],
)
def test_metric_timestamp_accepts_date_times(stamp: str) -> None:
    body = {"value": 1, "timestamp": stamp}
    assert build_request(inputs("update_metric_value", metric_key="m"), body, NO_KEY).body == body


@pytest.mark.parametrize("stamp", ["yesterday", "2026-01-28", "2026-13-40T25:00:00Z", ""])
def test_metric_timestamp_must_be_a_date_time(stamp: str) -> None:
    assert problems("update_metric_value", {"value": 1, "timestamp": stamp}, metric_key="m") == [
        "payload.timestamp: must be an ISO 8601 date and time such as 2026-01-28T09:57:22Z; "
        f"got {json.dumps(stamp)}"
    ]


def test_metric_timestamp_must_be_a_string() -> None:
    assert problems("update_metric_value", {"value": 1, "timestamp": 1769594242}, metric_key="m") == [
        "payload.timestamp: must be a string; got 1769594242"
    ]


def test_metric_and_badge() -> None:
    assert build_request(inputs("update_metric_value", metric_key="m"), {"value": -3.5}, NO_KEY).body == {
        "value": -3.5
    }
    assert problems("update_metric_value", {}, metric_key="m") == ["payload.value: is required"]
    assert problems("update_app_icon_badge_count", {"badge": -1}) == ["payload.badge: must be ≥ 0; got -1"]
    assert problems("update_app_icon_badge_count", {"badge": 2147483648}) == [
        "payload.badge: must be ≤ 2147483647; got 2147483648"
    ]
    assert problems("update_app_icon_badge_count", {"badge": True}) == [
        "payload.badge: must be a whole number; got true"
    ]


@pytest.mark.parametrize("url", ["https://?q=1", "https:///path", "https://:443/x", "https://[::1"])
def test_https_and_button_urls_need_a_parsable_host(url: str) -> None:
    """The API answers 400 for these (no host, or a malformed one); the action refuses them first."""
    assert problems("send_push_notification", {"title": "x", "icon": url}) == [
        f"payload.icon: must be an https:// URL; got {url!r}"
    ]
    assert problems("send_push_notification", {"title": "x", "redirection": url}) == [
        f"payload.redirection: an https:// URL needs a host; got {url!r}"
    ]
    state = {"title": "T", "type": "alert", "message": "m"}
    for kind in ("open_url", "webhook"):
        found = problems(
            "start_live_activity",
            {"content_state": state, "action": {"title": "Go", "type": kind, "url": url}},
        )
        assert len(found) == 1 and found[0].startswith("payload.action.url: ")


def test_button_urls_are_at_most_2048_characters() -> None:
    long = "https://example.com/" + "a" * 2029  # 2049 characters
    state = {"title": "T", "type": "alert", "message": "m"}
    for kind in ("open_url", "webhook"):
        button = {"title": "Go", "type": kind, "url": long}
        assert problems("start_live_activity", {"content_state": state, "action": button}) == [
            "payload.action.url: must be at most 2048 characters"
        ]
        assert build_request(
            inputs("start_live_activity"),
            {"content_state": state, "action": {**button, "url": long[:-1]}},
            NO_KEY,
        )


def test_push_badge_is_at_most_2147483647() -> None:
    assert problems("send_push_notification", {"title": "x", "badge": 2147483648}) == [
        "payload.badge: must be ≤ 2147483647; got 2147483648"
    ]
    assert build_request(inputs("send_push_notification"), {"title": "x", "badge": 2147483647}, NO_KEY)


def test_icon_and_media_urls_have_no_length_cap() -> None:
    """Only button URLs (and redirection) are capped at 2048 characters; the API takes longer images."""
    long = "https://example.com/" + "a" * 3000
    assert build_request(
        inputs("send_push_notification"), {"title": "x", "icon": long, "media": long}, NO_KEY
    )


def test_null_fields_agree_with_the_api() -> None:
    """A null `value` is an absent one (like every optional field); a null auto_dismiss_* still names a
    field the API's start/update content state does not have, so it is refused like the service does."""
    timer = {"title": "T", "type": "timer", "counts_down": False}
    assert build_request(inputs("start_live_activity"), {"content_state": {**timer, "value": None}}, NO_KEY)
    assert problems(
        "start_live_activity", {"content_state": {"title": "T", "type": "value", "value": None}}
    ) == ["payload.content_state.value: is required for type value when starting"]
    assert problems("start_live_activity", {"content_state": {**timer, "auto_dismiss_minutes": None}}) == [
        "payload.content_state.auto_dismiss_minutes: is only accepted when ending a Live Activity "
        "(end_live_activity) or on a stream"
    ]
    assert problems(
        "end_live_activity",
        {"content_state": {"title": "T", "auto_dismiss_seconds": None}},
        live_activity_id="A",
    ) == [
        "payload.content_state.auto_dismiss_seconds: is only accepted on a stream "
        "(stream_live_activity, end_live_activity_stream)"
    ]


def test_a_replacement_is_checked_like_a_push_without_target_sound_or_level() -> None:
    assert problems(
        "replace_push_notification",
        {"title": "x", "target": {"channels": ["ops"]}, "sound": "default", "interruption_level": "passive"},
        notification_id="N1",
    ) == [
        "payload.target: is not a field the API accepts here (check the spelling)",
        "payload.sound: is not a field the API accepts here (check the spelling)",
        "payload.interruption_level: is not a field the API accepts here (check the spelling)",
    ]
    hook = {"title": "Retry", "type": "webhook", "url": "https://hooks.example.com/x"}
    assert problems(
        "replace_push_notification",
        {"title": "x", "media": "https://a.example/b.png", "actions": [hook]},
        notification_id="N1",
    ) == [
        "payload.media: cannot be combined with actions (iOS shows one or the other); remove media or actions"
    ]
    planned = build_request(
        inputs("replace_push_notification", notification_id="N1", channels=("ops",)),
        {"title": "x", "tags": [], "metadata": {}},
        NO_KEY,
    )
    assert planned.body == {"title": "x", "tags": [], "metadata": {}}  # no target: same recipients


def test_a_bounded_elapsed_timer_is_valid() -> None:
    timer = {"title": "Soak", "type": "timer", "counts_down": False, "duration_seconds": 900}
    planned = build_request(inputs("start_live_activity"), {"content_state": timer}, NO_KEY)
    assert planned.body == {"content_state": timer}
