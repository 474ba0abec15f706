"""The image's hashed lock stays in step with the project's declared runtime dependencies.

requirements/runtime.txt is what the Dockerfile installs with --require-hashes; pyproject.toml is what the
tests run against. If they drift, the container runs other code than the tested one, so drift fails here.
(`packaging` comes with pytest.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCK = REPO_ROOT / "requirements" / "runtime.txt"


def locked() -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, sha256 hashes), parsed from the pip-compile-style lock."""
    entries: dict[str, tuple[Version, list[str]]] = {}
    text = LOCK.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", line)
        assert match, f"not a hashed pin: {line!r}"
        hashes = re.findall(r"sha256:([0-9a-f]{64})", match.group(3))
        entries[canonicalize_name(match.group(1))] = (Version(match.group(2)), hashes)
    return entries


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(spec) for spec in project["dependencies"]]


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is a runtime dependency but not in {LOCK.name}"
        version, _ = pins[name]
        assert requirement.specifier.contains(version), (
            f"{name}=={version} is outside {requirement.specifier}"
        )


def test_runtime_in_lists_exactly_the_declared_dependencies() -> None:
    lines = (REPO_ROOT / "requirements" / "runtime.in").read_text().splitlines()
    listed = {
        canonicalize_name(Requirement(line).name)
        for line in lines
        if line.strip() and not line.startswith("#")
    }
    assert listed == {canonicalize_name(r.name) for r in declared()}


def test_compiled_wheels_carry_a_hash_per_architecture() -> None:
    """The image is built for amd64 and arm64: compiled wheels need a hash for each, pure ones need one."""
    pins = locked()
    for name in ("pydantic-core", "pyyaml"):
        assert len(pins[name][1]) >= 2, f"{name} has a hash for one architecture only"
    assert all(hashes for _, hashes in pins.values())
    assert len(pins) >= 4


def test_the_test_environment_runs_the_locked_versions() -> None:
    """scripts/bootstrap installs with the lock as constraints, so the tests exercise what the image ships."""
    from importlib.metadata import PackageNotFoundError, version

    for name, (pinned, _) in locked().items():
        try:
            installed = Version(version(name))
        except PackageNotFoundError:
            continue  # only needed on another platform or Python (e.g. a backport)
        assert installed == pinned, f"{name} {installed} is installed, the image ships {pinned}"
