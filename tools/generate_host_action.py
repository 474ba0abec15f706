"""Writes host/action.yml, the host variant of the action, from the container action's action.yml.

The host variant is a composite action for runners that cannot run containers (macOS, Windows, Linux
without Docker). Its inputs and outputs must be exactly the container action's, so they are copied from
action.yml here rather than kept by hand; only the `runs:` part is its own. Run this after any change to
action.yml's inputs or outputs (tests/host/test_host_metadata.py fails until you do):

    .venv/bin/python tools/generate_host_action.py           # rewrite host/action.yml
    .venv/bin/python tools/generate_host_action.py --check   # exit 1 when host/action.yml is out of date

How each input reaches the code: a composite action's steps get no `INPUT_*` variables from the runner, so the
one step passes every input through `env:` under the name the runner gives it in a container action
(`INPUT_` + the name upper-cased, spaces as `_`, hyphens kept: `INPUT_API-KEY`). The entrypoint then reads
them exactly as it does in the container. bash passes such names on to the programs it starts (it only refuses
them as shell variables), and the step's shell is bash on every runner.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = REPO_ROOT / "action.yml"
TARGET = REPO_ROOT / "host" / "action.yml"
STEP_ID = "run"

HEADER = """\
# GENERATED from ../action.yml by tools/generate_host_action.py: edit action.yml (inputs, outputs) or the
# generator (everything else), then run `.venv/bin/python tools/generate_host_action.py`.
#
# The host variant: the same action on the runner's own Python, for runners that cannot run containers
# (macOS and Windows runners, Linux runners without Docker). Use it as `uses: <owner>/<repo>/host@<ref>`.
# Its one step finds Python 3.11 or newer, installs the hashed lock requirements/runtime.txt once into a venv
# in the runner's tool cache, and runs the same entrypoint.py the container runs. See docs/host-variant.md.
"""

# The step's script: converts the action path for Git Bash on Windows, then sources the launcher. Kept short,
# because the runner prints it in the log of every use.
RUN_SCRIPT = """\
host_dir=$GITHUB_ACTION_PATH
if command -v cygpath >/dev/null 2>&1; then host_dir=$(cygpath -m "$host_dir"); fi
. "$host_dir/run.sh"
"""


def env_name(input_name: str) -> str:
    """The variable the runner sets for an input of a container action: INPUT_ + upper-cased, spaces as _."""
    return "INPUT_" + input_name.replace(" ", "_").upper()


def host_action(source: dict[str, Any]) -> dict[str, Any]:
    """The composite action's metadata: the source's identity, inputs and outputs; its own `runs:`."""
    inputs: dict[str, Any] = source["inputs"]
    outputs: dict[str, Any] = source["outputs"]
    return {
        "name": f"{source['name']} on the runner's Python",
        "description": source["description"]
        + " The host variant: for macOS, Windows and other runners without containers.",
        "author": source["author"],
        "branding": source["branding"],
        "inputs": inputs,
        "outputs": {
            name: {**(spec or {}), "value": f"${{{{ steps.{STEP_ID}.outputs.{name} }}}}"}
            for name, spec in outputs.items()
        },
        "runs": {
            "using": "composite",
            "steps": [
                {
                    "id": STEP_ID,
                    "shell": "bash",
                    "env": {env_name(name): f"${{{{ inputs.{name} }}}}" for name in inputs},
                    "run": RUN_SCRIPT,
                }
            ],
        },
    }


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings (the run script): the generated file reads like a written one."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(source_text: str) -> str:
    """host/action.yml's full text for the given action.yml text (deterministic: a test compares it)."""
    document = host_action(yaml.safe_load(source_text))
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether host/action.yml is current")
    args = parser.parse_args(argv)
    expected = render(SOURCE.read_text(encoding="utf-8"))
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != expected:
            print(f"{TARGET.relative_to(REPO_ROOT)} is out of date: run tools/generate_host_action.py")
            return 1
        return 0
    if current != expected:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(expected, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
