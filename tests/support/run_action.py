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
# action.yml's post-entrypoint, run as a script here (in the image its shebang starts it).
POST_ENTRYPOINT = REPO / "post_entrypoint.py"


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
    script: Path = ENTRYPOINT,
    state: dict[str, str] | None = None,
    measure_memory: bool = False,
) -> Result:
    """Run the action once; `env` is added on top of the current environment (minus runner variables).

    `script=POST_ENTRYPOINT` runs the post step instead, with `state` as the runner passes it
    (`STATE_<name>`).
    """
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
        full_env.update({f"STATE_{name}": value for name, value in (state or {}).items()})
        full_env.update(env or {})
        returncode, stdout, stderr, elapsed, peak = _run_measured(
            [sys.executable, str(script)], workspace, full_env, files, timeout, measure_memory
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


# A small launcher between the test and the action: a child's peak RSS (ru_maxrss) starts at its parent's
# resident size at fork, so measuring the action as a direct child of a big pytest process would report
# pytest's memory. The launcher is a fresh small interpreter that posix_spawns the action and writes the
# action's own ru_maxrss (KiB) to a file. bench/startup.py uses it too.
PEAK_RSS_LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def _run_measured(
    command: list[str], cwd: Path, env: dict[str, str], scratch: Path, timeout: float, measure_memory: bool
) -> tuple[int, str, str, float, float]:
    """Run to completion, like subprocess.run, plus the wall time and, with `measure_memory`, the action's own
    peak RSS in MiB (0 otherwise: the launcher costs a Python start, which would skew timings)."""
    out_path, err_path, rss_path = scratch / "stdout", scratch / "stderr", scratch / "peak-rss-kib"
    measured = [sys.executable, "-c", PEAK_RSS_LAUNCHER, str(rss_path), *command]
    launcher = measured if measure_memory else command
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(launcher, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            returncode = process.wait()
        finally:
            timer.cancel()
        elapsed = time.monotonic() - started
    if returncode == -signal.SIGKILL and elapsed >= timeout:
        raise subprocess.TimeoutExpired(command, timeout)
    read = lambda path: path.read_bytes().decode("utf-8", errors="replace")  # noqa: E731
    peak = int(rss_path.read_text()) / 1024 if rss_path.exists() else 0.0
    return returncode, read(out_path), read(err_path), elapsed, peak
