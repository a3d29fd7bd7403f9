"""YAML to plain data, remembering where every key and value stands in the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import yaml

from .errors import Diagnostic, error
from .pasted import tidy
from .sources import CONTROL, control_warning

Path_ = tuple  # a location in the data: keys and list indices

_NULL = "tag:yaml.org,2002:null"
# No sheet needs more; the limits stop a few hundred bytes of nested aliases ("billion laughs") from filling
# the memory, and deep nesting from exhausting Python's stack, before anything is expanded.
MAX_DEPTH = 50
MAX_REPEATED = 10_000


class _Limit(yaml.MarkedYAMLError):
    """The YAML is within the syntax but beyond what a site's files need; carries the fix."""

    def __init__(self, problem: str, mark: yaml.Mark, hint: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class _Loader(yaml.SafeLoader):
    """A composer that refuses nesting deeper than MAX_DEPTH and aliases repeating over MAX_REPEATED values,
    counting what each anchored value expands to as it is read."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth, self.reach, self.count, self.repeated = 0, 0, 0, 0
        self.expands: dict[str, tuple[int, int]] = {}  # anchor -> (values, levels) once it is complete

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self.depth += 1
        try:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                return self._alias(event)
            if self.depth > MAX_DEPTH:
                raise _Limit(f"the data is nested more than {MAX_DEPTH} levels deep", event.start_mark,
                             f"write lists and mappings at most {MAX_DEPTH} levels inside each other")
            self.count, self.reach = self.count + 1, max(self.reach, self.depth)
            if event.anchor is None:
                return super().compose_node(parent, index)
            return self._anchored(event.anchor, parent, index)
        finally:
            self.depth -= 1

    def _anchored(self, anchor: str, parent: yaml.Node | None, index: Any) -> yaml.Node:
        count, outer = self.count - 1, self.reach
        node = super().compose_node(parent, index)
        self.expands[anchor] = (self.count - count, self.reach - self.depth + 1)
        self.reach = max(outer, self.reach)
        return node

    def _alias(self, event: yaml.AliasEvent) -> yaml.Node:
        if event.anchor in self.anchors and event.anchor not in self.expands:
            raise _Limit(f"the alias *{event.anchor} is used inside the value it names", event.start_mark,
                         f"an alias repeats a value written before it: move *{event.anchor} out of &{event.anchor}")
        values, levels = self.expands.get(event.anchor, (1, 1))
        self.count, self.repeated = self.count + values, self.repeated + values
        self.reach = max(self.reach, self.depth + levels - 1)
        if self.repeated > MAX_REPEATED:
            raise _Limit(f"the aliases (*{event.anchor} and others) repeat more than {MAX_REPEATED} values",
                         event.start_mark, "write the values out instead of repeating them with aliases")
        if self.reach > MAX_DEPTH:
            raise _Limit(f"with the alias *{event.anchor}, the data is nested more than {MAX_DEPTH} levels deep",
                         event.start_mark, f"write lists and mappings at most {MAX_DEPTH} levels inside each other")
        return super().compose_node(None, None)


@dataclass(frozen=True)
class Located:
    """YAML data with the 1-based (line, col) of each key and each value, by data path."""

    data: Any
    keys: Mapping[Path_, tuple[int, int]]
    values: Mapping[Path_, tuple[int, int]]

    def where(self, loc: Path_, key: bool = False) -> tuple[int, int]:
        """Return the position of the deepest known part of `loc` (the key itself if `key`)."""
        table = self.keys if key else self.values
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


class _Builder:
    """Turns a composed YAML node tree into plain data plus positions."""

    def __init__(self, path: str, line_offset: int):
        self.path, self.offset = path, line_offset
        self.keys: dict = {}
        self.values: dict = {}
        self.problems: list[Diagnostic] = []

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, at: Path_ = ()) -> Any:
        self.values[at] = self.pos(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, at: Path_) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            line, col = self.pos(key_node)
            if not isinstance(key, str):
                self.problems.append(error(self.path, line, col, "a key must be a word",
                                           "write keys as plain words, such as title:"))
                continue
            if key in out:
                first = self.keys[at + (key,)][0]
                self.problems.append(error(self.path, line, col, f'the key "{key}" is written twice',
                                           f"keep one of the two; the first is on line {first}"))
                continue
            self.keys[at + (key,)] = (line, col)
            out[key] = self.build(value_node, at + (key,))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> str | None:
        # Every value but null stays the text as written, for the schema to read: money must stay exact
        # (YAML would read 1_000 and 0x10 as numbers, 012 as 10), a title may be "No" or "1.0", and a tag
        # such as !!binary must not smuggle bytes past the control-character check below.
        if node.tag == _NULL:
            return None
        found = CONTROL.search(node.value)
        if found is None:
            return node.value
        # Escapes such as "\e" in double quotes make characters HTML does not allow.
        self.problems.append(control_warning(self.path, *self.pos(node), found.group()))
        return CONTROL.sub(" ", node.value)


def _shallow(text: str) -> bool:
    """Return True if `text` has no aliases and cannot nest MAX_DEPTH deep: each level needs an opening bracket,
    one more space of indentation, or a "- " or "? " on its line."""
    if "&" in text or "*" in text:
        return False
    lines = text.split("\n")
    deepest = max(len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count("? ") for line in lines)
    return deepest + text.count("[") + text.count("{") < MAX_DEPTH


def _compose(text: str) -> yaml.Node | None:
    """Return the node tree of `text`: through libyaml where it is safe to, otherwise the counting loader."""
    if _C_LOADER and _shallow(text):
        try:
            return yaml.compose(text, Loader=_C_LOADER)
        except yaml.YAMLError:
            pass  # the loader below finds the same mistake and names it in this project's words
    return yaml.compose(text, Loader=_Loader)


# libyaml reads YAML about twenty times faster than PyYAML's Python reader; not every installation has it.
_C_LOADER = getattr(yaml, "CSafeLoader", None)


def load(text: str, path: str, line_offset: int = 0) -> tuple[Located | None, list[Diagnostic]]:
    """Parse YAML `text` (whose first line is line `line_offset + 1` of `path`) into located data."""
    text, pasted = tidy(text, path, line_offset)
    try:
        node = _compose(text)
    except _Limit as exc:
        return None, pasted + [error(path, exc.problem_mark.line + 1 + line_offset, exc.problem_mark.column + 1,
                                     exc.problem, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        return None, pasted + [_syntax_error(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, pasted + [error(path, line_offset + 1, 1, f"this YAML cannot be read: {exc}")]
    if node is None:
        return Located({}, {}, {(): (line_offset + 1, 1)}), pasted
    builder = _Builder(path, line_offset)
    data = builder.build(node)
    return Located(data, builder.keys, builder.values), pasted + builder.problems


_ALIAS_HINT = "*name repeats a value marked &name before it: put a text that starts with * in double quotes"
_SYNTAX_HINTS = (
    ("expected ',' or ']'", "a list written in [brackets] must end with ]"),
    ("expected ',' or '}'", "a mapping written in {braces} must end with }"),
    ("mapping values are not allowed", 'put a value that contains ": " in double quotes'),
    ("'\\t'", "indent with spaces, not tabs"),
    ("found unexpected end of stream", "a quoted value must end with the same quote mark"),
    ("found undefined alias", _ALIAS_HINT),
    ("while scanning an alias", _ALIAS_HINT),
)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1 + offset, mark.column + 1) if mark else (offset + 1, 1)
    problem = " ".join(p for p in (exc.context, exc.problem) if p)
    hint = next((h for key, h in _SYNTAX_HINTS if key in problem),
                'check the indentation, and put a value that starts with a symbol or quote in double quotes')
    return error(path, line, col, f"this YAML cannot be read: {problem}", hint)
