"""Throw-away repositories for the release tests: an `origin` (bare, like GitHub) and a maintainer's clone.

The clone holds this checkout's action files on `main`, pushed to origin, as the release workflow's checkout
would see them (all branches and tags fetched).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.host.act_workflow import copy_action

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASE = REPO_ROOT / "scripts" / "release"
IDENTITY = {
    "GIT_AUTHOR_NAME": "github-actions[bot]",
    "GIT_AUTHOR_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "github-actions[bot]",
    "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(repo), **IDENTITY},
    )
    return completed.stdout.strip()


def make_repositories(root: Path) -> tuple[Path, Path]:
    """(origin, clone): main has one commit with the action's files; origin has main."""
    origin, clone = root / "origin.git", root / "clone"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    clone.mkdir()
    copy_action(clone)
    git(clone, "init", "-q", "-b", "main")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "The action")
    git(clone, "remote", "add", "origin", str(origin))
    git(clone, "push", "-q", "origin", "main")
    git(clone, "fetch", "-q", "origin")
    return origin, clone


def commit_on_main(clone: Path, message: str) -> str:
    (clone / "CHANGELOG").write_text(message + "\n")
    git(clone, "add", "CHANGELOG")
    git(clone, "commit", "-q", "-m", message)
    git(clone, "push", "-q", "origin", "main")
    git(clone, "fetch", "-q", "origin")
    return git(clone, "rev-parse", "HEAD")


def push_trigger_tag(clone: Path, version: str, commit: str = "HEAD") -> None:
    """What the maintainer does to release: tag release/vX.Y.Z on a commit of main and push it."""
    git(clone, "tag", f"release/v{version}", commit)
    git(clone, "push", "-q", "origin", f"refs/tags/release/v{version}")


def release(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | IDENTITY | {"HOME": str(cwd)}
    return subprocess.run(
        [str(RELEASE), *args], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=600
    )
