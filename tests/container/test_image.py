"""The image itself: what it contains, how it starts, and that it runs as the runner needs (root)."""

from __future__ import annotations

import json
import shlex
import subprocess

import pytest
import yaml

from tests.container.docker_runner import REPO_ROOT

pytestmark = pytest.mark.docker

EXPECTED_ENTRYPOINT = ["/opt/venv/bin/python", "-u", "-B", "-E", "-s", "/opt/action/entrypoint.py"]


def inspect(image: str) -> dict:
    completed = subprocess.run(
        ["docker", "image", "inspect", image], capture_output=True, text=True, check=True
    )
    return json.loads(completed.stdout)[0]


def shell(image: str, script: str) -> str:
    """Runs a shell command inside the image (entrypoint overridden), for looking at its file system."""
    completed = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "/bin/sh", image, "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def test_entrypoint_is_exec_form_with_an_absolute_interpreter_and_safe_flags(action_image: str) -> None:
    config = inspect(action_image)["Config"]
    assert config["Entrypoint"] == EXPECTED_ENTRYPOINT
    assert not config.get("Cmd"), "a CMD would be appended to the entrypoint as arguments"


def test_runs_as_root_because_runner_files_belong_to_the_runner_user(action_image: str) -> None:
    assert inspect(action_image)["Config"]["User"] in ("", "root", "0")
    assert shell(action_image, "id -u").strip() == "0"


def test_only_the_entrypoints_and_the_package_are_copied(action_image: str) -> None:
    assert sorted(shell(action_image, "ls -A /opt/action").split()) == [
        "activitysmith_action",
        "entrypoint.py",
        "post_entrypoint.py",
    ]
    package = shell(action_image, "cd /opt/action/activitysmith_action && find . -name '*.py' | sort").split()
    assert "./__init__.py" in package and "./main.py" in package
    assert shell(action_image, "ls -A /opt/venv/lib/python3.11/site-packages").split()
    for absent in (
        "/opt/action/tests",
        "/opt/action/activitysmith_mock",
        "/opt/action/.git",
        "/tmp/runtime.txt",
    ):
        assert shell(action_image, f"test -e {absent} && echo present || echo absent").strip() == "absent", (
            absent
        )


def test_venv_holds_exactly_the_locked_runtime_dependencies_and_no_caches(action_image: str) -> None:
    listing = shell(action_image, "ls /opt/venv/lib/python3.11/site-packages").split()
    installed = {name.split("-")[0].lower() for name in listing if name.endswith(".dist-info")}
    assert {"httpx", "pydantic", "pydantic_core", "pyyaml"} <= installed
    assert not installed & {"fastapi", "uvicorn", "pytest", "hypothesis", "pip", "setuptools"}
    assert shell(action_image, "ls -A /root/.cache 2>/dev/null | wc -l").strip() == "0"


def test_the_interpreter_ignores_the_environment_and_user_site(action_image: str) -> None:
    script = (
        "import sys; f = sys.flags; print(f.ignore_environment, f.no_user_site, int(f.dont_write_bytecode))"
    )
    completed = subprocess.run(
        [
            "docker",
            "run",
            "--rm",
            "--entrypoint",
            EXPECTED_ENTRYPOINT[0],
            action_image,
            *EXPECTED_ENTRYPOINT[1:5],
            "-c",
            script,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split() == ["1", "1", "1"]


def test_the_post_entrypoint_runs_with_the_same_interpreter_and_flags(action_image: str) -> None:
    """action.yml's post-entrypoint is started as `--entrypoint <path>`: the kernel runs its shebang, which
    must give the venv's interpreter the main entrypoint's flags (-u -B -E -s)."""
    post = yaml.safe_load((REPO_ROOT / "action.yml").read_text())["runs"]["post-entrypoint"]
    assert shell(action_image, f"test -x {post} && head -1 {post}").strip() == "#!/opt/venv/bin/python -uBEs"
    probe = (
        "import sys; f = sys.flags; "
        "print(sys.executable, f.ignore_environment, f.no_user_site, f.dont_write_bytecode, "
        "sys.stdout.write_through, sys.path[0])"
    )
    # The same shebang line on a probe script: the flags the post entrypoint really runs with.
    completed = subprocess.run(
        [
            "docker",
            "run",
            "--rm",
            "--entrypoint",
            "/bin/sh",
            action_image,
            "-c",
            f"head -1 {post} > /tmp/probe.py && echo {shlex.quote(probe)} >> /tmp/probe.py && "
            "chmod +x /tmp/probe.py && /tmp/probe.py",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split() == ["/opt/venv/bin/python", "1", "1", "1", "True", "/tmp"]
