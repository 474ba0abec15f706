"""Runs a test workflow through act (a real runner) and reads back every step's outcome and outputs.

Used by the host-variant tests and the release test. The workflow is written by the test as a mapping; this
module adds one last step to every job that prints the job's `steps` context (outcome, conclusion, outputs)
as one base64 line, so outputs are read exactly as later steps would see them, without parsing act's log.

Jobs on `macos-latest` run in act's host mode (`-P macos-latest=-self-hosted`: steps run as processes on this
machine, like on a macOS or Windows runner, where container actions cannot run); jobs on `ubuntu-latest` run
in the offline stand-in job image. Actions come from local directories (`--local-repository`), the service is
reached through ACTIVITYSMITH_BASE_URL, and act's HOME (its action cache, and in host mode the runner's tool
cache) is a fresh directory of the test.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.host.host_step import runner_python_path
from tools import act_process, events, workspace
from tools.run_example import JOB_IMAGE, find_act

KEY_VARIABLE = "ACTIVITYSMITH_API_KEY"
BASE_URL_ENV = "ACTIVITYSMITH_BASE_URL"
REPO_ROOT = Path(__file__).resolve().parents[2]
# What GitHub checks out for `uses: <owner>/<repo>[/host]@<ref>`: what the container variant's image needs
# (one list, in tools/workspace.py) plus the host variant's folder.
ACTION_FILES = (*workspace.ACTION_FILES, "host")
_RECORD = re.compile(r"steps-of-(?P<job>[\w-]+): (?P<data>[A-Za-z0-9+/=]+)")


def copy_action(target: Path, source: Path = REPO_ROOT) -> Path:
    """The action's files as a checkout at a ref would hold them (no caches)."""
    for name in ACTION_FILES:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    return target


@dataclass
class WorkflowRun:
    """act's exit code and whole log, each job's `steps` context, and act's HOME (tool cache inside)."""

    exit_code: int
    log: str
    steps: dict[str, dict[str, Any]]
    home: Path

    def outputs(self, job: str, step: str) -> dict[str, str]:
        return dict(self.steps[job][step]["outputs"])

    def outcome(self, job: str, step: str) -> str:
        return str(self.steps[job][step]["outcome"])

    @property
    def tool_cache(self) -> Path:
        """Where act's host mode keeps RUNNER_TOOL_CACHE (under its cache directory in HOME)."""
        return self.home / ".cache" / "act" / "tool_cache"


def _with_recording(workflow: dict[str, Any]) -> dict[str, Any]:
    jobs = {}
    for name, job in workflow["jobs"].items():
        record = {
            "name": "Record the steps context",
            "if": "always()",
            "env": {"STEPS": "${{ toJSON(steps) }}"},
            "run": f"printf 'steps-of-{name}: %s\\n' \"$(printf '%s' \"$STEPS\" | base64 -w0)\"",
        }
        jobs[name] = {**job, "steps": [*job["steps"], record]}
    return {**workflow, "jobs": jobs}


def _init_workspace(workspace: Path, workflow: dict[str, Any]) -> None:
    (workspace / ".github" / "workflows").mkdir(parents=True)
    (workspace / ".github" / "workflows" / "test.yml").write_text(yaml.safe_dump(workflow, sort_keys=False))
    git = ["git", "-C", str(workspace), "-c", "user.name=Test", "-c", "user.email=test@localhost"]
    for args in (
        ["init", "-q", "-b", "main"],
        ["remote", "add", "origin", "https://github.com/your-org/your-app.git"],
        ["add", "-A"],
        ["commit", "-q", "--no-gpg-sign", "-m", "test workspace"],
    ):
        subprocess.run([*git, *args], check=True, capture_output=True)


def run_workflow(
    workflow: dict[str, Any],
    root: Path,
    *,
    actions: dict[str, Path],
    api_key: str,
    base_url: str,
    timeout: float = 600,
) -> WorkflowRun:
    """Run `workflow` (a push event) with act; `actions` maps `owner/repo@ref` to a local directory."""
    workspace, home = root / "workspace", root / "home"
    home.mkdir(parents=True)
    (home / ".actrc").write_text("")
    _init_workspace(workspace, _with_recording(workflow))
    event = root / "event.json"
    sha = subprocess.run(
        ["git", "-C", str(workspace), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    trigger = events.Trigger("push", ref="refs/heads/main")
    event.write_text(json.dumps(events.payload(trigger, "your-org/your-app", sha)))
    command = [
        find_act(),
        "push",
        "-W",
        ".github/workflows/test.yml",
        "-e",
        str(event),
        "-P",
        f"ubuntu-latest={JOB_IMAGE}",
        "-P",
        "macos-latest=-self-hosted",
        "--pull=false",
        "--rm",
        "--bind",
        "--action-offline-mode",
        "-s",
        KEY_VARIABLE,
        "--env",
        f"{BASE_URL_ENV}={base_url}",
        "--container-daemon-socket",
        "-",
    ]
    for reference, directory in actions.items():
        command += ["--local-repository", f"{reference}={directory}"]
    # Host-mode jobs inherit this environment; the runner's python3 is the tests' own base interpreter.
    env = {**os.environ, KEY_VARIABLE: api_key, "HOME": str(home), "PATH": runner_python_path(root)}
    env.pop("XDG_CACHE_HOME", None)
    exit_code, log = _run_act(command, workspace, env, timeout)
    steps = {match["job"]: json.loads(base64.b64decode(match["data"])) for match in _RECORD.finditer(log)}
    return WorkflowRun(exit_code, log, steps, home)


def _run_act(command: list[str], workspace: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """act's exit code and whole log; no container of this run is left behind, whatever happened."""
    try:
        done = subprocess.run(
            command, cwd=workspace, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    finally:
        act_process.remove_run_containers(workspace)
    return done.returncode, done.stdout + done.stderr
