"""Fuzz the action's input handling with many hostile `with:` blocks and report what happened.

Runs the same strategies and checks as tests/reliability/test_hostile_input.py (`step_inputs`, then the real
pipeline and `main()` in-process with dry-run on, so nothing is sent), but for thousands of cases, counting
instead of stopping at the first crash. Then times the refusals that must be quick: a YAML alias bomb, an
oversize payload, deep nesting and payload files outside the workspace.

    .venv/bin/python bench/fuzz.py --cases 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from activitysmith_action.errors import ActionError  # noqa: E402
from activitysmith_action.payload import MAX_PAYLOAD_BYTES, parse_payload, read_payload_file  # noqa: E402
from tests.reliability.hostile import Crash, run_in_process, step_inputs  # noqa: E402


def fuzz(cases: int, chosen_seed: int, workspace: Path) -> tuple[Counter[str], list[str], float]:
    counts: Counter[str] = Counter()
    crashes: list[str] = []

    @seed(chosen_seed)
    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # count every case; no shrinking, no replay of earlier runs
        suppress_health_check=list(HealthCheck),
    )
    @given(step_inputs())
    def one_case(inputs: dict[str, str]) -> None:
        counts["tried"] += 1
        try:
            outcome = run_in_process(inputs, workspace)
        except Crash as exc:
            counts["crashes"] += 1
            crashes.append(str(exc)[:400])
            return
        counts[outcome.verdict] += 1

    started = time.perf_counter()
    one_case()
    return counts, crashes, time.perf_counter() - started


def median_ms(action: Callable[[], object], runs: int = 20) -> float:
    """Median wall time of `action`, which must end in an ActionError (a refusal)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            action()
        except ActionError:
            pass
        else:
            raise SystemExit(f"expected a refusal from {action}")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def refusal_timings(workspace: Path) -> dict[str, float]:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)
    ]
    bomb = "\n".join(lines) + "\ntitle: *j\n"
    outside = workspace.parent / "outside.json"
    outside.write_text('{"title": "x"}')
    link = workspace / "link.json"
    if not link.exists():
        link.symlink_to(outside)
    return {
        "YAML alias bomb (9 levels, 3^9 expansion)": median_ms(lambda: parse_payload(bomb)),
        f"oversize payload ({MAX_PAYLOAD_BYTES // 1024} KiB + 1)": median_ms(
            lambda: parse_payload("title: " + "x" * MAX_PAYLOAD_BYTES)
        ),
        "nesting 128K deep (256 KiB of brackets)": median_ms(
            lambda: parse_payload("[" * (MAX_PAYLOAD_BYTES // 2) + "]" * (MAX_PAYLOAD_BYTES // 2))
        ),
        "payload file ../outside.json": median_ms(lambda: read_payload_file("../outside.json", workspace)),
        "payload file via symlink out": median_ms(lambda: read_payload_file("link.json", workspace)),
        "payload file absolute elsewhere": median_ms(lambda: read_payload_file(str(outside), workspace)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        counts, crashes, seconds = fuzz(args.cases, args.seed, workspace)
        timings = refusal_timings(workspace)
    print(f"fuzz: seed {args.seed}")
    print(f"cases tried:    {counts['tried']}")
    print(f"rejected:       {counts['rejected']}")
    print(f"accepted:       {counts['accepted']}")
    print(f"crashes:        {counts['crashes']}")
    print(f"time:           {seconds:.1f} s ({seconds / max(1, counts['tried']) * 1000:.2f} ms per case)")
    print("refusal time (median of 20):")
    for name, ms in timings.items():
        print(f"  {name:<45} {ms:8.2f} ms")
    for crash in crashes[:5]:
        print(f"CRASH: {crash}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
