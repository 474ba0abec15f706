"""summary.py: the job summary is a pure rendering of one outcome."""

from __future__ import annotations

from activitysmith_action.client import Delivered
from activitysmith_action.errors import InputError, Problem, UnreachableError
from activitysmith_action.outcome import Outcome
from activitysmith_action.request import PlannedRequest
from activitysmith_action.summary import render

BASE = "http://127.0.0.1:8787/api"
SEGMENTED = {"title": "Deploy", "type": "segmented_progress", "number_of_steps": 3, "current_step": 1}


def planned(action: str, path: str, body: dict[str, object], *, method: str = "POST") -> PlannedRequest:
    return PlannedRequest(action, method, path, body, False)


def rows(markdown: str) -> dict[str, str]:
    """The summary's two-column table as {name: value} (the empty header row is skipped)."""
    table = [line.split(" | ") for line in markdown.splitlines() if line.startswith("| ") and line != "| | |"]
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
    assert "- api-key: is required" in markdown


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
