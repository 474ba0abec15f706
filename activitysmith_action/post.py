"""The post step's wiring (action.yml `post-entrypoint`): mask the key, run auto-end, exit with its code.

The runner runs it after the job's steps, in a new container of the same image, for every use of the action in
the job, when the job failed or was cancelled (`post-if`). What it does is autoend.run_post's; like `main()`,
anything that is not anticipated is reported as a bug, without a traceback.
"""

from __future__ import annotations

import io
import sys

from activitysmith_action.autoend import run_post
from activitysmith_action.inputs import read_api_key
from activitysmith_action.redact import Redactor
from activitysmith_action.writer import Writer


def main() -> int:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    api_key = read_api_key()
    redactor = Redactor(api_key)
    writer = Writer(redactor)
    writer.mask(api_key)
    try:
        return run_post(api_key, redactor, writer)
    except Exception as exc:  # a bug: run_post turns every expected failure into its exit code
        writer.bug(exc)
        return 1
