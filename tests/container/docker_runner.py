"""Runs the action's image the way the GitHub runner does, so container tests see what a job would see.

Mirrors `ContainerActionHandler` + `DockerCommandManager.DockerRun` (the runner's container action handler):
* every declared input becomes `INPUT_<NAME>` (hyphens kept): its `action.yml` default unless `with:` sets it;
* values travel in the docker CLI's environment; only `-e NAME` is on the command line;
* the file-command files live in a directory mounted at /github/file_commands; HOME is /github/home;
* the workdir is /github/workspace (the user's checkout); GITHUB_ACTIONS=true and CI=true.

A post step (`run_post`) is what the runner does after the job's steps for an action with `post-entrypoint`:
a new container of the same image with `--entrypoint <post-entrypoint>`, the same inputs re-exported (their
defaults evaluated again, so `${{ job.status }}` is now the failed or cancelled job's status), and each entry
the main step wrote to GITHUB_STATE as `STATE_<name>` (the name's case kept). HOME and the workspace are the
same directories for every step of the sandbox's job, as they are for a job's container steps.
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


def action_metadata() -> dict:
    return yaml.safe_load((REPO_ROOT / "action.yml").read_text())


# The expressions action.yml's defaults may use, and their value in this runner; any other is refused, so a
# new one cannot silently reach the container as text.
_DEFAULT_EXPRESSIONS = {"${{ job.status }}": "job_status"}


def declared_inputs(job_status: str = "success") -> dict[str, str]:
    """Every input action.yml declares, with its default ('' when none) evaluated as the runner does when the
    step runs (`${{ job.status }}` is the job's status at that moment)."""
    values: dict[str, str] = {}
    for name, spec in action_metadata()["inputs"].items():
        default = str(spec.get("default", "")) if spec else ""
        if "${{" in default:
            if default.strip() not in _DEFAULT_EXPRESSIONS:
                raise ValueError(
                    f"action.yml input {name}: default {default!r} is not an expression this runner evaluates"
                )
            default = {"job_status": job_status}[_DEFAULT_EXPRESSIONS[default.strip()]]
        values[name] = default
    return values


def post_entrypoint() -> str:
    """action.yml's `runs.post-entrypoint`: what the runner passes as `--entrypoint` for the post step."""
    return str(action_metadata()["runs"]["post-entrypoint"])


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

    def run_post(
        self,
        image: str,
        with_: dict[str, str],
        state: dict[str, str],
        env: dict[str, str] | None = None,
        job_status: str = "failure",
    ) -> StepResult:
        """The action's post step, as the runner runs it when `post-if` holds: `--entrypoint` = action.yml's
        post-entrypoint, the same `with:`, and each GITHUB_STATE entry of its main step as `STATE_<name>`."""
        return self.run_step(
            image, with_, env, entrypoint=post_entrypoint(), state=state, job_status=job_status
        )

    def run_step(
        self,
        image: str,
        with_: dict[str, str],
        env: dict[str, str] | None = None,
        entrypoint: str | None = None,
        state: dict[str, str] | None = None,
        job_status: str = "success",
    ) -> StepResult:
        """One `docker run` of the action, with fresh file-command files as the runner creates per step.

        `state` is what the runner passes a post step (`STATE_<name>`); `job_status` is the job's status when
        the step runs, which the runner uses to evaluate `${{ job.status }}` in input defaults."""
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
        inputs = declared_inputs(job_status) | with_
        container_env = {f"INPUT_{name.replace(' ', '_').upper()}": value for name, value in inputs.items()}
        container_env |= {f"STATE_{name}": value for name, value in (state or {}).items()}
        container_env |= {key: f"/github/file_commands/{name}" for key, name in files.items()}
        container_env |= {
            "HOME": "/github/home",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REPOSITORY": "your-org/your-app",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_JOB": "deploy",
            "GITHUB_WORKFLOW": "Deploy",
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
