"""Split a Markdown source into its YAML front matter and its body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Diagnostic, error

FENCE = "---"


@dataclass(frozen=True)
class Split:
    """Front matter text (starting at line `meta_line`) and body text (starting at `body_line`)."""

    meta: str
    meta_line: int
    body: str
    body_line: int


def split(path: str, text: str) -> tuple[Split | None, list[Diagnostic]]:
    """Return the front matter and body of `text`, or an error saying how to fix the fences."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, [error(path, 1, 1, "the file does not start with front matter",
                            'begin the file with a line "---", the YAML keys (title:, date:), '
                            'then another line "---" before the text')]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            meta = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return Split(meta, 2, body, index + 2), []
    return None, [error(path, 1, 1, "the front matter is never closed",
                        'add a line "---" after the last key (date:, tags: ...) and before the text')]
