"""The release path end to end, with a registry of our own on 127.0.0.1 instead of ghcr.io.

What the release workflow does, in order: `scripts/release plan` checks the trigger tag and names the image;
the image is built and pushed (here single-arch with `docker build` + `docker push`: the workflow's
multi-arch buildx build needs QEMU); `scripts/release smoke` pulls it by digest and runs it; `scripts/release
publish` makes the pinned release commit and moves the tags in a throw-away clone. Then act runs a workflow
that uses the action at `@v1` exactly as a user's workflow does: the runner must pull the image by digest from
the registry (its access log shows the manifest fetched) and build nothing, and the step must do its job
against the local service.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

from tests.host.act_workflow import KEY_VARIABLE, REPO_ROOT, run_workflow
from tests.release.registry import LocalRegistry
from tests.release.repos import git, make_repositories, push_trigger_tag, release
from tests.support.service import LocalService

pytestmark = pytest.mark.docker

VERSION = "1.4.0"


def docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(["docker", *args], capture_output=True, text=True, check=False, timeout=900)
    if check and completed.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed


def image_exists(reference: str) -> bool:
    return docker("image", "inspect", reference, check=False).returncode == 0


def test_a_release_pins_the_pushed_image_and_v1_pulls_it_without_building(
    act_ready: None, registry: LocalRegistry, service: LocalService, tmp_path: Path
) -> None:
    origin, clone = make_repositories(tmp_path / "repos")
    source = git(clone, "rev-parse", "HEAD")
    push_trigger_tag(clone, VERSION)

    # plan: the tag is valid and new; the image name derives from the repository
    planned = release(
        "plan",
        "--source-tag",
        f"release/v{VERSION}",
        "--repository",
        "PyActivitySmith/activitysmith-action",
        "--registry",
        registry.host,
        cwd=clone,
    )
    assert planned.returncode == 0, planned.stderr
    image = f"{registry.host}/pyactivitysmith/activitysmith-action"
    assert f"image={image}" in planned.stdout.splitlines()

    # build and push (the workflow: buildx, linux/amd64 + linux/arm64, pushed by digest)
    candidate = f"{image}:candidate"
    # The labels the workflow sets: the revision makes this image (and its manifest) new to the engine.
    labels = [f"org.opencontainers.image.revision={source}", f"org.opencontainers.image.version={VERSION}"]
    docker("build", "-q", *[x for label in labels for x in ("--label", label)], "-t", candidate, str(clone))
    docker("push", candidate)
    (repo_digest,) = json.loads(
        docker("image", "inspect", "--format", "{{json .RepoDigests}}", candidate).stdout
    )
    digest = repo_digest.rsplit("@", 1)[1]
    pinned = f"{image}@{digest}"
    try:
        docker("rmi", candidate)  # the tag and its digest reference: the image is now only in the registry
        assert not image_exists(pinned)

        # publish: the release commit and the tags, pushed to origin
        published = release(
            "publish",
            "--source-tag",
            f"release/v{VERSION}",
            "--image",
            image,
            "--digest",
            digest,
            "--push",
            cwd=clone,
        )
        assert published.returncode == 0, published.stderr
        action_at_v1 = tmp_path / "action-at-v1"
        subprocess.run(
            ["git", "clone", "-q", "--branch", "v1", str(origin), str(action_at_v1)],
            check=True,
            capture_output=True,
        )
        released = yaml.safe_load((action_at_v1 / "action.yml").read_text())
        main_runs = yaml.safe_load((REPO_ROOT / "action.yml").read_text())["runs"]
        assert released["runs"] == main_runs | {"image": f"docker://{pinned}"}
        release_commit = git(action_at_v1, "rev-parse", "HEAD")
        assert git(action_at_v1, "rev-parse", "HEAD^") == source
        for tag in (f"v{VERSION}", "v1.4", "v1"):
            assert git(origin, "rev-parse", f"{tag}^{{commit}}") == release_commit

        # a user's workflow at @v1: act pulls the pinned image (it is not here) and builds nothing
        assert not image_exists(pinned)
        owner = f"release-e2e-{uuid.uuid4().hex[:10]}"
        uses = f"{owner}/activitysmith-action@v1"
        log_before = len(registry.log())
        step = {
            "id": "push",
            "uses": uses,
            "with": {
                "action": "send_push_notification",
                "api-key": f"${{{{ secrets.{KEY_VARIABLE} }}}}",
                "payload": "title: Version 4.2 is live\nmessage: Released through the pinned image\n",
            },
        }
        run = run_workflow(
            {"name": "user", "on": "push", "jobs": {"notify": {"runs-on": "ubuntu-latest", "steps": [step]}}},
            tmp_path / "act",
            actions={uses: action_at_v1},
            api_key=service.api_key,
            base_url=service.base_url,
        )
        assert run.exit_code == 0, run.log
        assert "docker build" not in run.log
        assert f"docker create image={pinned}" in run.log
        pulls = registry.log()[log_before:]
        assert f"GET /v2/pyactivitysmith/activitysmith-action/manifests/{digest}" in pulls
        assert image_exists(pinned), "the digest-pinned image is on the engine after the run"
        config = docker("image", "inspect", "--format", "{{.Id}}", pinned).stdout.strip()
        assert f"GET /v2/pyactivitysmith/activitysmith-action/blobs/{config}" in pulls, (
            "its config came from there"
        )
        built = docker("images", "--format", "{{.Repository}}").stdout.split()
        assert not [name for name in built if owner in name], "act built no image for the action"

        outputs = run.outputs("notify", "push")
        (request,) = [r for r in service.requests() if r["path"] != "/api/health"]
        assert (request["method"], request["path"]) == ("POST", "/api/push-notification")
        assert request["body"] == {
            "title": "Version 4.2 is live",
            "message": "Released through the pinned image",
        }
        assert (outputs["ok"], outputs["status"], outputs["attempts"], outputs["error"]) == (
            "true",
            "200",
            "1",
            "",
        )
        answer = json.loads(outputs["response"])
        assert answer["success"] is True and answer["devices_notified"] == 1
        (device,) = service.devices()["devices"]
        assert [push["title"] for push in device["pushes"]] == ["Version 4.2 is live"]
        assert service.api_key not in run.log

        # smoke (the workflow runs it before publishing): by digest, a dry run passes and a bad payload is
        # refused. Here it runs last because the engine keeps a manifest it has fetched, and the act run above
        # had to be the engine's first fetch of this one.
        docker("rmi", pinned)
        smoke = release("smoke", pinned, cwd=clone)
        assert smoke.returncode == 0, smoke.stdout + smoke.stderr
        assert "smoke=passed" in smoke.stdout
    finally:
        for reference in (candidate, pinned):
            if image_exists(reference):
                docker("rmi", reference, check=False)
