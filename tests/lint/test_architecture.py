"""The layout rules a newcomer relies on, checked: the action and the service share nothing, and the
action's modules import one way, in data-flow order (inputs -> payload -> request -> client -> outcome ->
writer)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Lower layers first; a module may import only modules listed before it.
ACTION_LAYERS = (
    "runner",
    "bounds",
    "errors",
    "actions",
    "redact",
    "chain",
    "quick",
    "inputs",
    "yaml_loader",
    "payload",
    "template",
    "models",
    "rules",
    "request",
    "answer",
    "tls",
    "client",
    "outcome",
    "journal",
    "preview",
    "summary",
    "writer",
    "autoend",
    "step",
    "main",
    "post",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(("package", "other"), [("activitysmith_action", "activitysmith_mock"),
                                                ("activitysmith_mock", "activitysmith_action")])  # fmt: skip
def test_the_action_and_the_service_share_nothing_but_the_wire(package: str, other: str) -> None:
    for path in (REPO / package).rglob("*.py"):
        leaks = {name for name in imported_modules(path) if name == other or name.startswith(other + ".")}
        assert not leaks, f"{path.relative_to(REPO)} imports {sorted(leaks)}"


def test_every_action_module_has_a_layer() -> None:
    modules = {path.stem for path in (REPO / "activitysmith_action").glob("*.py")} - {"__init__"}
    assert modules == set(ACTION_LAYERS)


@pytest.mark.parametrize("module", ACTION_LAYERS)
def test_action_modules_import_one_way(module: str) -> None:
    allowed = set(ACTION_LAYERS[: ACTION_LAYERS.index(module)])
    prefix = "activitysmith_action."
    used = {
        name.removeprefix(prefix).split(".")[0]
        for name in imported_modules(REPO / "activitysmith_action" / f"{module}.py")
        if name.startswith(prefix)
    }
    later = {name for name in used if name in ACTION_LAYERS} - allowed - {module}
    assert not later, f"{module}.py imports {sorted(later)}, which come after it in the data flow"
