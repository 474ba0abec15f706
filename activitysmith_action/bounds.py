"""How much the step may write anywhere, and one way to cut text with a visible marker.

A hostile answer or a payload with thousands of unknown keys must not turn into a multi-megabyte output, log
line or job summary (GitHub refuses a step summary over 1 MiB, and huge outputs slow every later step that
reads them). Every cut says what was left out, so nothing disappears silently.
"""

from __future__ import annotations

__all__ = [
    "MAX_DEBUG_CHARS",
    "MAX_LISTED_PROBLEMS",
    "MAX_LOG_CHARS",
    "MAX_OUTPUT_CHARS",
    "MAX_PROBLEM_CHARS",
    "MAX_SUMMARY_CHARS",
    "bounded",
]

# One output value (the `response` output carries the API's answer, normally a few hundred bytes).
MAX_OUTPUT_CHARS = 64 * 1024
# The job summary of one step.
MAX_SUMMARY_CHARS = 64 * 1024
# One block of log text (a dry run's planned body), and the `response:` debug line.
MAX_LOG_CHARS = 64 * 1024
MAX_DEBUG_CHARS = 4 * 1024
# Problems spelled out in the `error` output, the summary and the log; the rest are counted.
MAX_LISTED_PROBLEMS = 50
# One problem's text (a field path can be as long as the key a payload invented).
MAX_PROBLEM_CHARS = 500


def bounded(text: str, limit: int) -> str:
    """`text` if it fits, else its start and `… N more characters`, together at most about `limit`."""
    if len(text) <= limit:
        return text
    keep = max(0, limit - 40)
    return f"{text[:keep]}… {len(text) - keep:,} more characters"
