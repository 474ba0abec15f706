"""Installs the host variant's runtime: a venv holding exactly the hashed lock, published all at once.

    python -I host/install_runtime.py requirements/runtime.txt <tool cache>/activitysmith-action/<key>

Run by host/run.sh with the runner's Python (3.11 or newer) when the runtime for this lock and interpreter is
not there yet. pip installs with the same guarantees as the container image's build: `--require-hashes`
(every file must match a hash in the lock), `--no-deps` (nothing resolved beyond the lock) and
`--only-binary=:all:` (wheels only, nothing compiled on the runner). pip's own configuration (an index mirror
on a self-hosted runner) is honoured; the hashes make the source irrelevant to what gets installed.

pip itself: the runner's Python's own pip when it is 22.3 or newer (it installs into the new venv with
`--python`, which saves the venv its own pip: about 4 s of ensurepip), else a pip inside the venv.

The venv is built in a staging directory beside the target and renamed into place only when complete, with a
`.complete` marker inside. So a cancelled job never leaves a half-installed runtime that a later use would
trust, and two jobs installing at once on a self-hosted runner both end with the same complete runtime (the
loser of the rename discards its copy). The interpreter is always started by its path, never through the
venv's scripts, so the rename does not matter to it.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

MARKER = ".complete"
PIP_OPTIONS = (
    "install",
    "--require-hashes",
    "--no-deps",
    "--only-binary=:all:",
    "--disable-pip-version-check",
    "--no-input",
    "--progress-bar",
    "off",
)


def venv_python(root: Path) -> Path:
    """The venv's interpreter: Scripts/python.exe on Windows, bin/python elsewhere."""
    windows = root / "Scripts" / "python.exe"
    return windows if windows.exists() else root / "bin" / "python"


def base_pip_can_target() -> bool:
    """True when this interpreter's pip is 22.3 or newer, the first pip with `--python`."""
    try:
        found = re.match(r"(\d+)\.(\d+)", importlib.metadata.version("pip"))
    except importlib.metadata.PackageNotFoundError:
        return False
    return found is not None and (int(found[1]), int(found[2])) >= (22, 3)


def install(lock: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would shut other users of a shared tool cache out
    try:
        use_base_pip = base_pip_can_target()
        venv.EnvBuilder(with_pip=not use_base_pip, clear=True, symlinks=os.name != "nt").create(staging)
        # -E: PYTHON* variables of the job (a PYTHONPATH from an earlier step) do not reach pip.
        pip = (
            [sys.executable, "-E", "-m", "pip", "--python", str(venv_python(staging))]
            if use_base_pip
            else [str(venv_python(staging)), "-E", "-m", "pip"]
        )
        subprocess.run([*pip, *PIP_OPTIONS, "-r", str(lock)], check=True)
        (staging / MARKER).write_text(f"installed from {lock.name} by {sys.executable}\n", encoding="utf-8")
        if target.exists() and not (target / MARKER).is_file():
            shutil.rmtree(target)  # garbage (only complete runtimes are ever renamed into place)
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / MARKER).is_file():
                raise
            # Another job published the same runtime first: keep theirs.
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: install_runtime.py LOCK TARGET", file=sys.stderr)
        return 2
    lock, target = Path(argv[1]), Path(argv[2])
    if (target / MARKER).is_file():
        return 0
    try:
        install(lock, target)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"install_runtime.py: {error}", file=sys.stderr)
        return 1
    print(f"runtime ready: {venv_python(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
