"""Reading act's log: what to show while a run goes, and what to show when it failed.

act prints one line per event, prefixed with `[Workflow/job]`: `⭐ Run <stage> <step>` starts a step,
`✅  Success - …` / `❌  Failure - …` end it, `  | …` is the step's own output, `❗  ::error …` and
`🚧  ::warning …` are annotations, `🐳  docker …` is act's container chatter, and a multi-line message (a step
summary) continues on lines without the prefix. A reader of a successful run wants the steps, results and
outputs; a reader of a failed run wants the failing step's own lines and the annotations, not 170 lines of
chatter. The text log is used rather than act's `--json`, which writes the `::add-mask::` argument (the
API key) into its fields unmasked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_PREFIX = re.compile(r"^\[(?P<job>[^\]]+)\] (?P<message>.*)$")
STEP_START = "\u2b50 Run "
FAILURE = "\u274c  Failure - "
ERROR_ANNOTATION = "\u2757"
WARNING_ANNOTATION = "\U0001f6a7"
# act's markers for step starts, results, outputs, annotations and the job verdict: the live view.
_LIVE_MARKERS = (
    "\u2b50",
    "\u2705",
    "\u274c",
    ERROR_ANNOTATION,
    WARNING_ANNOTATION,
    "\U0001f3c1",
    "::set-output::",
)
# Lines of a failed step that say nothing about why it failed: container chatter, the action cache, the
# masked key, outputs and the step summary (its ::error annotation says the same in one line).
_NOISE_MARKERS = ("\U0001f433", "LocalRepositoryCache", "\u2699  ***", "::set-output::", "\u2699  Summary - ")
# act's own log lines, never the continuation of a step's multi-line message.
_TOP_LEVEL = ("time=", "Error: ")
MAX_STEP_LINES = 60


@dataclass(frozen=True)
class Line:
    """A line of a step, prefix removed; `continued` when it carries on the multi-line message before it."""

    text: str
    continued: bool = False


@dataclass
class Step:
    """One step of one job as act logged it: its title (`Main Push it`) and its lines."""

    job: str
    title: str
    lines: list[Line] = field(default_factory=list)
    failed: bool = False

    @property
    def name(self) -> str:
        """The step's name as the workflow gives it (act prefixes the stage: Pre, Main, Post)."""
        return re.sub(r"^(Main|Pre|Post) ", "", self.title)


@dataclass
class ParsedLog:
    steps: list[Step]
    other: list[str]


def parse(lines: Iterable[str]) -> ParsedLog:
    """Group the log by job and step; a line without the job prefix continues the line before it."""
    steps: list[Step] = []
    current: dict[str, Step] = {}
    other: list[str] = []
    last: Step | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        match = _PREFIX.match(line)
        if match is None:
            if last is None or line.startswith(_TOP_LEVEL):
                last = None
                other.append(line)
            else:
                last.lines.append(Line(line, continued=True))
            continue
        job, message = match["job"], match["message"]
        if message.startswith(STEP_START):
            current[job] = Step(job, message.removeprefix(STEP_START).strip())
            steps.append(current[job])
        elif job not in current:
            current[job] = Step(job, "(before the first step)")
            steps.append(current[job])
        step = current[job]
        step.failed = step.failed or FAILURE in message
        step.lines.append(Line(message))
        last = step
    return ParsedLog(steps, other)


def explaining_lines(lines: Iterable[Line]) -> list[str]:
    """A step's lines without act's chatter; a dropped line's continuation lines go with it."""
    kept: list[str] = []
    dropping = False
    for line in lines:
        if not line.continued:
            dropping = any(marker in line.text for marker in _NOISE_MARKERS)
        if not dropping:
            kept.append(line.text)
    return collapse_repeats(kept)


def collapse_repeats(lines: list[str]) -> list[str]:
    """A line printed a dozen times in a row is shown once, with how often it repeated."""
    collapsed: list[str] = []
    repeats = 0
    for position, line in enumerate(lines):
        if position and line == lines[position - 1]:
            repeats += 1
            continue
        if repeats:
            collapsed.append(f"  (the line above repeated {repeats} more times)")
            repeats = 0
        collapsed.append(line)
    if repeats:
        collapsed.append(f"  (the line above repeated {repeats} more times)")
    return collapsed


def is_annotation(line: str) -> bool:
    return line.lstrip().startswith((ERROR_ANNOTATION, WARNING_ANNOTATION)) and "::" in line


def failure_report(log: str, log_path: str) -> str:
    """A failed run's story: each failing step's own lines, other steps' annotations, the log's path."""
    parsed = parse(log.splitlines())
    failed = [step for step in parsed.steps if step.failed]
    out: list[str] = []
    shown: set[str] = set()
    for step in failed:
        lines = explaining_lines(step.lines)
        out.append(f"\u2717 step '{step.name}' failed (job {step.job}); its lines:")
        if len(lines) > MAX_STEP_LINES:
            out.append(f"  ... {len(lines) - MAX_STEP_LINES} earlier lines are in the log file")
            lines = lines[-MAX_STEP_LINES:]
        out.extend(f"    {line.strip()}" for line in lines)
        shown.update(line.strip() for line in lines)
    annotations = [
        (step, line.text.strip())
        for step in parsed.steps
        for line in step.lines
        if is_annotation(line.text) and line.text.strip() not in shown
    ]
    if annotations:
        out.append("annotations of the other steps:")
        out.extend(f"    {step.name}: {line}" for step, line in annotations)
    if not failed:
        tail = [line for line in log.splitlines() if line.strip()]
        out.append("no step failed; the end of act's log:")
        out.extend(f"    {line.strip()}" for line in collapse_repeats(tail)[-20:])
    out.extend(line for line in parsed.other if line.startswith("Error: "))
    out.append(f"the whole log: {log_path}")
    return "\n".join(out) + "\n"


def skipped_jobs(log: str) -> list[tuple[str, str]]:
    """(job, runner label) of each job act skipped: no image stands in for its runner (macOS, Windows)."""
    found = re.findall(
        r"^\[([^\]]+)\] .*Skipping unsupported platform -- Try running with `-P ([^=`]+)=", log, re.M
    )
    return [(job, label) for job, label in found]


class LiveView:
    """Follows act's log as it arrives: the lines worth showing now, and what the run is busy with."""

    def __init__(self, show_everything: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.show_everything = show_everything
        self.clock = clock
        self.step = "starting act"
        self.step_started = clock()
        self.building = False

    def feed(self, line: str) -> bool:
        """Whether to show this line; notes a step start (for `activity`)."""
        match = _PREFIX.match(line.rstrip("\n"))
        if match is not None:
            message = match["message"]
            if message.startswith(STEP_START):
                self.step = re.sub(r"^(Main|Pre|Post) ", "", message.removeprefix(STEP_START).strip())
                self.step_started = self.clock()
            self.building = "\U0001f433  docker build" in message
        return self.show_everything or any(marker in line for marker in _LIVE_MARKERS)

    def activity(self) -> str:
        """One line for a ticker: what act is doing and for how long."""
        elapsed = int(self.clock() - self.step_started)
        doing = "building the action's image" if self.building else f"running step '{self.step}'"
        return f"\u2026 {doing} ({elapsed} s)"
