"""A failed run through scripts/run-example: it shows the failing step's lines and the action's annotations
(not act's whole log), keeps the whole log in a file whose path it prints, and leaves no container of its own
behind while other containers survive."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.service import LocalService
from tests.workflows.conftest import RUN_EXAMPLE
from tools.act_process import containers_of_run, remove_run_containers
from tools.run_example import JOB_IMAGE

pytestmark = pytest.mark.docker

FAILING = Path(__file__).parent / "workflows" / "failing-step.yml"


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=False)


def exists(container_id: str) -> bool:
    return docker("inspect", container_id).returncode == 0


@pytest.fixture
def decoys() -> Iterator[list[str]]:
    """Containers that are not the run's; removed by id after the test."""
    created: list[str] = []
    yield created
    if created:
        docker("rm", "-f", *created)


def create_container(*mounts: str, volume: str | None = None) -> str:
    args = ["create", "--name", f"runner-test-{uuid.uuid4().hex[:12]}"]
    for mount in mounts:
        args += ["-v", mount]
    if volume:
        args += ["-v", f"{volume}:/data"]
    created = docker(*args, JOB_IMAGE, "true")
    assert created.returncode == 0, created.stderr
    return created.stdout.strip()


def test_a_failed_step_shows_its_lines_and_annotation_and_leaves_no_container(
    act_ready: None, service: LocalService, tmp_path: Path, decoys: list[str]
) -> None:
    work, log_file = tmp_path / "run", tmp_path / "act.log"
    workspace = work / "workspace"
    # Not this run's: its mount's *destination* is this run's workspace path, which the engine's volume
    # filter matches too; only the exact source decides.
    (tmp_path / "elsewhere").mkdir()
    decoys.append(create_container(f"{tmp_path / 'elsewhere'}:{workspace}"))
    completed = subprocess.run(
        [
            str(RUN_EXAMPLE),
            str(FAILING),
            "--base-url",
            service.base_url,
            "--api-key",
            service.api_key,
            "--work-dir",
            str(work),
            "--log-file",
            str(log_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env={**os.environ, "PROGRESS_INTERVAL": "0.2"},
    )
    out, log = completed.stdout, log_file.read_text()
    assert completed.returncode == 1, out + completed.stderr
    assert "✗ step 'Send with a broken payload' failed (job Failing step/notify)" in out
    assert "❗  ::error title=ActivitySmith payload_syntax::payload:" in out
    assert f"the whole log: {log_file}" in out
    assert "failing-step.yml on 'push' (refs/heads/main) failed (act exit code 1)" in completed.stderr
    # the other steps' noise stays in the log file
    assert "chatter from a passing step" not in out and "chatter from a passing step 3" in log
    assert "docker create" not in out and "docker create" in log
    assert "::set-output:: ok=false" in log
    assert "Job failed" in log and service.api_key not in log + out + completed.stderr
    # the ticker said what ran while act was quiet
    assert "… running step '" in completed.stderr or "… building the action's image (" in completed.stderr
    # no container of this run is left; the one that is not this run's survives
    assert containers_of_run(workspace) == []
    listed = docker("ps", "-aq", "--no-trunc", "--filter", f"volume={workspace}").stdout.split()
    assert listed == decoys, "only the decoy may still match this run's workspace"
    assert exists(decoys[0])


def test_the_sweep_removes_this_runs_containers_and_volumes_by_id_only(
    act_ready: None, tmp_path: Path, decoys: list[str]
) -> None:
    workspace, other = tmp_path / "workspace", tmp_path / "workspace-other"
    workspace.mkdir()
    other.mkdir()
    volume = f"runner-test-{uuid.uuid4().hex[:12]}-env"
    leftover = create_container(f"{workspace}:{workspace}", volume=volume)
    decoys += [
        create_container(f"{other}:{other}"),  # a longer path that contains this one
        create_container(f"{other}:{workspace}"),  # this run's path as the destination only
    ]
    try:
        assert [c["Id"] for c in containers_of_run(workspace)] == [leftover]
        assert remove_run_containers(workspace) == [leftover]
        assert not exists(leftover)
        assert docker("volume", "inspect", volume).returncode != 0, "the run's volume goes with it"
        assert all(exists(decoy) for decoy in decoys)
        assert remove_run_containers(workspace) == []
    finally:
        docker("rm", "-f", leftover)
        docker("volume", "rm", volume)
