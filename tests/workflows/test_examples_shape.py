"""Examples stay what users copy: the published action at @v1, the key from a secret, no base-url line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.yml"))
REQUIRED = {
    "deployment.yml",
    "ci-failure-alert.yml",
    "server-metrics-stream.yml",
    "progress.yml",
    "build-status-push.yml",
}


def action_steps(path: Path) -> list[dict]:
    document = yaml.safe_load(path.read_text())
    steps = [step for job in document["jobs"].values() for step in job.get("steps", [])]
    return [step for step in steps if "activitysmith" in step.get("uses", "")]


def test_the_required_examples_exist() -> None:
    assert {p.name for p in EXAMPLES} >= REQUIRED


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_uses_the_published_action_and_a_secret(example: Path) -> None:
    steps = action_steps(example)
    assert steps, f"{example.name} does not use the action"
    for step in steps:
        assert step["uses"] == "pyactivitysmith/activitysmith-action@v1"
        assert step["with"]["api-key"] == "${{ secrets.ACTIVITYSMITH_API_KEY }}"
        assert "base-url" not in step["with"], "examples reach the API exactly as users' copies do"
