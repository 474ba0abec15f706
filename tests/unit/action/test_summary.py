"""summary.py: the job summary is a pure rendering of one outcome."""

from __future__ import annotations

import json

import pytest

from activitysmith_action.bounds import MAX_OUTPUT_CHARS, MAX_SUMMARY_CHARS
from activitysmith_action.client import Delivered
from activitysmith_action.errors import ApiError, InputError, PayloadError, Problem, UnreachableError
from activitysmith_action.outcome import Outcome
from activitysmith_action.request import PlannedRequest
from activitysmith_action.summary import README_ERRORS, render
from tests.support.markdown import render_tokens, shown

BASE = "http://127.0.0.1:8787/api"
SEGMENTED = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 3, "current_step": 1}


def planned(action: str, path: str, body: dict[str, object], *, method: str = "POST") -> PlannedRequest:
    return PlannedRequest(action, method, path, body, False)


def rows(markdown: str) -> dict[str, str]:
    """The summary's two-column table as {name: value} as a reader sees it (escapes resolved)."""
    table = [
        line.split(" | ")
        for line in shown(markdown).splitlines()
        if line.startswith("| ") and line != "| | |"
    ]
    return {cell[0].removeprefix("| "): cell[1].removesuffix(" |") for cell in table if len(cell) == 2}


def test_delivered_start_shows_request_channels_and_picture() -> None:
    start = planned("start_live_activity", "/live-activity/start", {"content_state": SEGMENTED})
    answer = {"activity_id": "A1", "effective_channel_slugs": ["ops"]}
    markdown = render(
        Outcome("start_live_activity", BASE, planned=start, delivered=Delivered(200, answer, 1, 0.25))
    )
    assert markdown.startswith("### ActivitySmith `start_live_activity`: ✅ delivered\n")
    assert rows(markdown) == {
        "Request": "`POST /live-activity/start`",
        "Service": BASE,
        "Status": "200",
        "Operation": "—",
        "Activity id": "A1",
        "Channels": "ops",
        "Attempts": "1",
        "Duration": "0.25 s",
    }
    assert "```text\nDeploy\n▰▱▱ step 1 of 3\n```" in markdown


def test_untargeted_push_reaches_all_recipients_and_updates_show_no_channels() -> None:
    push = planned("send_push_notification", "/push-notification", {"title": "x"})
    assert rows(render(Outcome("send_push_notification", BASE, planned=push, dry_run=True)))["Channels"] == (
        "all recipients of the key"
    )
    update = planned(
        "update_live_activity", "/live-activity/update", {"activity_id": "A1", "content_state": {}}
    )
    dry = render(Outcome("update_live_activity", BASE, planned=update, dry_run=True))
    assert rows(dry)["Channels"] == "—" and rows(dry)["Attempts"] == "—"
    assert "<details><summary>Planned request</summary>" in dry and '"Authorization": "Bearer ***"' in dry


def test_failure_before_planning_has_no_table_and_lists_problems() -> None:
    error = InputError("missing_input", [Problem("api-key", "is required")])
    markdown = render(Outcome("", "", error=error))
    assert markdown.splitlines()[0] == "### ActivitySmith: ❌ failed"
    assert "| Request |" not in markdown
    assert "- api-key: is required" in shown(markdown)


def test_failed_send_shows_attempts_and_duration() -> None:
    error = UnreachableError("unreachable", [Problem("", "no answer")], attempts=3)
    error.duration = 1.5
    push = planned(
        "send_push_notification", "/push-notification", {"title": "x", "target": {"channels": ["a", "b"]}}
    )
    table = rows(render(Outcome("send_push_notification", BASE, planned=push, error=error)))
    assert (table["Attempts"], table["Duration"], table["Channels"], table["Status"]) == (
        "3",
        "1.50 s",
        "a, b",
        "—",
    )


HOSTILE = [
    "\n## Injected heading",
    "<a href='https://evil.example'>x</a>",
    "- [ ] checkbox",
    "[link](https://evil.example)",
    "![image](https://evil.example/i.png)",
    "<img src=x onerror=alert(1)>",
    "https://evil.example/bare",
    "www.evil.example",
    "**bold** _em_ `code` ~~del~~",
    "| a | b |",
    "```\n# out of the fence\n```",
    "&lt;b&gt; &#60;i&#62;",
    "</details><details open>",
    "1. ordered\n2. list",
    "> quote",
]


def hostile_outcomes(text: str) -> list[Outcome]:
    """One outcome of every kind with `text` in every place a server or a user can put text."""
    state = {**SEGMENTED, "title": text, "subtitle": text}
    start = planned("start_live_activity", "/live-activity/start", {"content_state": state})
    push = planned(
        "send_push_notification", "/push-notification", {"title": text, "target": {"channels": [text]}}
    )
    answer = {"operation": text, "activity_id": text, "effective_channel_slugs": [text, "ops"]}
    api = ApiError(status=400, api_error=text, api_message=text, body={"error": text}, attempts=1)
    refused = PayloadError(
        "invalid_payload", [Problem("payload.title", text), Problem(f"payload.{text}", "x")]
    )
    return [
        Outcome("start_live_activity", BASE, planned=start, delivered=Delivered(200, answer, 1, 0.1)),
        Outcome("send_push_notification", f"https://{text}/api", planned=push, error=api),
        Outcome("send_push_notification", BASE, error=refused),
        Outcome("start_live_activity", BASE, planned=start, dry_run=True),
    ]


def structure(markdown: str) -> list[tuple[str, str]]:
    """What the Markdown becomes: element types and tags, without the text inside them."""
    return [(token.type, token.tag) for token in render_tokens(markdown) if token.type != "text"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_from_servers_and_users_never_becomes_markdown_or_html(text: str) -> None:
    """Rendered by a real CommonMark parser (with GitHub's tables, task lists and bare-URL links), a summary
    full of hostile text has exactly the elements of the same summary with plain words in those places."""
    for hostile, plain in zip(hostile_outcomes(text), hostile_outcomes("plain words"), strict=True):
        markdown = render(hostile)
        assert structure(markdown) == structure(render(plain)), markdown
        links = {token.attrGet("href") for token in render_tokens(markdown) if token.type == "link_open"}
        assert links <= {README_ERRORS}, links  # only the summary's own link to the error codes


def test_huge_problem_lists_and_answers_are_bounded_with_a_marker() -> None:
    """29,000 unknown keys made a 2.1 MB summary and a 4.2 MB output before; both are now bounded."""
    problems = [Problem(f"payload.key{n}", "is not a field the API accepts here") for n in range(29_000)]
    outcome = Outcome("send_push_notification", BASE, error=PayloadError("invalid_payload", problems))
    markdown = render(outcome)
    assert len(markdown) <= MAX_SUMMARY_CHARS and "… and 28,950 more problems" in markdown
    outputs = outcome.outputs()
    assert all(len(value) <= MAX_OUTPUT_CHARS for value in outputs.values())
    assert "… and 28,950 more" in outputs["error"]
    huge = Delivered(200, {"activity_id": "A1", "junk": "x" * 5_000_000}, 1, 0.1)
    big = Outcome(
        "send_push_notification", BASE, planned=planned("send_push_notification", "/p", {}), delivered=huge
    )
    response = big.outputs()["response"]
    assert len(response) <= MAX_OUTPUT_CHARS and "more characters" in json.loads(response)
