"""scripts/release plan/publish on throw-away repositories: the pinned release commit and the version tags.

No Docker here (test_release_end_to_end.py pushes a real image and runs it through act): the digest is a
well-formed made-up one, which is all `publish` reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.release.repos import commit_on_main, git, make_repositories, push_trigger_tag, release

IMAGE = "ghcr.io/pyactivitysmith/activitysmith-action"
DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    return make_repositories(tmp_path)


def publish(clone: Path, version: str, *extra: str, digest: str = DIGEST) -> tuple[int, str]:
    completed = release(
        "publish",
        "--source-tag",
        f"release/v{version}",
        "--image",
        IMAGE,
        "--digest",
        digest,
        "--push",
        *extra,
        cwd=clone,
    )
    return completed.returncode, completed.stdout + completed.stderr


def remote_tags(origin: Path) -> dict[str, str]:
    """tag -> commit, as users resolve `@tag` on GitHub."""
    listing = git(
        origin, "for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags"
    )
    tags = {}
    for line in listing.splitlines():
        name, target, *peeled = line.split(" ")
        tags[name] = next((p for p in peeled if p), target)
    return tags


def test_publish_makes_a_pinned_release_commit_that_every_version_tag_names(repos: tuple[Path, Path]) -> None:
    origin, clone = repos
    source = git(clone, "rev-parse", "HEAD")
    push_trigger_tag(clone, "1.2.3")
    code, log = publish(clone, "1.2.3")
    assert code == 0, log
    tags = remote_tags(origin)
    commit = tags["v1.2.3"]
    assert tags["v1.2"] == tags["v1"] == commit
    assert "release/v1.2.3" not in tags, "the trigger tag is gone: no tag that builds is left"
    assert f"commit={commit}" in log and "tags=v1.2.3 v1.2 v1" in log
    # the release commit: the source plus one changed line in action.yml, on no branch
    assert git(origin, "rev-parse", f"{commit}^") == source
    assert git(origin, "diff", "--name-only", source, commit) == "action.yml"
    assert git(origin, "rev-parse", "main") == source, "main keeps building from the Dockerfile"
    released = yaml.safe_load(git(origin, "show", f"{commit}:action.yml"))
    original = yaml.safe_load(git(origin, "show", f"{source}:action.yml"))
    assert (original["runs"]["using"], original["runs"]["image"]) == ("docker", "Dockerfile")
    # Only the image changes: the post step (auto-end) and everything else under runs stay as they are.
    assert released["runs"] == original["runs"] | {"image": f"docker://{IMAGE}@{DIGEST}"}
    assert {k: v for k, v in released.items() if k != "runs"} == {
        k: v for k, v in original.items() if k != "runs"
    }
    diff = git(origin, "diff", "--unified=0", source, commit, "--", "action.yml")
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-  image: Dockerfile",
        f"+  image: docker://{IMAGE}@{DIGEST}",
    ]
    assert git(origin, "cat-file", "-t", "v1.2.3") == "tag", "the version tag is annotated"
    assert source in git(origin, "log", "-1", "--format=%B", commit)


def test_a_patch_of_an_older_line_does_not_move_the_major_tag(repos: tuple[Path, Path]) -> None:
    origin, clone = repos
    push_trigger_tag(clone, "1.2.3")
    assert publish(clone, "1.2.3")[0] == 0
    commit_on_main(clone, "1.3 features")
    push_trigger_tag(clone, "1.3.0")
    assert publish(clone, "1.3.0")[0] == 0
    commit_on_main(clone, "a fix for 1.2 users")
    push_trigger_tag(clone, "1.2.4")
    code, log = publish(clone, "1.2.4")
    assert code == 0, log
    tags = remote_tags(origin)
    assert tags["v1.2"] == tags["v1.2.4"] != tags["v1.3.0"]
    assert tags["v1"] == tags["v1.3.0"] == tags["v1.3"]
    assert "tags=v1.2.4 v1.2\n" in log


def test_a_released_version_is_never_released_again(repos: tuple[Path, Path]) -> None:
    origin, clone = repos
    push_trigger_tag(clone, "2.0.0")
    assert publish(clone, "2.0.0")[0] == 0
    before = remote_tags(origin)
    commit_on_main(clone, "later work")
    git(clone, "push", "-q", "origin", "--delete", "refs/tags/v2")  # even with the moving tag gone
    git(clone, "tag", "--delete", "release/v2.0.0")
    push_trigger_tag(clone, "2.0.0")
    code, log = publish(clone, "2.0.0", digest="sha256:" + "cd" * 32)
    assert code == 1
    assert "v2.0.0 already exists: a released version never moves" in log
    after = remote_tags(origin)
    assert after["v2.0.0"] == after["v2.0"] == before["v2.0.0"], "nothing moved"
    assert set(after) == {"v2.0.0", "v2.0", "release/v2.0.0"}


def test_only_commits_of_main_are_released(repos: tuple[Path, Path]) -> None:
    origin, clone = repos
    git(clone, "checkout", "-q", "-b", "experiment")
    (clone / "EXPERIMENT").write_text("x\n")
    git(clone, "add", "EXPERIMENT")
    git(clone, "commit", "-q", "-m", "not on main")
    push_trigger_tag(clone, "3.0.0")
    code, log = publish(clone, "3.0.0")
    assert code == 1 and "is not on refs/remotes/origin/main: releases are made from main" in log
    assert "v3.0.0" not in remote_tags(origin)


def test_an_action_yml_that_does_not_build_the_dockerfile_is_refused(repos: tuple[Path, Path]) -> None:
    origin, clone = repos
    action = clone / "action.yml"
    action.write_text(action.read_text().replace("image: Dockerfile", f"image: docker://{IMAGE}:1"))
    git(clone, "commit", "-q", "-am", "pinned by hand")
    git(clone, "push", "-q", "origin", "main")
    git(clone, "fetch", "-q", "origin")
    push_trigger_tag(clone, "1.0.0")
    code, log = publish(clone, "1.0.0")
    assert code == 1 and "exactly one `image: Dockerfile` line" in log
    assert "v1.0.0" not in remote_tags(origin)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--digest", "sha256:ABC", "--digest must be sha256: and 64 lowercase hex digits"),
        ("--digest", "md5:" + "a" * 32, "--digest must be sha256:"),
        ("--image", "ghcr.io/PyActivitySmith/x", "--image must be a lowercase name"),
        ("--image", f"{IMAGE}:1.2.3", "--image must be a lowercase name without tag or digest"),
        ("--source-tag", "v1.2.3", "--source-tag must look like release/v1.2.3"),
        ("--source-tag", "release/v1.2", "--source-tag must look like release/v1.2.3"),
        ("--source-tag", "release/v01.2.3", "--source-tag must look like release/v1.2.3"),
    ],
)
def test_malformed_values_are_refused_naming_the_option(
    repos: tuple[Path, Path], option: str, value: str, message: str
) -> None:
    origin, clone = repos
    push_trigger_tag(clone, "1.2.3")
    arguments = {"--source-tag": "release/v1.2.3", "--image": IMAGE, "--digest": DIGEST} | {option: value}
    completed = release("publish", *[x for pair in arguments.items() for x in pair], "--push", cwd=clone)
    assert completed.returncode == 1
    assert message in completed.stderr
    assert set(remote_tags(origin)) == {"release/v1.2.3"}


def test_plan_checks_the_tag_and_names_the_image_in_lowercase(repos: tuple[Path, Path]) -> None:
    _, clone = repos
    push_trigger_tag(clone, "0.9.1")
    completed = release(
        "plan",
        "--source-tag",
        "release/v0.9.1",
        "--repository",
        "PyActivitySmith/ActivitySmith-Action",
        cwd=clone,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "version=0.9.1",
        "image=ghcr.io/pyactivitysmith/activitysmith-action",
        f"source={git(clone, 'rev-parse', 'HEAD')}",
    ]
    missing = release("plan", "--source-tag", "release/v0.9.2", "--repository", "o/r", cwd=clone)
    assert missing.returncode == 1
    assert "tag release/v0.9.2 is not in this checkout" in missing.stderr
