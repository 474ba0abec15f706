"""How both entry points (the step and its post step) start and end, written once.

Mask the key before anything can be printed, let printing survive undecodable input, and report anything that
was not anticipated as a bug (one annotation asking for a report, every output written, never a traceback that
might carry request data). The body does the work and returns the exit code.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

from activitysmith_action.inputs import read_api_key
from activitysmith_action.redact import Redactor
from activitysmith_action.writer import Writer

__all__ = ["Body", "run_step"]

# (the API key, the step's redactor, its writer) -> the exit code
Body = Callable[[str, Redactor, Writer], int]


def run_step(body: Body) -> int:
    # Inputs may carry undecodable bytes (Python maps them to lone surrogates); printing them must not crash.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    api_key = read_api_key()
    redactor = Redactor(api_key)
    writer = Writer(redactor)
    writer.mask(api_key)
    try:
        return body(api_key, redactor, writer)
    except Exception as exc:  # a bug: every expected failure is an ActionError, turned into an outcome
        writer.bug(exc)
        return 1
