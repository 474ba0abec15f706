"""scripts/setup-browser: quiet and idempotent once Debian's chromium is in place (scripts/test calls it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_setup_browser_is_quiet_and_idempotent(tmp_path: Path) -> None:
    log = tmp_path / "setup-browser.log"
    for _ in range(2):
        completed = subprocess.run(
            [str(REPO_ROOT / "scripts" / "setup-browser")],
            capture_output=True,
            text=True,
            check=False,
            env={
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SETUP_BROWSER_LOG": str(log),
            },
            timeout=600,
        )
        assert completed.returncode == 0, completed.stderr
        assert (completed.stdout, completed.stderr) == ("", "")
    assert "Chromium" in log.read_text()
    assert Path("/usr/bin/chromium").exists()
