"""The lock-screen renderer, the show CLI, and the service CLI's errors (subprocesses, no tracebacks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from activitysmith_mock.render import card, proportional_bar, render_devices, segmented_bar
from tests.support.service import LocalService


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


def test_show_cli_prints_devices_from_the_service(service: LocalService) -> None:
    service.api(
        "PUT",
        "/live-activity/stream/deploy",
        json={
            "content_state": {
                "title": "Deploy",
                "type": "segmented_progress",
                "number_of_steps": 5,
                "current_step": 2,
            }
        },
    )
    service.api("POST", "/push-notification", json={"title": "Deployed", "message": "v2"})
    service.api("POST", "/badge", json={"badge": 3})
    result = subprocess.run(
        [sys.executable, "-m", "activitysmith_mock.show", "--url", service.base_url],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "iPhone (iphone)" in result.stdout and "app icon badge: 3" in result.stdout
    assert "▰▰▱▱▱ 2/5" in result.stdout and "Deployed — v2" in result.stdout
    assert "Live Activities: 1 active of 5" in result.stdout


def test_show_cli_unreachable_is_one_line() -> None:
    from tests.support.service import free_port

    result = subprocess.run(
        [sys.executable, "-m", "activitysmith_mock.show", "--url", f"http://127.0.0.1:{free_port()}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("activitysmith_mock.show: cannot read")


def test_render_no_devices() -> None:
    assert render_devices({"devices": []}) == "No devices."


def test_service_cli_bad_config_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("settings:\n  no_recipients_status: 500\n")
    result = subprocess.run(
        [sys.executable, "-m", "activitysmith_mock", "--config", str(path), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"activitysmith_mock: config error: {path}: settings.no_recipients_status: Input should be 404 or 422"
    )


def test_service_prints_base_url_and_key(service_process: LocalService) -> None:
    assert service_process.log_path is not None
    log = service_process.log_path.read_text()
    assert f"base URL http://127.0.0.1:{service_process.port}/api" in log
    assert f"API key: {service_process.api_key}" in log


def test_service_started_with_a_config_file(tmp_path: Path) -> None:
    path = tmp_path / "service.yml"
    path.write_text(
        "settings:\n  default_device_capacity: 1\n"
        "accounts:\n  - name: team\n    channels: [ops]\n    api_keys:\n      - key: ask_file_key_12345\n"
        "    members:\n      - name: ann\n        channels: [ops]\n"
        "        devices:\n          - id: ann-phone\n"
    )
    service = LocalService(api_key="ask_file_key_12345", config=path).start(tmp_path)
    try:
        body = {"content_state": {"title": "a", "type": "alert", "message": "m"}}
        assert service.api("POST", "/live-activity/start", json=body).status_code == 200
        assert service.api("POST", "/live-activity/start", json=body).status_code == 429
        assert [d["id"] for d in service.devices()["devices"]] == ["ann-phone"]
    finally:
        service.stop()
