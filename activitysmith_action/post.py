"""The post step's wiring (action.yml `post-entrypoint`): mask the key, run auto-end, exit with its code.

The runner runs it after the job's steps, in a new container of the same image, for every use of the action in
the job, when the job failed or was cancelled (`post-if`). What it does is autoend.run_post's; like `main()`,
anything that is not anticipated is reported as a bug, without a traceback (step.py).
"""

from __future__ import annotations

from activitysmith_action.autoend import run_post
from activitysmith_action.step import run_step


def main() -> int:
    return run_step(run_post)
