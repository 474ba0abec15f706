"""The release steps of .github/workflows/release.yml, as one script so they are tested here end to end.

    scripts/release plan    --source-tag release/v1.2.3 --repository Owner/Repo [--registry ghcr.io]
    scripts/release smoke   IMAGE@sha256:DIGEST [--platform linux/arm64]
    scripts/release publish --source-tag release/v1.2.3 --image ghcr.io/owner/repo --digest sha256:DIGEST
                            [--remote origin] [--main-branch main] [--push]

A release starts when a maintainer pushes a tag `release/vX.Y.Z` on a commit of main. That tag only triggers
the workflow: users never reference it (it builds), and a successful release deletes it. The workflow builds
the image for linux/amd64 and linux/arm64 and pushes it by digest (`plan` checks the tag and names the image
first), runs `smoke` on each platform's image pulled anonymously by that digest, then `publish` makes the
release commit: the source commit with one line of action.yml changed from `image: Dockerfile` to
`image: docker://<image>@sha256:<digest>`, on no branch, so `main` keeps building from the Dockerfile. The
tags `vX.Y.Z` (new), `vX.Y` and `vX` (moved, unless a higher release of that line exists) point at it, and one
atomic push publishes them and deletes the trigger tag. Every user-facing version tag therefore names a commit
that pulls a pinned image and builds nothing. See docs/release.md.

Only the standard library: the workflow runs this with the runner's python3, before anything is installed.
Exit codes: 0 done, 1 a check failed or a value is malformed (nothing was pushed), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SOURCE_TAG = re.compile(r"release/v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
VERSION_TAG = re.compile(r"v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# A lowercase image name with an optional registry host[:port], as docker reference grammar allows.
IMAGE = re.compile(
    r"(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
)
# The line of action.yml a release rewrites: `runs.image` while main builds from the Dockerfile.
DOCKERFILE_IMAGE_LINE = re.compile(
    r"^(?P<indent>[ \t]+)image:[ \t]*['\"]?Dockerfile['\"]?[ \t]*$", re.MULTILINE
)
SMOKE_KEY_PREFIX = "ask_release_smoke_"


class ReleaseError(Exception):
    """A check that failed: reported as one line, and nothing has been pushed."""


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def from_tag(cls, tag: str, pattern: re.Pattern[str] = VERSION_TAG) -> Version | None:
        match = pattern.fullmatch(tag)
        return cls(*(int(part) for part in match.groups())) if match else None

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


# --- git ----------------------------------------------------------------------------------------------------
def git(
    repo: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, strip: bool = True
) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
        env={**os.environ, **(env or {})},
    )
    if completed.returncode != 0:
        problem = completed.stderr.strip() or completed.stdout.strip()
        raise ReleaseError(f"git {' '.join(args)} failed: {problem}")
    return completed.stdout.strip() if strip else completed.stdout


def version_tags(repo: Path) -> dict[Version, str]:
    """Every vX.Y.Z tag of the repository (the workflow's checkout fetches all tags) -> its commit."""
    tags: dict[Version, str] = {}
    listing = git(repo, "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/tags/v*")
    for line in listing.splitlines():
        ref, target, *peeled = line.split(" ")
        version = Version.from_tag(ref.removeprefix("refs/tags/"))
        if version is not None:
            tags[version] = next((p for p in peeled if p), target)  # annotated: the peeled commit
    return tags


def source_version(source_tag: str) -> Version:
    version = Version.from_tag(source_tag, SOURCE_TAG)
    if version is None:
        raise ReleaseError(f"--source-tag must look like release/v1.2.3 (digits only); got {source_tag!r}")
    return version


def check_source(repo: Path, source_tag: str, remote: str, main_branch: str | None) -> tuple[Version, str]:
    """The release's version and source commit: the tag is well formed, on main, and not released yet."""
    version = source_version(source_tag)
    try:
        source = git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{source_tag}^{{commit}}")
    except ReleaseError:
        raise ReleaseError(
            f"tag {source_tag} is not in this checkout (fetch tags, or push the tag first)"
        ) from None
    if main_branch is not None:
        main = f"refs/remotes/{remote}/{main_branch}"
        on_main = subprocess.run(
            ["git", "-C", str(repo), "merge-base", "--is-ancestor", source, main], check=False
        ).returncode
        if on_main != 0:
            raise ReleaseError(f"{source_tag} ({source[:12]}) is not on {main}: releases are made from main")
    if version in version_tags(repo):
        raise ReleaseError(f"v{version} already exists: a released version never moves; release a new one")
    return version, source


# --- plan ---------------------------------------------------------------------------------------------------
def plan(args: argparse.Namespace) -> dict[str, str]:
    repo = Path(args.repo)
    version, source = check_source(repo, args.source_tag, args.remote, args.main_branch)
    image = f"{args.registry}/{args.repository}".lower()
    if not IMAGE.fullmatch(image):
        raise ReleaseError(f"--repository {args.repository!r} does not give a valid image name ({image!r})")
    return {"version": str(version), "image": image, "source": source}


# --- smoke --------------------------------------------------------------------------------------------------
def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            for part in lines:
                if part == delimiter:
                    break
                value.append(part)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs


def run_image(image: str, platform: str | None, inputs: dict[str, str]) -> tuple[int, str, dict[str, str]]:
    """One `docker run` of the image as the runner starts an action: values in the environment, `-e NAME`."""
    with tempfile.TemporaryDirectory(prefix="release-smoke-") as scratch:
        files = Path(scratch)
        (files / "output").write_text("")
        (files / "summary").write_text("")
        env = {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
        env["GITHUB_OUTPUT"] = "/github/file_commands/output"
        env["GITHUB_STEP_SUMMARY"] = "/github/file_commands/summary"
        # --pull always: the image comes from the registry, for this platform, whatever the engine holds.
        command = [
            "docker",
            "run",
            "--rm",
            "--pull",
            "always",
            "--network",
            "none",
            "--workdir",
            "/github/workspace",
        ]
        command += ["--platform", platform] if platform else []
        for name in env:
            command += ["-e", name]
        command += ["-v", f"{files}:/github/file_commands", image]
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, env={**os.environ, **env}, timeout=600
        )
        outputs = parse_outputs((files / "output").read_text())
        return completed.returncode, completed.stdout + completed.stderr, outputs


def smoke(args: argparse.Namespace) -> dict[str, str]:
    """The image starts, masks the key first, validates a request and refuses a bad one, with no network."""
    if "@" not in args.image or not DIGEST.fullmatch(args.image.rsplit("@", 1)[1]):
        raise ReleaseError(f"smoke: give the image by digest (name@sha256:...); got {args.image!r}")
    key = SMOKE_KEY_PREFIX + uuid.uuid4().hex
    where = f"{args.image} ({args.platform or 'default platform'})"
    title = "release smoke test"
    code, log, outputs = run_image(
        args.image,
        args.platform,
        {"action": "send_push_notification", "api-key": key, "dry-run": "true", "payload": f"title: {title}"},
    )
    if code != 0 or outputs.get("ok") != "true":
        raise ReleaseError(f"smoke: a dry run failed in {where} (exit {code}):\n{log}")
    if not log.startswith(f"::add-mask::{key}\n") or log.count(key) != 1:
        raise ReleaseError(f"smoke: the key must appear once, in the first line's ::add-mask::, in {where}")
    body = json.loads(outputs.get("response", "null") or "null")
    if not isinstance(body, dict) or body.get("body") != {"title": title} or outputs.get("attempts") != "0":
        raise ReleaseError(f"smoke: unexpected dry-run outputs in {where}: {outputs}")
    code, log, outputs = run_image(
        args.image, args.platform, {"action": "send_push_notification", "api-key": key, "payload": "title: ["}
    )
    if code != 1 or outputs.get("ok") != "false" or "payload" not in outputs.get("error", ""):
        raise ReleaseError(f"smoke: a bad payload was not refused in {where} (exit {code}):\n{log}")
    return {"smoke": f"passed: {where}"}


# --- publish ------------------------------------------------------------------------------------------------
def pinned_action_yml(text: str, reference: str) -> str:
    """action.yml with its one `image: Dockerfile` line replaced; anything else is an error."""
    matches = DOCKERFILE_IMAGE_LINE.findall(text)
    if len(matches) != 1:
        raise ReleaseError(
            f"action.yml must have exactly one `image: Dockerfile` line under runs (main builds from the "
            f"Dockerfile); found {len(matches)}"
        )
    return DOCKERFILE_IMAGE_LINE.sub(lambda m: f"{m['indent']}image: docker://{reference}", text, count=1)


def release_commit(repo: Path, source: str, version: Version, reference: str, source_tag: str) -> str:
    """The source commit with action.yml pinned, as a commit on no branch (git plumbing: no checkout)."""
    mode, kind, _ = git(repo, "ls-tree", source, "--", "action.yml").split(" ", 2)
    if kind != "blob":
        raise ReleaseError(f"action.yml is missing at {source[:12]}")
    pinned = pinned_action_yml(git(repo, "cat-file", "blob", f"{source}:action.yml", strip=False), reference)
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=pinned)
    with tempfile.TemporaryDirectory(prefix="release-index-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git(repo, "read-tree", source, env=index)
        git(repo, "update-index", "--cacheinfo", f"{mode},{blob},action.yml", env=index)
        tree = git(repo, "write-tree", env=index)
    message = (
        f"Release v{version}\n\n"
        f"action.yml runs the published image instead of building the Dockerfile:\n"
        f"  image: docker://{reference}\n\n"
        f"Built from {source} ({source_tag}) by the release workflow.\n"
    )
    return git(repo, "commit-tree", tree, "-p", source, "-m", message)


def moving_tags(version: Version, existing: dict[Version, str]) -> list[str]:
    """vX.Y and vX follow the highest release of their line: a patch of an older line leaves vX alone."""
    tags = []
    if all(v <= version for v in existing if (v.major, v.minor) == (version.major, version.minor)):
        tags.append(f"v{version.major}.{version.minor}")
    if all(v <= version for v in existing if v.major == version.major):
        tags.append(f"v{version.major}")
    return tags


def publish(args: argparse.Namespace) -> dict[str, str]:
    repo = Path(args.repo)
    if not IMAGE.fullmatch(args.image):
        raise ReleaseError(f"--image must be a lowercase name without tag or digest; got {args.image!r}")
    if not DIGEST.fullmatch(args.digest):
        raise ReleaseError(f"--digest must be sha256: and 64 lowercase hex digits; got {args.digest!r}")
    version, source = check_source(repo, args.source_tag, args.remote, args.main_branch)
    reference = f"{args.image}@{args.digest}"
    commit = release_commit(repo, source, version, reference, args.source_tag)
    existing = version_tags(repo)
    git(repo, "tag", "-a", f"v{version}", "-m", f"Release v{version}: docker://{reference}", commit)
    moved = moving_tags(version, existing)
    for tag in moved:
        git(repo, "tag", "--force", tag, commit)
    tags = [f"v{version}", *moved]
    if args.push:
        refspecs = [f"refs/tags/v{version}:refs/tags/v{version}"]
        refspecs += [f"+refs/tags/{tag}:refs/tags/{tag}" for tag in moved]
        refspecs += [f":refs/tags/{args.source_tag}"]
        git(repo, "push", "--atomic", args.remote, *refspecs)
    return {"version": str(version), "commit": commit, "tags": " ".join(tags), "image": reference}


# --- command line -------------------------------------------------------------------------------------------
def report(result: dict[str, str]) -> None:
    """Print the result; also hand it to later steps (GITHUB_OUTPUT) and the run's page (step summary)."""
    for name, value in result.items():
        print(f"{name}={value}")
    if path := os.environ.get("GITHUB_OUTPUT"):
        with open(path, "a", encoding="utf-8") as handle:
            handle.writelines(f"{name}={value}\n" for name, value in result.items())
    if path := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(f"- **{name}**: `{value}`\n" for name, value in result.items()))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/release", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def source_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--source-tag", required=True, help="the trigger tag, release/vX.Y.Z")
        command.add_argument("--repo", default=".", help="the git checkout (default: the working directory)")
        command.add_argument("--remote", default="origin", help="the remote to check main on and push to")
        command.add_argument(
            "--main-branch", default="main", help="the source must be on <remote>/<this> (default main)"
        )

    planned = commands.add_parser("plan", help="check the trigger tag; print version and image name")
    source_options(planned)
    planned.add_argument("--repository", required=True, help="owner/name of the GitHub repository")
    planned.add_argument("--registry", default="ghcr.io", help="the image registry (default ghcr.io)")

    smoked = commands.add_parser("smoke", help="run the pushed image by digest: a dry run and a refusal")
    smoked.add_argument("image", help="name@sha256:digest")
    smoked.add_argument("--platform", help="e.g. linux/arm64 (emulated with QEMU where needed)")

    published = commands.add_parser("publish", help="make the pinned release commit and the version tags")
    source_options(published)
    published.add_argument("--image", required=True, help="the image name, e.g. ghcr.io/owner/repo")
    published.add_argument("--digest", required=True, help="sha256:... of the pushed (multi-arch) image")
    published.add_argument("--push", action="store_true", help="push the tags (atomically) to --remote")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("git") is None:
        print("scripts/release: git is not installed", file=sys.stderr)
        return 1
    action = {"plan": plan, "smoke": smoke, "publish": publish}[args.command]
    try:
        result = action(args)
    except ReleaseError as error:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            first_line = str(error).split("\n", 1)[0]
            print(f"::error title=Release {args.command}::{first_line}")
        print(f"scripts/release {args.command}: {error}", file=sys.stderr)
        return 1
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
