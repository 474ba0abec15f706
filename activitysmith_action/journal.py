"""The job's notebook of Live Activities, kept in HOME: what the API answered to each step of this job.

Every use of the action in a job runs in its own container, but they share HOME (`/github/home`, the runner's
per-job temporary home) and the workspace. A step that started, updated or ended a Live Activity (or a
stream) writes down here what the service answered; a post step reads it to learn whether a later step
already ended the activity it would end. Only answers are written (an end that answered success, a stream
DELETE that answered `ended`, an update the API accepted), never intentions, so a failed end step leaves the
activity to the post step.

One small JSON file per activity or stream, under `$HOME/.activitysmith-action/run-<id>-<attempt>/<job>/`:
keyed by run, attempt and job, so a HOME that outlives the job (a self-hosted runner's real home) never mixes
jobs. Writes are atomic (a temporary file renamed over the old one). Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["JOURNAL_DIR", "Target", "job_directory", "read", "write"]

JOURNAL_DIR = ".activitysmith-action"
_SAFE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Target:
    """What a record is about: a Live Activity by its id, or a stream by its key."""

    kind: Literal["activity", "stream"]
    ident: str

    def describe(self) -> str:
        return f"Live Activity {self.ident}" if self.kind == "activity" else f"stream {self.ident}"


def _component(text: str) -> str:
    """A path component that cannot climb out or collide: the text itself when plainly safe, else a hash."""
    if _SAFE.fullmatch(text):
        return text
    return "h-" + hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:32]


def job_directory(env: Mapping[str, str]) -> Path | None:
    """This job's directory, or None outside a runner (no HOME, run id or job id to key it by)."""
    home, run_id, job = (env.get(name, "").strip() for name in ("HOME", "GITHUB_RUN_ID", "GITHUB_JOB"))
    if not (home and run_id and job):
        return None
    attempt = env.get("GITHUB_RUN_ATTEMPT", "").strip() or "1"
    return Path(home) / JOURNAL_DIR / _component(f"run-{run_id}-{attempt}") / _component(job)


def _path(target: Target, env: Mapping[str, str]) -> Path | None:
    directory = job_directory(env)
    return directory / f"{target.kind}-{_component(target.ident)}.json" if directory else None


def read(target: Target, env: Mapping[str, str]) -> dict[str, Any] | None:
    """The record, or None when there is none (or it cannot be read: then nothing is known)."""
    path = _path(target, env)
    if path is None:
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write(target: Target, record: dict[str, Any], env: Mapping[str, str]) -> Path | None:
    """Replace the record atomically; None outside a runner. Raises OSError when HOME cannot be written."""
    path = _path(target, env)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
