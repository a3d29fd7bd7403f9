"""YAML to plain data, remembering where every key and value stands in the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import yaml

from .errors import Diagnostic, error
from .sources import CONTROL, control_warning

Path_ = tuple  # a location in the data: keys and list indices

_RAW_TAGS = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


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
        self._scalars = yaml.SafeLoader("")

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

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        # Floats and timestamps stay text: money must stay exact and dates are checked by the schema.
        if node.tag in _RAW_TAGS:
            return node.value
        try:
            value = self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            value = node.value
        if isinstance(value, str) and CONTROL.search(value):
            # Escapes such as "\e" in double quotes make characters HTML does not allow.
            self.problems.append(control_warning(self.path, *self.pos(node), CONTROL.search(value).group()))
            value = CONTROL.sub(" ", value)
        return value


def load(text: str, path: str, line_offset: int = 0) -> tuple[Located | None, list[Diagnostic]]:
    """Parse YAML `text` (whose first line is line `line_offset + 1` of `path`) into located data."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(path, line_offset + 1, 1, f"this YAML cannot be read: {exc}")]
    if node is None:
        return Located({}, {}, {(): (line_offset + 1, 1)}), []
    builder = _Builder(path, line_offset)
    data = builder.build(node)
    return Located(data, builder.keys, builder.values), builder.problems


_SYNTAX_HINTS = (
    ("expected ',' or ']'", "a list written in [brackets] must end with ]"),
    ("expected ',' or '}'", "a mapping written in {braces} must end with }"),
    ("mapping values are not allowed", 'put a value that contains ": " in double quotes'),
    ("'\\t'", "indent with spaces, not tabs"),
    ("found unexpected end of stream", "a quoted value must end with the same quote mark"),
)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1 + offset, mark.column + 1) if mark else (offset + 1, 1)
    problem = " ".join(p for p in (exc.context, exc.problem) if p)
    hint = next((h for key, h in _SYNTAX_HINTS if key in problem),
                'check the indentation, and put a value that starts with a symbol or quote in double quotes')
    return error(path, line, col, f"this YAML cannot be read: {problem}", hint)
