"""The writer is the only writer to the runner: nothing it prints may become a command or carry the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from activitysmith_action.outcome import OUTPUT_NAMES
from activitysmith_action.redact import Redactor
from activitysmith_action.writer import Writer
from tests.support.runner_files import parse_env_file

SECRET = "ask_report_test_Hq2L9vXk4TzW7mNc"


def test_info_prefixes_lines_the_runner_would_read_as_commands(capsys: pytest.CaptureFixture[str]) -> None:
    Writer(Redactor(SECRET)).info(
        "operation x\n::set-output name=ok::false\r  ::stop-commands::t\n##[error]forged\nplain"
    )
    assert capsys.readouterr().out.splitlines() == [
        "operation x",
        "| ::set-output name=ok::false",
        "|   ::stop-commands::t",
        "| ##[error]forged",
        "plain",
    ]


def test_info_and_annotations_redact_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    writer = Writer(Redactor(SECRET))
    writer.info(f"echo {SECRET} done")
    writer.warning(f"warn {SECRET}")
    out = capsys.readouterr().out
    assert SECRET not in out
    assert out == "echo *** done\n::warning title=ActivitySmith::warn ***\n"


def test_unexpected_error_is_reported_as_a_bug_without_traceback_or_key(tmp_path: Path) -> None:
    """Anything that is not an ActionError is a bug: one annotation asking for a report, exit 1, no trace."""
    script = (
        "import sys\n"
        "import activitysmith_action.main as m\n"
        "def boom(*a, **k):\n"
        f"    raise RuntimeError('kaput with {SECRET}')\n"
        "m.build_request = boom\n"
        "sys.exit(m.main())\n"
    )
    output = tmp_path / "out"
    output.write_text("")
    env = {
        "INPUT_ACTION": "send_push_notification",
        "INPUT_API-KEY": SECRET,
        "INPUT_PAYLOAD": "title: hi",
        "GITHUB_OUTPUT": str(output),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"::add-mask::{SECRET}"
    assert any(
        line.startswith(
            "::error title=ActivitySmith internal error::The action hit an unexpected error "
            "(RuntimeError: kaput with ***)"
        )
        for line in lines
    ), done.stdout
    assert SECRET not in "\n".join(lines[1:]) + done.stderr
    outputs = parse_env_file(output.read_text())
    assert outputs["ok"] == "false" and outputs["error"].startswith(
        "internal error: RuntimeError: kaput with ***"
    )
    assert set(outputs) == set(OUTPUT_NAMES) and SECRET not in "".join(outputs.values())
