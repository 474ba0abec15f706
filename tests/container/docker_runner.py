"""Runs the action's image the way the GitHub runner does, so container tests see what a job would see.

Mirrors `ContainerActionHandler` + `DockerCommandManager.DockerRun` (github-docker-action.md §1.4):
* every declared input becomes `INPUT_<NAME>` (hyphens kept): its `action.yml` default unless `with:` sets it;
* values travel in the docker CLI's environment; only `-e NAME` is on the command line;
* the file-command files live in a directory mounted at /github/file_commands; HOME is /github/home;
* the workdir is /github/workspace (the user's checkout); GITHUB_ACTIONS=true and CI=true.
`--network host` lets the container reach the local service on 127.0.0.1 (act runs action containers on the
job's host network too).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.support.runner_files import parse_env_file

REPO_ROOT = Path(__file__).resolve().parents[2]
STANDIN_BASE = "local/python-slim-standin:bookworm"
# One tag per checkout, so test runs in two clones (or worktrees) on one engine never use each other's image.
TEST_IMAGE = f"activitysmith-action:test-{hashlib.sha256(str(REPO_ROOT).encode()).hexdigest()[:10]}"


def docker_available() -> bool:
    """True when a Docker engine answers; the docker tests skip (fail under CI=true) otherwise."""
    try:
        return (
            subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=30).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def build_image(tag: str = TEST_IMAGE, base: str = STANDIN_BASE) -> str:
    """`docker build` of the repository's Dockerfile on the local stand-in base (no registry is reachable)."""
    completed = subprocess.run(
        ["docker", "build", "-q", "--build-arg", f"BASE_IMAGE={base}", "-t", tag, str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"docker build failed:\n{completed.stdout}\n{completed.stderr}")
    return tag


def declared_inputs() -> dict[str, str]:
    """Every input action.yml declares, with its default ('' when none), as the runner exports them."""
    metadata = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    return {name: str(spec.get("default", "")) if spec else "" for name, spec in metadata["inputs"].items()}


@dataclass
class StepResult:
    """What the runner keeps from one step: exit code, log streams, and the file commands it parses after."""

    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    state: dict[str, str]

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


class RunnerSandbox:
    """The runner's per-job directories on the host: workspace, home, workflow (event.json), file commands."""

    def __init__(self, root: Path):
        self.root = root
        self.workspace = root / "workspace"
        self.home = root / "_github_home"
        self.workflow = root / "_github_workflow"
        self.file_commands = root / "_runner_file_commands"
        for directory in (self.workspace, self.home, self.workflow, self.file_commands):
            directory.mkdir(parents=True, exist_ok=True)
        (self.workflow / "event.json").write_text(json.dumps({"ref": "refs/heads/main"}))

    def run_step(
        self,
        image: str,
        with_: dict[str, str],
        env: dict[str, str] | None = None,
        entrypoint: str | None = None,
    ) -> StepResult:
        """One `docker run` of the action, with fresh file-command files as the runner creates per step."""
        step = uuid.uuid4().hex
        files = {
            "GITHUB_OUTPUT": f"set_output_{step}",
            "GITHUB_STATE": f"save_state_{step}",
            "GITHUB_ENV": f"set_env_{step}",
            "GITHUB_PATH": f"add_path_{step}",
            "GITHUB_STEP_SUMMARY": f"step_summary_{step}",
        }
        for name in files.values():
            (self.file_commands / name).write_text("")
        inputs = declared_inputs() | with_
        container_env = {f"INPUT_{name.replace(' ', '_').upper()}": value for name, value in inputs.items()}
        container_env |= {key: f"/github/file_commands/{name}" for key, name in files.items()}
        container_env |= {
            "HOME": "/github/home",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REPOSITORY": "your-org/your-app",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_ACTIONS": "true",
            "CI": "true",
        }
        container_env |= env or {}
        command = ["docker", "run", "--rm", "--workdir", "/github/workspace", "--network", "host"]
        for name in container_env:
            command += ["-e", name]
        if entrypoint:
            command += ["--entrypoint", entrypoint]
        command += [
            "-v",
            f"{self.home}:/github/home",
            "-v",
            f"{self.workflow}:/github/workflow",
            "-v",
            f"{self.file_commands}:/github/file_commands",
            "-v",
            f"{self.workspace}:/github/workspace",
            image,
        ]
        process_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")} | container_env
        completed = subprocess.run(
            command, env=process_env, capture_output=True, text=True, check=False, timeout=120
        )
        read = lambda key: (self.file_commands / files[key]).read_text()  # noqa: E731
        return StepResult(
            exit_code=completed.returncode,
            stdout=completed.stdout,
            stderr=completed.stderr,
            outputs=parse_env_file(read("GITHUB_OUTPUT")),
            summary=read("GITHUB_STEP_SUMMARY"),
            state=parse_env_file(read("GITHUB_STATE")),
        )
