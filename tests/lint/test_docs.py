"""action.yml, inputs.py, the README tables and the error codes cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from activitysmith_action.errors import ERROR_CODES
from activitysmith_action.inputs import INPUT_NAMES
from activitysmith_action.outcome import OUTPUT_NAMES

REPO = Path(__file__).resolve().parents[2]


def _section(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"<!-- section: {name} -->")
    end = readme.find("<!-- section:", start + 1)
    return readme[start : end if end >= 0 else None]


def _table_names(section: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_-]+)` \|", section, flags=re.MULTILINE))


def test_every_action_yml_input_is_documented_and_read() -> None:
    declared = yaml.safe_load((REPO / "action.yml").read_text())["inputs"]
    assert set(declared) == set(INPUT_NAMES)
    assert _table_names(_section("inputs")) == set(declared)


def test_every_action_yml_output_is_documented_and_written() -> None:
    declared = yaml.safe_load((REPO / "action.yml").read_text())["outputs"]
    assert set(declared) == set(OUTPUT_NAMES)
    assert _table_names(_section("outputs")) == set(declared)


def test_every_error_code_has_a_readme_heading() -> None:
    assert re.findall(r"^### ([a-z_]+)$", _section("errors"), flags=re.MULTILINE) == list(ERROR_CODES)


def test_payload_delimiter_is_declared_deprecated() -> None:
    declared = yaml.safe_load((REPO / "action.yml").read_text())
    assert declared["inputs"]["payload-delimiter"]["deprecationMessage"]
    assert declared["runs"] == {
        "using": "docker",
        "image": "Dockerfile",
        "post-entrypoint": "/opt/action/post_entrypoint.py",
        "post-if": "failure() || cancelled()",
    }
