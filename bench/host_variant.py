"""What the host variant costs a job: its first use (install the runtime) vs a later use (reuse it).

Each round runs host/action.yml's step exactly as a runner does (bash with the step's environment, see
tests/host/host_step.py) for a dry-run push, three ways, in turn:
  first use   an empty tool cache: find Python, create the venv, pip-install the hashed lock, run the action;
  reuse       the same tool cache again: find Python, see the runtime is there, run the action;
  bare        the runtime's interpreter on entrypoint.py directly (no launcher): the floor for "reuse".
pip's cache is off (PIP_NO_CACHE_DIR), as in a fresh hosted job; the wheels come from the index pip is
configured with on this machine. Prints medians and ratios.

    .venv/bin/python bench/host_variant.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.host.host_step import run_host_step  # noqa: E402

DRY_PUSH = {
    "action": "send_push_notification",
    "api-key": "ask_bench_host_variant_0123456789",
    "dry-run": "true",
    "payload": "title: bench",
}


def timed_step(root: Path, cache: Path) -> tuple[float, str]:
    started = time.perf_counter()
    step = run_host_step(root, DRY_PUSH, runner_env={"RUNNER_TOOL_CACHE": str(cache)})
    elapsed = time.perf_counter() - started
    if step.exit_code != 0 or step.outputs.get("ok") != "true":
        raise SystemExit(f"the host variant failed:\n{step.log}")
    return elapsed, step.stdout


def timed_bare(runtime: Path, root: Path) -> float:
    output = root / "bare-output"
    output.write_text("")
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        **{f"INPUT_{name.upper()}": value for name, value in DRY_PUSH.items()},
    }
    started = time.perf_counter()
    subprocess.run(
        [str(runtime / "bin" / "python"), "-u", "-B", "-E", "-s", str(REPO / "entrypoint.py")],
        env=env,
        cwd=root,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ["PIP_NO_CACHE_DIR"] = "1"
    first, reuse, bare = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-host-") as scratch:
        for index in range(args.rounds):
            root = Path(scratch) / f"round{index}"
            cache = root / "toolcache"
            elapsed, log = timed_step(root, cache)
            assert "installing the locked runtime" in log
            first.append(elapsed)
            elapsed, log = timed_step(root, cache)
            assert "reusing the runtime" in log and "Successfully installed" not in log
            reuse.append(elapsed)
            (runtime,) = (cache / "activitysmith-action").iterdir()
            bare.append(timed_bare(runtime, root))
            print(
                f"round {index + 1}: first use {first[-1]:.2f} s, "
                f"reuse {reuse[-1]:.3f} s, bare {bare[-1]:.3f} s"
            )
    m_first, m_reuse, m_bare = (statistics.median(x) for x in (first, reuse, bare))
    overhead = statistics.median(r - b for r, b in zip(reuse, bare, strict=True))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d}")
    print(f"rounds: {args.rounds}")
    print(f"first use (install + run): median {m_first:.2f} s")
    print(f"reuse (cached runtime):    median {m_reuse:.3f} s")
    print(f"bare entrypoint.py:        median {m_bare:.3f} s")
    print(
        f"first use / reuse: {m_first / m_reuse:.1f}x; reuse / bare: {m_reuse / m_bare:.2f}x; "
        f"the launcher's overhead (median of reuse - bare per round): {overhead:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
