"""The text picture of a Live Activity in the job summary, one case per type."""

from __future__ import annotations

from typing import Any

import pytest

from activitysmith_action.preview import body_line, render


@pytest.mark.parametrize(
    ("state", "line"),
    [
        ({"type": "segmented_progress", "number_of_steps": 5, "current_step": 3}, "▰▰▰▱▱ step 3 of 5"),
        ({"current_step": 2}, "step 2"),
        ({"type": "progress", "percentage": 80}, "████████░░ 80%"),
        ({"type": "progress", "value": 3.0, "upper_limit": 4}, "████████░░ 3 / 4"),
        ({"type": "progress", "percentage": 140}, "██████████ 140%"),
        (
            {
                "type": "metrics",
                "metrics": [{"label": "CPU", "value": 27, "unit": "%"}, {"label": "MEM", "value": 64}],
            },
            "CPU 27% · MEM 64",
        ),
        ({"type": "alert", "message": "Disk almost full"}, "⚠ Disk almost full"),
        ({"type": "timer", "duration_seconds": 3725}, "⏱ 1:02:05 countdown"),
        ({"type": "timer", "duration_seconds": 90, "is_running": False}, "⏱ 1:30 countdown (paused)"),
        ({"type": "timer", "counts_down": False}, "⏱ counting up"),
        ({"type": "value", "value": "$1,240"}, "$1,240"),
        ({"type": "value", "value": 12.0}, "12"),
        ({"type": "alert"}, "⚠"),
        ({}, ""),
    ],
)
def test_body_line_per_type(state: dict[str, Any], line: str) -> None:
    assert body_line(state) == line


def test_render_title_subtitle_and_state() -> None:
    state = {
        "title": "Deploy",
        "subtitle": "web",
        "type": "segmented_progress",
        "number_of_steps": 2,
        "current_step": 1,
    }
    assert render(state) == "Deploy\nweb\n▰▱ step 1 of 2"


def test_render_without_content_state_is_empty() -> None:
    assert render(None) == ""
