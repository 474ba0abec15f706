"""Reading the job summary as GitHub shows it: escapes resolved, or rendered by a real CommonMark parser.

`render_tokens` uses markdown-it-py with GitHub's additions that matter for injection: tables, strikethrough,
bare-URL links (linkify) and task-list checkboxes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """The Markdown with backslash escapes resolved: the characters a reader sees, lines kept."""
    return _ESCAPED.sub(r"\1", markdown)


def parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"linkify": True, "html": True})
        .enable(["table", "strikethrough", "linkify"])
        .use(tasklists_plugin)
    )


def render_tokens(markdown: str) -> list[Token]:
    """Every token, nested ones (inline children) included, in document order."""

    def walk(tokens: list[Token]) -> Iterator[Token]:
        for token in tokens:
            yield token
            if token.children:
                yield from walk(token.children)

    return list(walk(parser().parse(markdown)))
