"""What GitHub would have on disk for a run: the repository checkout, the action at @v1, actions/checkout.

The workspace is a git repository like the user's checkout: their files (by default the demo repository in
`examples/workspace/`), the workflow under `.github/workflows/`, a remote `origin` naming the repository (act
reads `github.repository` from it), one commit (`github.sha`), and the simulated ref: a tag pushed is a tag
here, a branch pushed is the branch checked out, so `git describe` and `git branch` agree with `github.ref`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

# What the action's image is built from: everything its Dockerfile and .dockerignore allow-list need.
ACTION_FILES = (
    "action.yml",
    "Dockerfile",
    ".dockerignore",
    "entrypoint.py",
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
COMMIT_MESSAGE = "Ship it"


class WorkspaceError(Exception):
    """Files the run needs are missing or unusable: one clear line."""


def copy_action(source: Path, target: Path) -> None:
    """The action as GitHub would fetch it at @v1: only the files its image build and metadata need."""
    for name in ACTION_FILES:
        path = source / name
        if not path.exists():
            raise WorkspaceError(f"the action is incomplete: {path} is missing")
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, destination)


def write_noop_checkout(target: Path) -> None:
    (target / "action.yml").write_text(NOOP_CHECKOUT)


def prepare_workspace(
    workflow: Path,
    workspace: Path,
    action_source: Path,
    repository_files: Path,
    repository: str,
    ref: str | None,
) -> str:
    """Fill `workspace` like the user's checkout at `ref`; the commit's sha.

    A workflow that uses the action as `uses: ./` (this repository's own CI self-test) gets the action's files
    in the workspace too, as its checkout would. A `.git` among the repository files is left out: the
    workspace gets a fresh history of one commit.
    """
    if not repository_files.is_dir():
        raise WorkspaceError(f"--repository-files: {repository_files} is not a directory")
    shutil.copytree(repository_files, workspace, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
    if re.search(r"uses:\s*\./\s*$", workflow.read_text(), re.MULTILINE):
        copy_action(action_source, workspace)
    workflows = workspace / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    shutil.copy2(workflow, workflows / workflow.name)
    steps = [
        ["init", "-q"],
        ["remote", "add", "origin", f"https://github.com/{repository}.git"],
        ["add", "-A"],
        ["commit", "-q", "-m", COMMIT_MESSAGE],
    ]
    if ref is not None and ref.startswith("refs/tags/"):
        steps.append(["tag", ref.removeprefix("refs/tags/")])
    elif ref is not None and ref.startswith("refs/heads/") and ref != "refs/heads/main":
        steps.append(["checkout", "-q", "-b", ref.removeprefix("refs/heads/")])
    for args in steps:
        _git(workspace, *args)
    return _git(workspace, "rev-parse", "HEAD").strip()


def _git(workspace: Path, *args: str) -> str:
    command = [
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
        *args,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise WorkspaceError(f"git {' '.join(args)} failed in the workspace: {completed.stderr.strip()}")
    return completed.stdout
