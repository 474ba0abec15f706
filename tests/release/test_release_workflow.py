"""The release workflow's shape: what it must do that the local end-to-end test cannot run (GitHub, ghcr.io,
buildx with QEMU). actionlint and the schema check are in tests/lint; this checks the release's promises.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "release.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(job: str) -> list[dict]:
    return load()["jobs"][job]["steps"]


def runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def test_only_the_release_trigger_tag_starts_it() -> None:
    """Users reference vX tags; pushing one must not build anything (publish makes them)."""
    document = load()
    assert document[True] == {"push": {"tags": ["release/v*.*.*"]}}
    assert document["permissions"] == {}
    assert document["concurrency"] == {"group": "release", "cancel-in-progress": False}


def test_every_third_party_action_is_pinned_by_commit_with_its_version() -> None:
    lines = [line.strip().removeprefix("- ") for line in WORKFLOW.read_text().splitlines()]
    uses = [line for line in lines if line.startswith("uses:")]
    assert len(uses) == sum(1 for job in load()["jobs"].values() for s in job["steps"] if "uses" in s) > 5
    for line in uses:
        assert re.fullmatch(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_the_image_is_built_for_both_platforms_and_pushed_by_digest_only() -> None:
    (build,) = [s for s in steps("image") if "build-push-action" in s.get("uses", "")]
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert "push-by-digest=true" in build["with"]["outputs"] and "tags" not in build["with"]
    assert "scripts/release plan" in runs("image")
    assert load()["jobs"]["image"]["outputs"]["digest"] == "${{ steps.build.outputs.digest }}"


def test_the_smoke_test_pulls_anonymously_on_both_platforms_before_anything_is_published() -> None:
    smoke = load()["jobs"]["smoke"]
    assert smoke["needs"] == "image"
    assert not [s for s in smoke["steps"] if "login-action" in s.get("uses", "")]
    assert 'scripts/release smoke "$PINNED" --platform linux/amd64' in runs("smoke")
    assert 'scripts/release smoke "$PINNED" --platform linux/arm64' in runs("smoke")
    assert load()["jobs"]["publish"]["needs"] == ["image", "smoke"]


def test_publish_pushes_the_pinned_release_commit_with_the_least_permissions() -> None:
    jobs = load()["jobs"]
    assert jobs["image"]["permissions"] == {"contents": "read", "packages": "write"}
    assert jobs["smoke"]["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"contents": "write", "packages": "write"}
    assert "scripts/release publish" in runs("publish") and "--push" in runs("publish")
    assert 'docker buildx imagetools create --tag "$IMAGE:$VERSION" "$IMAGE@$DIGEST"' in runs("publish")
    checkout = steps("publish")[0]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": True}
