"""tools/act_log.py: a failed run shows the failing step's own lines and the annotations, not chatter."""

from __future__ import annotations

from tools.act_log import LiveView, collapse_repeats, failure_report, parse, skipped_jobs

# A failed run as act 0.2.89 logs it (abridged from a real run): a chatty passing step, then the action's
# step failing with an ::error annotation, its outputs and a multi-line step summary, then the verdict.
FAILED_RUN = (
    """\
time="2026-12-02T18:14:48Z" level=info msg="Using docker host 'unix:///var/run/docker.sock'"
[Notify/notify] ⭐ Run Set up job
[Notify/notify] 🚀  Start image=local/python-slim-standin:bookworm
[Notify/notify]   🐳  docker create image=local/python-slim-standin:bookworm platform= network="host"
[Notify/notify]   ✅  Success - Set up job
[Notify/notify] ⭐ Run Main Chatty step
[Notify/notify]   🐳  docker exec cmd=[bash -e /var/run/act/workflow/0] user= workdir=
[Notify/notify]   | chatter 1
[Notify/notify]   | chatter 2
[Notify/notify]   🚧  ::warning::a warning from a passing step
[Notify/notify]   ✅  Success - Main Chatty step [120ms]
[Notify/notify] ⭐ Run Main Send it
[Notify/notify] LocalRepositoryCache read cachedir pyactivitysmith/activitysmith-action with ref v1
[Notify/notify]   🐳  docker build -t act-pyactivitysmith-activitysmith-action-v1-dockeraction:latest /tmp/x
[Notify/notify]   ⚙  ***
"""
    + "[Notify/notify]   | retrying in 1 s\n" * 12
    + """\
[Notify/notify]   ❗  ::error title=ActivitySmith payload_syntax::payload: is neither valid YAML nor JSON
[Notify/notify]   ❌  Failure - Main Send it [450ms]
[Notify/notify]   ⚙  ::set-output:: ok=false
[Notify/notify]   ⚙  Summary - ### ActivitySmith `send_push_notification`: ❌ failed

**1 problem(s)**

- payload: is neither valid YAML nor JSON
[Notify/notify] exit with `FAILURE`: 1
[Notify/notify] ⭐ Run Complete job
[Notify/notify]   ✅  Success - Complete job
[Notify/notify] 🏁  Job failed
Error: Job 'notify' failed
"""
)


def test_steps_are_grouped_with_their_continuation_lines() -> None:
    parsed = parse(FAILED_RUN.splitlines())
    assert [(s.name, s.failed) for s in parsed.steps] == [
        ("Set up job", False),
        ("Chatty step", False),
        ("Send it", True),
        ("Complete job", False),
    ]
    send = parsed.steps[2]
    assert [line.text for line in send.lines if line.continued] == [
        "",
        "**1 problem(s)**",
        "",
        "- payload: is neither valid YAML nor JSON",
    ]
    assert parsed.other[-1] == "Error: Job 'notify' failed"


def test_failure_report_shows_the_failing_step_and_annotations_only() -> None:
    report = failure_report(FAILED_RUN, "/tmp/run.log")
    assert report.splitlines() == [
        "✗ step 'Send it' failed (job Notify/notify); its lines:",
        "    ⭐ Run Main Send it",
        "    | retrying in 1 s",
        "    (the line above repeated 11 more times)",
        "    ❗  ::error title=ActivitySmith payload_syntax::payload: is neither valid YAML nor JSON",
        "    ❌  Failure - Main Send it [450ms]",
        "    exit with `FAILURE`: 1",
        "annotations of the other steps:",
        "    Chatty step: 🚧  ::warning::a warning from a passing step",
        "Error: Job 'notify' failed",
        "the whole log: /tmp/run.log",
    ]


def test_a_long_failing_step_shows_its_end() -> None:
    lines = [f"[W/j]   | line {n}" for n in range(100)]
    log = "\n".join(["[W/j] ⭐ Run Main Long", *lines, "[W/j]   ❌  Failure - Main Long [1s]"])
    report = failure_report(log, "/tmp/l.log")
    assert "  ... 42 earlier lines are in the log file" in report
    assert "| line 99" in report and "| line 41\n" in report and "| line 40\n" not in report


def test_a_failure_outside_any_step_shows_the_end_of_the_log() -> None:
    log = 'time="x" level=info msg="Using docker host"\nError: workflow is not valid: jobs.x: unknown key\n'
    report = failure_report(log, "/tmp/e.log")
    assert "no step failed; the end of act's log:" in report
    assert "    Error: workflow is not valid: jobs.x: unknown key" in report
    assert report.endswith("the whole log: /tmp/e.log\n")


def test_collapse_repeats_counts_each_run() -> None:
    assert collapse_repeats(["a", "a", "b", "b", "b", "a"]) == [
        "a",
        "  (the line above repeated 1 more times)",
        "b",
        "  (the line above repeated 2 more times)",
        "a",
    ]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_live_view_shows_steps_results_outputs_and_says_what_is_running() -> None:
    clock = FakeClock()
    view = LiveView(clock=clock)
    shown = [line for line in FAILED_RUN.splitlines() if view.feed(line)]
    assert "[Notify/notify] ⭐ Run Main Send it" in shown
    assert "[Notify/notify]   ❌  Failure - Main Send it [450ms]" in shown
    assert "[Notify/notify]   ⚙  ::set-output:: ok=false" in shown
    assert not [line for line in shown if "🐳" in line or "| chatter" in line]

    view.feed("[Notify/notify] ⭐ Run Main Deploy")
    clock.now += 12.4
    assert view.activity() == "… running step 'Deploy' (12 s)"
    view.feed("[Notify/notify]   🐳  docker build -t act-x:latest /tmp/x")
    clock.now += 3
    assert view.activity() == "… building the action's image (15 s)"
    assert LiveView(show_everything=True).feed("[W/j]   🐳  docker exec cmd=[true]")


def test_jobs_skipped_for_their_runner_are_named() -> None:
    log = (
        "[Mac/build] 🚧  Skipping unsupported platform -- Try running with `-P macos-latest=...`\n"
        "[Mac/lint] ⭐ Run Main Lint\n"
    )
    assert skipped_jobs(log) == [("Mac/build", "macos-latest")]
