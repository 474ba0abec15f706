"""Running act: its log streamed to a file and to a live view, a ticker while it is quiet, and no leftovers.

act gets `--rm`, so it removes a failed job's container and volumes itself (without it, it keeps them for
debugging). Whatever it could not remove (it was interrupted, timed out, or crashed) is swept afterwards: the
containers that bind-mount this run's workspace, a directory no other run shares, removed by id, with the
volumes only they used. act names job containers after the workflow and job alone, so a name would also match
another run of the same workflow; the workspace mount cannot.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

# Volumes act shares between all its runs (the tool cache): never removed by a sweep.
SHARED_VOLUMES = frozenset({"act-toolcache"})
INTERRUPT_GRACE_SECONDS = 60


class ActTimeout(Exception):
    """act did not finish in time; it was interrupted and its containers were removed."""


def progress_interval() -> float:
    """Seconds of silence before a ticker line (PROGRESS_INTERVAL, shared with scripts/lib/progress.sh)."""
    try:
        return max(float(os.environ.get("PROGRESS_INTERVAL", "5")), 0.1)
    except ValueError:
        return 5.0


def run_streaming(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    log: IO[str],
    on_line: Callable[[str], None],
    on_quiet: Callable[[], None],
    timeout: float,
    interval: float,
) -> int:
    """Run `command`, writing every line to `log` and passing it to `on_line` as it arrives.

    After `interval` seconds without a line, and every `interval` seconds after that, `on_quiet` is called
    (the ticker). On timeout the process gets SIGINT first (act then removes its containers), SIGKILL if it
    does not stop within a minute; ActTimeout is raised either way.
    """
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    last_sign = time.monotonic()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _interrupt(process)
                raise ActTimeout(f"act did not finish within {timeout:g} s")
            try:
                line = lines.get(timeout=min(remaining, interval, 1.0))
            except queue.Empty:
                if time.monotonic() - last_sign >= interval:
                    on_quiet()
                    last_sign = time.monotonic()
                continue
            if line is None:
                break
            log.write(line)
            log.flush()
            on_line(line)
            last_sign = time.monotonic()
        return process.wait()
    finally:
        if process.poll() is None:
            _interrupt(process)
        reader.join(timeout=5)
        process.stdout.close()


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _interrupt(process: subprocess.Popen[str]) -> None:
    """SIGINT first, as Ctrl-C would (act cleans up); SIGKILL if it is still there after the grace period."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=INTERRUPT_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def containers_of_run(workspace: Path) -> list[dict[str, Any]]:
    """The containers, running or not, that bind-mount exactly this run's workspace (docker inspect's view).

    The engine's `volume=` filter also matches as a regular expression (a longer path containing this one),
    so each candidate's mounts are checked for this exact source.
    """
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--no-trunc", "--filter", f"volume={workspace}"],
        capture_output=True,
        text=True,
        check=False,
    )
    candidates = listed.stdout.split()
    if not candidates:
        return []
    inspected = subprocess.run(
        ["docker", "inspect", *candidates], capture_output=True, text=True, check=False
    )
    try:
        details: list[dict[str, Any]] = json.loads(inspected.stdout or "[]")
    except json.JSONDecodeError:
        return []
    return [c for c in details if any(m.get("Source") == str(workspace) for m in c.get("Mounts") or [])]


def remove_run_containers(workspace: Path) -> list[str]:
    """Remove this run's leftover containers by id, and the named volumes only they used; their ids."""
    containers = containers_of_run(workspace)
    if not containers:
        return []
    ids = [str(c["Id"]) for c in containers]
    volumes = {
        str(m["Name"])
        for c in containers
        for m in c.get("Mounts") or []
        if m.get("Type") == "volume" and m.get("Name")
    }
    subprocess.run(["docker", "rm", "-f", "-v", *ids], capture_output=True, check=False)
    if volumes - SHARED_VOLUMES:
        # A volume another container still uses is refused by the engine and stays: that is the point.
        subprocess.run(
            ["docker", "volume", "rm", *sorted(volumes - SHARED_VOLUMES)], capture_output=True, check=False
        )
    print(f"run-example: removed {len(ids)} container(s) this run left behind", file=sys.stderr)
    return ids
