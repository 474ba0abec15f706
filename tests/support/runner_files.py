"""A Python port of the GitHub runner's file-command parser, for checking what we write.

Ported from `EnvFileKeyValuePairs` in actions/runner `src/Runner.Worker/FileCommandManager.cs` with Linux
semantics (only LF ends a line, so a CR stays inside a value). It raises `FileCommandError` exactly where the
runner fails the step with "Unable to process file command": tests that parse `GITHUB_OUTPUT`,
`GITHUB_STATE` or `GITHUB_ENV` through it see what a real runner would see, forged keys included.
"""

from __future__ import annotations

__all__ = ["FileCommandError", "parse_env_file"]


class FileCommandError(ValueError):
    """The runner would reject this file and fail the step."""


def _read_line(text: str, index: int) -> tuple[str | None, int, str | None]:
    """(line, next index, newline) like the runner's ReadLine: LF only; None at end of text."""
    if index >= len(text):
        return None, index, None
    lf = text.find("\n", index)
    if lf < 0:
        return text[index:], len(text), None
    return text[index:lf], lf + 1, "\n"


def parse_env_file(text: str) -> dict[str, str]:
    """Parse `NAME=VALUE` and `NAME<<DELIM` commands; a later key wins, as in the runner."""
    pairs: dict[str, str] = {}
    line, index, _ = _read_line(text, 0)
    while line is not None:
        if line:
            equals = line.find("=")
            heredoc = line.find("<<")
            if equals >= 0 and (heredoc < 0 or equals < heredoc):
                # The runner's empty-name check tests the whole line (never empty here), so `=v` sets "".
                name, value = line.split("=", 1)
                pairs[name] = value
            elif heredoc >= 0 and (equals < 0 or heredoc < equals):
                name, delimiter = line.split("<<", 1)
                if not name or not delimiter:
                    raise FileCommandError(
                        f"Invalid format '{line}'. Name must not be empty and delimiter must not be empty"
                    )
                start = end = index
                temp, index, newline = _read_line(text, index)
                while temp != delimiter:
                    if temp is None:
                        raise FileCommandError(f"Invalid value. Matching delimiter not found '{delimiter}'")
                    if newline is None:
                        raise FileCommandError("Invalid value. EOF marker missing new line.")
                    end = index - len(newline)
                    temp, index, newline = _read_line(text, index)
                pairs[name] = text[start:end] if end > start else ""
            else:
                raise FileCommandError(f"Invalid format '{line}'")
        line, index, _ = _read_line(text, index)
    return pairs
