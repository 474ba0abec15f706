"""The show CLI and the service CLI: real processes, clear one-line errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.service import LocalService


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
        "settings:\n  default_device_capacity: 1\n  capacity_policy: refuse\n"
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
