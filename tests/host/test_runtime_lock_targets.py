"""The hashed lock installs on every runner the host variant supports, not only in the image.

For each target (CPython 3.11-3.13 on Linux x86_64/aarch64, macOS x86_64/arm64, Windows amd64) pip downloads
the lock exactly as host/install_runtime.py installs it (`--require-hashes --no-deps --only-binary=:all:`),
choosing wheels as pip on that platform would: a wheel whose hash the lock lacks fails here. The macOS and
Linux versions are other than the ones requirements/regenerate.sh resolved for, so a newer platform's pip
choosing another file would show. Needs the package index pip is configured with (PyPI or its mirror).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LOCK = Path(__file__).resolve().parents[2] / "requirements" / "runtime.txt"


def linux(arch: str) -> list[str]:
    """pip on glibc 2.39 (Ubuntu 24.04 runners) accepts manylinux_2_39 down to manylinux2014."""
    return [f"manylinux_2_{minor}_{arch}" for minor in range(39, 16, -1)] + [f"manylinux2014_{arch}"]


PLATFORMS = {
    "linux-x86_64": linux("x86_64"),
    "linux-aarch64": linux("aarch64"),
    "macos14-x86_64": ["macosx_14_0_x86_64"],
    "macos26-arm64": ["macosx_26_0_arm64"],
    "windows-amd64": ["win_amd64"],
}
TARGETS = [(version, platform) for version in ("3.11", "3.12", "3.13") for platform in PLATFORMS]


@pytest.mark.parametrize(("python", "platform"), TARGETS, ids=[f"cp{v}-{p}" for v, p in TARGETS])
def test_the_lock_installs_with_hashes_on(python: str, platform: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    command += ["--require-hashes", "--no-deps", "--only-binary=:all:", "-r", str(LOCK), "-d", str(tmp_path)]
    for tag in PLATFORMS[platform]:
        command += ["--platform", tag]
    command += ["--python-version", python, "--implementation", "cp", "--abi", "cp" + python.replace(".", "")]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert completed.returncode == 0, completed.stderr
    wheels = sorted(path.name for path in tmp_path.glob("*.whl"))
    assert len(wheels) == LOCK.read_text().count("=="), wheels
    compiled = [name for name in wheels if name.startswith(("pydantic_core-", "pyyaml-"))]
    assert len(compiled) == 2 and all(f"cp{python.replace('.', '')}" in name for name in compiled), wheels
