"""Start-up cost of one push step, against the floor any Python step with these libraries pays.

Each step is a fresh process, so start-up is the product's latency. Paired, alternating runs against the local
service on 127.0.0.1, both with the container image's interpreter flags (-u -B -E -s):

* step:  entrypoint.py sending one push (inputs and file commands as the runner gives them);
* floor: a script that imports httpx, pydantic and yaml and sends the same push with httpx.

Prints both medians, their ratio and the step's median peak RSS (measured by a small launcher, so the figure
is the step's own). The environment is a runner's: SSL_CERT_FILE / SSL_CERT_DIR are removed (GitHub's
runners and the image do not set them; this machine does, for its TLS proxy).

    .venv/bin/python bench/startup.py [--runs 31] [--action-dir DIR]   # DIR: another checkout, e.g. "before"
    .venv/bin/python bench/startup.py --container [--runs 11]           # the image: step vs `python -c pass`
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.container.docker_runner import STANDIN_BASE, RunnerSandbox, build_image  # noqa: E402
from tests.support.run_action import PEAK_RSS_LAUNCHER  # noqa: E402
from tests.support.service import LocalService  # noqa: E402

FLAGS = ["-u", "-B", "-E", "-s"]
PAYLOAD = {"title": "Deployed", "message": "web v2 is live"}
FLOOR = """
import json, os, sys
import httpx, pydantic, yaml
r = httpx.post(os.environ["URL"], content=os.environ["BODY"], timeout=10,
               headers={"Authorization": "Bearer " + os.environ["KEY"], "Content-Type": "application/json"})
assert r.status_code == 200, r.status_code
"""


def runner_env(service: LocalService, scratch: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("INPUT_", "GITHUB_", "SSL_CERT_")) and not name.lower().endswith("_proxy")
    }
    for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"):
        env[name] = str(scratch / name.lower())
    env |= {
        "GITHUB_WORKSPACE": str(scratch),
        "HOME": str(scratch),
        "INPUT_ACTION": "send_push_notification",
        "INPUT_API-KEY": service.api_key,
        "INPUT_BASE-URL": service.base_url,
        "INPUT_PAYLOAD": json.dumps(PAYLOAD),
        "URL": f"{service.base_url}/push-notification",
        "BODY": json.dumps(PAYLOAD),
        "KEY": service.api_key,
    }
    return env


def timed(command: list[str], env: dict[str, str], scratch: Path) -> tuple[float, float]:
    """Wall seconds and the command's own peak RSS in MiB."""
    for name in ("github_output", "github_step_summary", "github_state"):
        (scratch / name).write_text("")
    report = scratch / "rss"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", PEAK_RSS_LAUNCHER, str(report), *command], env=env, check=True)
    return time.perf_counter() - started, int(report.read_text()) / 1024


def local(args: argparse.Namespace) -> None:
    entrypoint = Path(args.action_dir).resolve() / "entrypoint.py"
    step_times, floor_times, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        scratch = Path(tmp)
        service = LocalService().start(scratch)
        try:
            env = runner_env(service, scratch)
            for _ in range(args.runs):
                service.reset()
                seconds, peak = timed([sys.executable, *FLAGS, str(entrypoint)], env, scratch)
                step_times.append(seconds)
                peaks.append(peak)
                service.reset()
                floor_times.append(timed([sys.executable, *FLAGS, "-c", FLOOR], env, scratch)[0])
        finally:
            service.stop()
    step, floor = statistics.median(step_times), statistics.median(floor_times)
    python = platform.python_version()
    print(f"machine:  {platform.machine()}, {os.cpu_count()} cores, Python {python}, {date.today()}")
    print(f"runs:     {args.runs} each, alternating; action from {entrypoint.parent}")
    print(f"step:     median {step * 1000:6.1f} ms   (one push, entrypoint.py {' '.join(FLAGS)})")
    print(f"floor:    median {floor * 1000:6.1f} ms   (import httpx, pydantic, yaml; one httpx.post)")
    print(f"ratio:    {step / floor:.2f}x")
    print(f"peak RSS: median {statistics.median(peaks):.1f} MiB (the step's own)")


def container(args: argparse.Namespace) -> None:
    image = build_image()
    step_times, pass_times = [], []
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        service = LocalService().start(Path(tmp))
        sandbox = RunnerSandbox(Path(tmp) / "runner")
        try:
            inputs = {
                "action": "send_push_notification",
                "api-key": service.api_key,
                "base-url": service.base_url,
                "payload": json.dumps(PAYLOAD),
            }
            for _ in range(args.runs):
                service.reset()
                started = time.perf_counter()
                result = sandbox.run_step(image, inputs)
                step_times.append(time.perf_counter() - started)
                assert result.exit_code == 0, result.log
                started = time.perf_counter()
                subprocess.run(["docker", "run", "--rm", STANDIN_BASE, "python3", "-c", "pass"], check=True)
                pass_times.append(time.perf_counter() - started)
        finally:
            service.stop()
    step, floor = statistics.median(step_times), statistics.median(pass_times)
    print(f"machine:  {platform.machine()}, {os.cpu_count()} cores, {date.today()}")
    print(f"runs:     {args.runs} each, alternating")
    print(f"step:     median {step * 1000:6.1f} ms   (docker run of the action's image, one push)")
    print(f"floor:    median {floor * 1000:6.1f} ms   (docker run {STANDIN_BASE} python3 -c pass)")
    print(f"ratio:    {step / floor:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--action-dir", default=str(REPO), help="the checkout whose entrypoint.py to time")
    parser.add_argument("--container", action="store_true", help="time the image instead of the process")
    args = parser.parse_args()
    (container if args.container else local)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
