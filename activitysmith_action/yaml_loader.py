"""The YAML part of payload parsing: PyYAML restricted to what JSON can say, bounded while it reads.

Imported only for YAML payloads (payload.py imports it inside a function), so a step with a JSON payload never
pays for importing PyYAML and compiling its resolvers. What it accepts: `on`, `yes`, `off` and dates stay
strings (YAML 1.2 core-style resolvers for bool, null, int and float only), anchors and aliases are refused
(they are how "billion laughs" bombs work, and JSON has none), duplicate keys are errors, and nesting is
bounded while the node tree is built.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

__all__ = ["YamlRefused", "YamlSyntaxError", "load"]


class YamlRefused(Exception):
    """A construct we refuse (alias, merge key, tag, duplicate or non-string key, too deep), with its line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class YamlSyntaxError(Exception):
    """Not YAML at all; the message has the parser's problem and where it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_Refused = YamlRefused


class _JsonLikeResolver(BaseResolver):
    """Implicit types of the YAML 1.2 core schema, restricted to JSON: bool, null, int, float."""


_JsonLikeResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_JsonLikeResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_JsonLikeResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789")
)
_JsonLikeResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"),
    list("-0123456789"),
)


class _JsonLikeConstructor(SafeConstructor):
    """Builds only str/int/float/bool/None/list/dict; refuses duplicate keys and non-string keys."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            found = getattr(node, "id", "a node")
            raise ConstructorError(None, None, f"expected a mapping, found {found}", node.start_mark)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(f"merge keys (<<) are not supported (line {key_node.start_mark.line + 1})")
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _Refused(f"keys must be strings; got {key!r} (line {key_node.start_mark.line + 1})")
            if key in result:
                raise _Refused(f'duplicate key "{key}" (line {key_node.start_mark.line + 1})')
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_yaml_map(self, node: Node) -> Generator[dict[Any, Any], None, None]:
        yield self.construct_mapping(node, deep=True)

    def construct_undefined(self, node: Node) -> Any:
        raise _Refused(f"the tag {node.tag} is not supported (line {node.start_mark.line + 1})")


_JsonLikeConstructor.yaml_constructors = {
    tag: SafeConstructor.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:seq",
    )
}
_JsonLikeConstructor.add_constructor(  # type: ignore[type-var]  # the stubs expect a plain SafeConstructor
    "tag:yaml.org,2002:map", _JsonLikeConstructor.construct_yaml_map
)
_JsonLikeConstructor.add_constructor(None, _JsonLikeConstructor.construct_undefined)  # type: ignore[type-var]


class _BoundedComposer(Composer):
    """Refuses anchors/aliases and nesting deeper than MAX_DEPTH while the node tree is being built."""

    _depth = 0
    max_depth = 32

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # from Parser, mixed in by _Loader
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise _Refused(f"YAML anchors and aliases (& and *) are not supported (line {line})")
        nests = isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
        self._depth += nests
        try:
            if self._depth > self.max_depth:
                raise _Refused(
                    f"nested deeper than {self.max_depth} levels (line {event.start_mark.line + 1})"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= nests


class _Loader(Reader, Scanner, Parser, _BoundedComposer, _JsonLikeConstructor, _JsonLikeResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        _JsonLikeConstructor.__init__(self)
        _JsonLikeResolver.__init__(self)


def _syntax_text(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"


def load(text: str, max_depth: int) -> Any:
    """The document as JSON-like Python values. Raises YamlRefused or YamlSyntaxError; a RecursionError or
    a ValueError (an integer with too many digits) passes out for the caller to word."""
    try:
        loader = _Loader(text)  # the reader refuses control characters here, before any parsing
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(_syntax_text(exc)) from None
    loader.max_depth = max_depth
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(_syntax_text(exc)) from None
    finally:
        loader.dispose()
