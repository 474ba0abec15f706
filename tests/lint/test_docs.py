"""The documents cannot drift from the code or point outside the repository.

action.yml, inputs.py, the README tables and the error codes stay in step; every relative Markdown link (and
its anchor) resolves; no file points at the team's reference material outside the repository; and every README
recipe is a step the action accepts (a dry run, so nothing is sent).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from activitysmith_action.errors import ERROR_CODES
from activitysmith_action.inputs import INPUT_NAMES
from activitysmith_action.outcome import OUTPUT_NAMES
from tests.support.run_action import run_action

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
ACTION_REF = "pyactivitysmith/activitysmith-action@v1"


def _section(name: str) -> str:
    """The README text from `<!-- section: name -->` to the next section marker."""
    readme = README.read_text(encoding="utf-8")
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


def test_branding_differs_from_the_official_actions() -> None:
    """The official action shows a black zap in the Marketplace; ours must be told apart at a glance."""
    branding = yaml.safe_load((REPO / "action.yml").read_text())["branding"]
    assert (branding["icon"], branding["color"]) != ("zap", "black")


# --- nothing points outside the repository -----------------------------------------------------------------
# The shared folder, its reference files by name, and section citations of them ("reference", a section sign
# and a number). Built from pieces so this file does not match itself.
_OUTSIDE = re.compile(
    "|".join(
        [
            r"\.\./shared",
            "/work/" + "shared",
            r"reference\s\(?" + "§",
            r"\b(activitysmith-api|peer-actions|github-docker-action)" + r"\.md",
        ]
    ),
    re.IGNORECASE,
)


def tracked_files() -> list[Path]:
    """Tracked files, and new ones not ignored: a document is checked before its first commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [REPO / name for name in listed.split("\0") if name]


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def markdown_files() -> list[Path]:
    return sorted(path for path in tracked_files() if path.suffix == ".md" and path.is_file())


def test_the_document_lists_are_not_empty() -> None:
    """Guards the checks below: an empty list would make them pass vacuously."""
    names = {str(path.relative_to(REPO)) for path in markdown_files()}
    assert {"README.md", "docs/api.md", "docs/local-service.md", "SECURITY.md"} <= names


def test_no_document_points_outside_the_repository() -> None:
    """No tracked text file (documents, code, tests, workflows) cites or links the reference material kept
    outside the repository: the project stands on its own."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in tracked_files()
        if path.is_file()
        for number, line in enumerate((_text(path) or "").splitlines(), start=1)
        if _OUTSIDE.search(line)
    ]
    assert not offenders, "\n".join(offenders)


# --- relative links and anchors resolve ---------------------------------------------------------------------
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE)}


def _broken_links(path: Path) -> list[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ... : not a file in the repository
            continue
        file_part, _, fragment = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(REPO) or not resolved.exists():
            broken.append(f"{target}: no such file in the repository")
        elif fragment and resolved.suffix == ".md" and fragment not in _anchors(resolved):
            broken.append(f"{target}: no heading with anchor #{fragment}")
    return broken


@pytest.mark.parametrize("document", [str(p.relative_to(REPO)) for p in markdown_files()])
def test_every_relative_link_resolves(document: str) -> None:
    assert not _broken_links(REPO / document)


_README_ANCHOR_LINK = r"github\.com/pyactivitysmith/activitysmith-action#([\w-]+)"


def test_links_into_the_readme_from_code_resolve() -> None:
    """The job summary links README anchors (e.g. `#errors`); renaming a heading must not break them."""
    anchors = _anchors(README)
    links = {
        anchor
        for path in tracked_files()
        if path.suffix == ".py"
        for anchor in re.findall(_README_ANCHOR_LINK, _text(path) or "")
    }
    assert links, "expected the summary's link to the README's errors section"
    assert links <= anchors, f"missing README headings for: {sorted(links - anchors)}"


# --- README recipes are steps the action accepts ------------------------------------------------------------
# What the runner would put in place of each expression the README uses; an unknown one fails the test, so a
# new recipe gets a realistic value here rather than an accidental pass.
_EXPRESSIONS = {
    "secrets.ACTIVITYSMITH_API_KEY": "ask_readme_recipe_key_0123456789",
    "github.repository": "acme/web",
    "github.ref_name": "main",
    "github.server_url": "https://github.com",
    "github.run_id": "1234567890",
    "steps.la.outputs.live_activity_id": "pLAr-Hnq9ZFW4sxlk43Lhbuok4GLh7UW",
    "steps.started.outputs.notification_id": "n7Kq2Wm9Zx4Kv8Np3Rt6Yb1cDqL0",
    "job.status == 'success' && 'Build passed' || 'Build failed'": "Build passed",
    # Through a step's env: quotes, colons and newlines reach {{ env.NAME }} as they are.
    "github.event.head_commit.message": 'Fix "login": {retry} on 429\n\n- note: done',
    # toJSON gives a JSON string literal: quotes, colons, braces and newlines stay inside one YAML scalar.
    "toJSON(github.event.head_commit.message)": json.dumps('Fix "login": {retry} on 429\n\n- note: done'),
}


def _expand(text: str) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        assert expression in _EXPRESSIONS, f"add a value for ${{{{ {expression} }}}} to _EXPRESSIONS"
        return _EXPRESSIONS[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _as_input(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def readme_steps() -> list[tuple[dict[str, str], dict[str, str]]]:
    """The `with:` and `env:` of every README step that uses the action, expressions expanded as the runner
    would."""
    steps = []
    blocks = re.findall(r"^```yaml\n(.*?)^```", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    for block in blocks:
        for step in yaml.safe_load(block) or []:
            if isinstance(step, dict) and step.get("uses") == ACTION_REF:
                given = {name: _expand(_as_input(value)) for name, value in step["with"].items()}
                env = {name: _expand(_as_input(value)) for name, value in (step.get("env") or {}).items()}
                steps.append((given, env))
    return steps


def readme_recipes() -> list[dict[str, str]]:
    return [given for given, _ in readme_steps()]


def test_the_readme_has_recipes_for_every_kind_of_request() -> None:
    actions = {recipe["action"] for recipe in readme_recipes()}
    assert actions == {
        "send_push_notification",
        "replace_push_notification",
        "start_live_activity",
        "update_live_activity",
        "end_live_activity",
        "stream_live_activity",
        "end_live_activity_stream",
        "update_metric_value",
        "update_app_icon_badge_count",
    }


@pytest.mark.parametrize(
    ("recipe", "env"),
    [pytest.param(r, e, id=f"{i}-{r['action']}") for i, (r, e) in enumerate(readme_steps(), start=1)],
)
def test_readme_recipe_passes_a_dry_run(recipe: dict[str, str], env: dict[str, str]) -> None:
    runner = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/web",
        "GITHUB_RUN_ID": "1",
    }
    result = run_action({**recipe, "dry-run": "true"}, env=runner | env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.outputs["ok"] == "true"
    assert "::error" not in result.stdout
