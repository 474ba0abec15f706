"""Runs host/action.yml's one step the way a runner does, without a runner: for the launcher's own cases.

The runner starts a composite `run:` step as `bash --noprofile --norc -eo pipefail <script>` with the step's
`env:` (here: INPUT_* for every declared input, defaults included) and GITHUB_ACTION_PATH set to the action's
directory. The script is read from host/action.yml itself, so these tests run exactly the generated step.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.support.runner_files import parse_env_file

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST_ACTION = REPO_ROOT / "host" / "action.yml"


def runner_python_path(root: Path) -> str:
    """PATH with the tests' own base interpreter first as `python3` (3.11+, as the project requires), so the
    runner's Python is the same in every test and its runtime key too, whatever else PATH holds."""
    directory = root / "runner-python"
    if not directory.exists():
        directory.mkdir(parents=True)
        (directory / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))
    return f"{directory}{os.pathsep}{os.environ['PATH']}"


def step_script() -> str:
    (step,) = yaml.safe_load(HOST_ACTION.read_text())["runs"]["steps"]
    return str(step["run"])


def declared_defaults() -> dict[str, str]:
    inputs = yaml.safe_load((REPO_ROOT / "action.yml").read_text())["inputs"]
    return {name: str((spec or {}).get("default", "")) for name, spec in inputs.items()}


@dataclass
class HostStep:
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


def run_host_step(
    root: Path,
    inputs: dict[str, str],
    *,
    runner_env: dict[str, str],
    path: str | None = None,
    action_path: Path = REPO_ROOT / "host",
) -> HostStep:
    """One use of the host variant; `runner_env` has RUNNER_TOOL_CACHE and/or RUNNER_TEMP, or neither."""
    files = root / f"step-{uuid.uuid4().hex[:8]}"
    files.mkdir(parents=True)
    output, summary = files / "output", files / "summary"
    output.write_text("")
    summary.write_text("")
    script = files / "step.sh"
    script.write_text(step_script())
    workspace = root / "workspace"
    workspace.mkdir(exist_ok=True)
    # The machine's environment (pip's configuration comes with it; tests/conftest.py has removed any
    # GITHUB_*, RUNNER_* and INPUT_* of an outer job), then what the runner sets for the step.
    env = {
        **os.environ,
        "PATH": path if path is not None else runner_python_path(root),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        **runner_env,
    }
    env |= {f"INPUT_{name.upper()}": value for name, value in (declared_defaults() | inputs).items()}
    completed = subprocess.run(
        ["/bin/bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return HostStep(
        completed.returncode, completed.stdout, completed.stderr, parse_env_file(output.read_text())
    )
