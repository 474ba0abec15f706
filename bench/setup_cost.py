"""Job set-up cost of the container action: building the Dockerfile vs pulling the released image.

What "Set up job" pays before the first step when action.yml says `image: Dockerfile` (the runner builds it,
in every job) and when it says `image: docker://<registry>/<name>@sha256:<digest>` (the runner pulls it), in
one run, alternating:
  build   `docker build --no-cache` of this checkout's Dockerfile: the base image is present, the build cache
          is not used (each job on a hosted runner starts without one); pip installs the lock from the index
          this machine's builds reach;
  pull    `docker pull <image>@<digest>` from a docker-registry on 127.0.0.1, after removing the image, so its
          own layers come over the wire while the base image's layers are present (as for the build).
Also prints the size the action adds over its base image: uncompressed on disk, and compressed as pulled.
A local registry has no network latency: a pull from ghcr.io on a hosted runner is slower; the build there
also pulls the base image first (here it is present). Prints medians and the ratio.

    .venv/bin/python bench/setup_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.release.registry import LocalRegistry, registry_binary  # noqa: E402

BASE = "python:3.11-slim-bookworm"
MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"
)


def docker(*args: str) -> str:
    completed = subprocess.run(["docker", *args], capture_output=True, text=True, check=False, timeout=1800)
    if completed.returncode != 0:
        raise SystemExit(f"docker {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def remove_build(tag: str, log: str) -> None:
    """The image and what its build left behind (the first stage's untagged images), nothing else."""
    docker("rmi", tag)
    for image_id in re.findall(r"^ ---> ([0-9a-f]{12})$", log, flags=re.MULTILINE):
        tags = subprocess.run(
            ["docker", "image", "inspect", "--format", "{{len .RepoTags}}", image_id],
            capture_output=True,
            text=True,
            check=False,
        )
        if tags.returncode == 0 and tags.stdout.strip() == "0":
            subprocess.run(["docker", "rmi", image_id], capture_output=True, check=False)


def timed_build(index: int) -> float:
    tag = f"bench-setup-cost:build-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    log = docker("build", "--no-cache", "--label", f"bench.round={index}", "-t", tag, str(REPO))
    elapsed = time.perf_counter() - started
    remove_build(tag, log)
    return elapsed


def timed_pull(pinned: str) -> float:
    started = time.perf_counter()
    docker("pull", "-q", pinned)
    elapsed = time.perf_counter() - started
    docker("rmi", pinned)
    return elapsed


def publish_image(registry: LocalRegistry) -> tuple[str, int]:
    """Build once, push to the local registry; remove every local reference. (pinned reference, size)."""
    name = f"{registry.host}/bench/activitysmith-action"
    tag = f"{name}:bench"
    log = docker(
        "build", "--no-cache", "--label", f"bench.published={uuid.uuid4().hex}", "-t", tag, str(REPO)
    )
    size = int(docker("image", "inspect", "--format", "{{.Size}}", tag))
    docker("push", tag)
    (repo_digest,) = json.loads(docker("image", "inspect", "--format", "{{json .RepoDigests}}", tag))
    remove_build(tag, log)
    return f"{name}@{repo_digest.rsplit('@', 1)[1]}", size


def compressed_layer_sizes(registry: LocalRegistry, pinned: str) -> list[int]:
    name, digest = pinned.split("/", 1)[1].rsplit("@", 1)
    request = urllib.request.Request(
        f"http://{registry.host}/v2/{name}/manifests/{digest}", headers={"Accept": MANIFEST_TYPES}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (127.0.0.1, our registry)
        manifest = json.load(answer)
    return [int(layer["size"]) for layer in manifest["layers"]]


def mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    binary = registry_binary()
    if binary is None:
        raise SystemExit("docker-registry is not installed: run ./scripts/setup-docker")
    docker("image", "inspect", BASE)
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as scratch:
        registry = LocalRegistry(Path(scratch), binary).start()
        try:
            pinned, size = publish_image(registry)
            layers = compressed_layer_sizes(registry, pinned)
            builds, pulls = [], []
            for index in range(args.rounds):
                builds.append(timed_build(index))
                pulls.append(timed_pull(pinned))
                print(f"round {index + 1}: build {builds[-1]:.1f} s, pull {pulls[-1]:.2f} s")
        finally:
            registry.stop()
    base_size = int(docker("image", "inspect", "--format", "{{.Size}}", BASE))
    base_layers = len(json.loads(docker("image", "inspect", "--format", "{{json .RootFS.Layers}}", BASE)))
    build, pull = statistics.median(builds), statistics.median(pulls)
    engine = docker("version", "-f", "{{.Server.Version}}").strip()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; docker engine {engine}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d}")
    print(f"rounds: {args.rounds}")
    print(f"Dockerfile build (base present, no cache): median {build:.1f} s")
    print(f"pull by digest (local registry):           median {pull:.2f} s")
    print(f"build / pull: {build / pull:.0f}x")
    print(f"image {mib(size)} = base {mib(base_size)} + the action's {mib(size - base_size)} (uncompressed)")
    print(
        f"compressed layers: {mib(sum(layers))} in all, the action's own {mib(sum(layers[base_layers:]))} "
        f"({len(layers) - base_layers} layers): what a pull fetches when the base is present"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
