"""Run `entrypoint.py` as a subprocess the way the runner does: `INPUT_*` env, fresh file-command files.

Outputs are read back through the port of the runner's parser, so a test sees exactly what a later step's
`steps.<id>.outputs.*` would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.runner_files import parse_env_file

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "entrypoint.py"


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    state: str
    # Wall time of the process, and its peak resident memory (getrusage of exactly this child), for tests
    # that bound the step's time and memory against a hostile server.
    elapsed: float = 0.0
    peak_rss_mib: float = 0.0


def input_env(inputs: dict[str, str]) -> dict[str, str]:
    """`INPUT_` + upper-cased name with spaces -> `_` and hyphens kept, like the runner."""
    return {f"INPUT_{name.replace(' ', '_').upper()}": str(value) for name, value in inputs.items()}


def run_action(
    inputs: dict[str, str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> Result:
    """Run the action once; `env` is added on top of the current environment (minus runner variables)."""
    with tempfile.TemporaryDirectory(prefix="action-run-") as tmp:
        files = Path(tmp)
        workspace = Path(cwd) if cwd else files / "workspace"
        workspace.mkdir(exist_ok=True)
        paths = {
            name: files / f"{name.lower()}_file"
            for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE", "GITHUB_ENV")
        }
        for path in paths.values():
            path.write_text("")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_", "STATE_"))}
        full_env.update({name: str(path) for name, path in paths.items()})
        full_env.update({"GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTIONS": "true"})
        full_env.update(input_env(inputs))
        full_env.update(env or {})
        returncode, stdout, stderr, elapsed, peak = _run_measured(
            [sys.executable, str(ENTRYPOINT)], workspace, full_env, files, timeout
        )
        output_text = (
            paths["GITHUB_OUTPUT"].read_bytes().decode("utf-8") if paths["GITHUB_OUTPUT"].exists() else ""
        )
        return Result(
            returncode=returncode,
            stdout=stdout,
            stderr=stderr,
            elapsed=elapsed,
            peak_rss_mib=peak,
            outputs=parse_env_file(output_text),
            summary=paths["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
            if paths["GITHUB_STEP_SUMMARY"].exists()
            else "",
            state=paths["GITHUB_STATE"].read_text(encoding="utf-8") if paths["GITHUB_STATE"].exists() else "",
        )


def _run_measured(
    command: list[str], cwd: Path, env: dict[str, str], scratch: Path, timeout: float
) -> tuple[int, str, str, float, float]:
    """Run to completion, like subprocess.run, plus the wall time and this child's peak RSS (os.wait4)."""
    out_path, err_path = scratch / "stdout", scratch / "stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode == -signal.SIGKILL and elapsed >= timeout:
        raise subprocess.TimeoutExpired(command, timeout)
    read = lambda path: path.read_bytes().decode("utf-8", errors="replace")  # noqa: E731
    return process.returncode, read(out_path), read(err_path), elapsed, usage.ru_maxrss / 1024
