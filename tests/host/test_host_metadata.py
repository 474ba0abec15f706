"""host/action.yml is generated from action.yml and stays exactly in step with it.

Inputs and outputs of the two variants are the same by construction (tools/generate_host_action.py copies
them); these tests fail when action.yml changed and host/action.yml was not regenerated, and check what the
generated step does with each input and output. The GitHub schema and actionlint accept it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tools.generate_host_action import env_name, render

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = REPO_ROOT / "action.yml"
HOST = REPO_ROOT / "host" / "action.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_host_action_is_what_the_generator_makes_from_action_yml() -> None:
    """Fails on drift: regenerate with `.venv/bin/python tools/generate_host_action.py`."""
    assert HOST.read_text(encoding="utf-8") == render(SOURCE.read_text(encoding="utf-8"))
    check = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "generate_host_action.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_a_new_input_or_output_in_action_yml_reaches_the_host_action() -> None:
    """The generator follows action.yml: what another change adds there appears here after regenerating."""
    source = load(SOURCE)
    source["inputs"]["thread-id"] = {"description": "A new input.", "required": False, "default": "x"}
    source["outputs"]["thread_id"] = {"description": "A new output."}
    host = yaml.safe_load(render(yaml.safe_dump(source, sort_keys=False)))
    assert host["inputs"]["thread-id"] == source["inputs"]["thread-id"]
    assert host["outputs"]["thread_id"]["value"] == "${{ steps.run.outputs.thread_id }}"
    (step,) = host["runs"]["steps"]
    assert step["env"]["INPUT_THREAD-ID"] == "${{ inputs.thread-id }}"
    assert render(yaml.safe_dump(source, sort_keys=False)) != HOST.read_text(encoding="utf-8")


def test_inputs_and_outputs_are_exactly_the_container_actions() -> None:
    source, host = load(SOURCE), load(HOST)
    assert host["inputs"] == source["inputs"]
    assert list(host["outputs"]) == list(source["outputs"])
    for name, spec in host["outputs"].items():
        assert spec == {**source["outputs"][name], "value": f"${{{{ steps.run.outputs.{name} }}}}"}


def test_every_input_reaches_the_step_under_the_runners_name() -> None:
    """Composite steps get no INPUT_*: each is passed as a container gets it (hyphens kept)."""
    (step,) = load(HOST)["runs"]["steps"]
    assert load(HOST)["runs"]["using"] == "composite"
    assert (step["id"], step["shell"]) == ("run", "bash")
    assert step["env"] == {env_name(name): f"${{{{ inputs.{name} }}}}" for name in load(SOURCE)["inputs"]}
    assert step["env"]["INPUT_API-KEY"] == "${{ inputs.api-key }}"
    assert 'cygpath -m "$host_dir"' in step["run"] and '. "$host_dir/run.sh"' in step["run"]


def test_the_launcher_runs_the_entrypoint_with_the_images_interpreter_flags() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert '"-u", "-B", "-E", "-s", "/opt/action/entrypoint.py"' in dockerfile
    assert (
        'exec "$runtime_python" -u -B -E -s "$action_root/entrypoint.py"'
        in (REPO_ROOT / "host" / "run.sh").read_text()
    )


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_host_action_matches_the_github_actions_schema() -> None:
    completed = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(HOST)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_actionlint_checks_a_workflow_against_the_host_action(tmp_path: Path) -> None:
    """actionlint reads host/action.yml for `uses: ./host`: known inputs pass, an unknown output is caught."""
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "action.yml").write_text(HOST.read_text())
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    inputs = load(SOURCE)["inputs"]
    every_input = {name: "x" for name, spec in inputs.items() if "deprecationMessage" not in (spec or {})}
    outputs = " ".join(f"${{{{ steps.a.outputs.{name} }}}}" for name in load(SOURCE)["outputs"])
    workflow = {
        "name": "host",
        "on": "push",
        "permissions": {},
        "jobs": {
            "ios": {
                "runs-on": "macos-latest",
                "steps": [
                    {"id": "a", "uses": "./host", "with": every_input},
                    {"run": f'echo "{outputs}"'},
                    {"run": 'echo "${{ steps.a.outputs.no_such_output }}"'},
                ],
            }
        },
    }
    path = ".github/workflows/host.yml"
    (tmp_path / path).write_text(yaml.safe_dump(workflow, sort_keys=False))
    completed = subprocess.run(
        [_tool("actionlint"), "-no-color", path], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    problems = [line for line in completed.stdout.splitlines() if line.startswith(path)]
    assert len(problems) == 1, completed.stdout
    assert 'property "no_such_output" is not defined' in problems[0]
