"""The lock-screen renderer behind `python -m activitysmith_mock.show`: bars and one card per type."""

from __future__ import annotations

from activitysmith_mock.render import card, proportional_bar, render_devices, segmented_bar


def activity(content_state: dict, **extra: object) -> dict:
    base = {
        "activity_id": "x" * 32,
        "stream_key": None,
        "status": "active",
        "content_state": content_state,
        "action": None,
        "secondary_action": None,
        "alert": None,
        "dismiss_at": None,
    }
    return {**base, **extra}


def test_bars() -> None:
    assert segmented_bar(3, 5) == "▰▰▰▱▱ 3/5"
    assert segmented_bar(9, 5) == "▰▰▰▰▰ 5/5"
    assert proportional_bar(0.42) == "████░░░░░░"
    assert segmented_bar(10, 40) == "██░░░░░░░░ 10/40"


def test_cards_per_type() -> None:
    rows = card(
        activity(
            {
                "title": "Deploy",
                "subtitle": "prod",
                "type": "segmented_progress",
                "number_of_steps": 5,
                "current_step": 3,
            },
            stream_key="deploy-1",
        )
    )
    text = "\n".join(rows)
    assert "Deploy" in rows[1] and "LIVE" in rows[1]
    assert "▰▰▰▱▱ 3/5" in text and "prod" in text and "stream deploy-1" in text
    assert len({len(row) for row in rows}) == 1  # a neat box
    metrics = card(
        activity(
            {
                "title": "Health",
                "type": "metrics",
                "metrics": [{"label": "CPU", "value": 27, "unit": "%"}, {"label": "MEM", "value": 64.0}],
            }
        )
    )
    assert "CPU 27% · MEM 64" in "\n".join(metrics)
    progress = card(activity({"title": "Upload", "type": "progress", "percentage": 42}))
    assert "████░░░░░░ 42%" in "\n".join(progress)
    progress = card(activity({"title": "Upload", "type": "progress", "value": 3, "upper_limit": 4}))
    assert "3/4" in "\n".join(progress)
    alert = card(
        activity(
            {"title": "Disk", "type": "alert", "message": "92% full", "badge": {"title": "Prod"}},
            action={"title": "Open", "type": "open_url", "url": "https://x.io"},
            status="ended",
            dismiss_at="2026-01-01T10:03:00.000Z",
        )
    )
    text = "\n".join(alert)
    assert "! 92% full" in text and "[Prod]" in text and "[ Open ]" in text and "ENDED" in text
    assert "dismisses at 10:03:00 UTC" in text
    timer = card(
        activity({"title": "Build", "type": "timer", "duration_seconds": 600}, timer_elapsed_seconds=90)
    )
    assert "timer 08:30 left" in "\n".join(timer)
    elapsed = card(
        activity(
            {"title": "Build", "type": "timer", "counts_down": False, "is_running": False},
            timer_elapsed_seconds=3725,
        )
    )
    assert "timer 1:02:05 elapsed (paused)" in "\n".join(elapsed)
    assert "$1,240" in "\n".join(card(activity({"title": "Revenue", "type": "value", "value": "$1,240"})))


def test_render_no_devices() -> None:
    assert render_devices({"devices": []}) == "No devices."
