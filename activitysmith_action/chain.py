"""What an empty `live-activity-id` means, said plainly: the step that should have produced it did not.

An update or end step takes its id from the start step's `live_activity_id` output. When the start step failed
or was skipped, that output is empty, and "live-activity-id: is required" would read like a second, separate
mistake. The `job-status` input (`${{ job.status }}`, evaluated by the runner when this step runs) tells the
two cases apart: a job that had already failed or been cancelled before this step broke the chain there; in a
job that is still green, the id expression itself names the wrong step or output, or the start was skipped.
"""

from __future__ import annotations

__all__ = ["JOB_STATUS_WORDS", "job_status", "missing_live_activity_id"]

# `job.status` values and how messages say them; anything else (empty, an unevaluated expression) is unknown.
JOB_STATUS_WORDS = {"success": "succeeded", "failure": "failed", "cancelled": "was cancelled"}
_HAD = {"failure": "failed", "cancelled": "been cancelled"}


def job_status(raw: str) -> str:
    """The job's status as the runner evaluated it (`success`, `failure`, `cancelled`), or "" when unknown:
    a runner that does not evaluate the input's default passes the expression text itself."""
    value = raw.strip().lower()
    return value if value in JOB_STATUS_WORDS else ""


def missing_live_activity_id(action: str, status: str) -> str:
    """The problem message for an empty `live-activity-id` (the field is named by the caller)."""
    head = (
        f"is required for action {action} but is empty: the step that should have produced "
        "live_activity_id (your start_live_activity step) did not"
    )
    if status in ("failure", "cancelled"):
        return (
            f"{head}. The job had already {_HAD[status]} before this step, "
            "so that step failed or was skipped: its own error comes first. With auto-end on (the default), "
            "the start step ends its Live Activity when the job fails or is cancelled, so an end step needs "
            "no `if: always()`"
        )
    return (
        f"{head}: it was skipped or failed, or the expression names another step or output "
        "(use ${{ steps.<start step id>.outputs.live_activity_id }})"
    )
