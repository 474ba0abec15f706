"""The lint stack, run as tests so `./scripts/test` enforces it: hadolint, schemas, actionlint, ruff, mypy.

Every tool comes from a PyPI wheel with its binary inside (the `lint` extra), so this needs no network and no
Docker. A missing tool is a failure, not a skip: a lint that silently does not run is worse than none.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted([*REPO_ROOT.glob("examples/*.yml"), *REPO_ROOT.glob(".github/workflows/*.yml")])


def tool(name: str) -> str:
    """The tool from the project's venv (next to this interpreter), else from PATH; fail when absent."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"lint tool {name!r} is not installed: run ./scripts/bootstrap (the 'lint' extra)")
    return found


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=120)


def assert_clean(completed: subprocess.CompletedProcess[str]) -> None:
    assert completed.returncode == 0, f"{completed.args}\n{completed.stdout}\n{completed.stderr}"


def names(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO_ROOT)) for p in paths]


def test_there_are_workflows_to_lint() -> None:
    """Guards the globs below: an empty list would make every workflow lint pass vacuously."""
    assert {"examples/deployment.yml", ".github/workflows/ci.yml", ".github/workflows/release.yml"} <= set(
        names(WORKFLOWS)
    )


def test_hadolint_dockerfile() -> None:
    assert_clean(run(tool("hadolint"), "--no-color", "Dockerfile"))


def test_action_metadata_matches_the_github_actions_schema() -> None:
    assert_clean(run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", "action.yml"))


@pytest.mark.parametrize("workflow", names(WORKFLOWS))
def test_workflow_matches_the_github_workflows_schema(workflow: str) -> None:
    assert_clean(run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", workflow))


@pytest.mark.parametrize("workflow", names(WORKFLOWS))
def test_actionlint(workflow: str) -> None:
    """actionlint also checks `uses: ./` steps against action.yml (inputs that do not exist, wrong `runs`)."""
    assert_clean(run(tool("actionlint"), "-no-color", workflow))


def test_ruff_check() -> None:
    assert_clean(run(tool("ruff"), "check", "."))


def test_ruff_format() -> None:
    assert_clean(run(tool("ruff"), "format", "--check", "."))


def test_mypy_strict() -> None:
    """Both packages and entrypoint.py type-check under `mypy --strict` (files and flags: pyproject.toml)."""
    completed = subprocess.run(
        [tool("mypy"), "--no-incremental"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert_clean(completed)
