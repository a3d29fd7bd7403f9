"""What Word and web pages paste into the sources, that looks right in an editor but is not read as meant:
special spaces and typographic quotes in YAML, and bullets and numbers that Markdown does not see as a list."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import Diagnostic, warning

_FENCE = re.compile(r"[ \t]*(?:```|~~~)")


class Pasted(NamedTuple):
    """A warning about a Markdown text: its line (from 0), message and fix."""

    line: int
    message: str
    hint: str


# --- YAML --------------------------------------------------------------------------------------------------------

# Spaces that look like a space but are not one to YAML: after "key:" or in the indentation they break the file
# (PyYAML then reports "could not find expected ':'" on the line after). Inside a text they are kept.
_ODD_SPACES = {**{chr(c): "a typographic space" for c in range(0x2000, 0x200B)},
               "\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
               "\u2007": "a figure space", "\u3000": "an ideographic (wide) space",
               "\u1680": "an Ogham space", "\u205f": "a mathematical space"}
# Invisible everywhere, and never part of a Latin or Cyrillic text: taken out wherever they are.
_ZERO_WIDTH = {"\u200b": "a zero-width space", "\u2060": "a word joiner (an invisible character)",
               "\ufeff": "a zero-width no-break space (an invisible character)"}
_ODD = re.compile("[" + "".join(_ODD_SPACES) + "".join(_ZERO_WIDTH) + "]+")
_CURLY = "“”„‟‘’‚‛«»‹›"
# A whole value in typographic quote marks: after "key:" or a list's "-", and nothing after the closing mark.
_CURLY_VALUE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)*(?:(?P<key>[A-Za-z_][\w-]*):[ \t]+)?)"
                          rf"(?P<open>[{_CURLY}])(?P<inner>[^{_CURLY}\n]+)(?P<close>[{_CURLY}])[ \t]*(?:#.*)?$")


def _space_name(run: str) -> str:
    char = run[0]
    name = _ODD_SPACES.get(char) or _ZERO_WIDTH[char]
    return f"{name} (U+{ord(char):04X}, pasted from Word?)"


def _where(before: str, after: str) -> str | None:
    """Return where an odd space stands between `before` and `after` on its line, if YAML reads it there as
    part of the structure (indentation, after a key or a list's "-", around a comma or a bracket); None if it
    stands inside a text."""
    left = _ODD.sub("", before).rstrip(" \t")
    right = _ODD.sub("", after).lstrip(" \t")
    if left.count('"') % 2:
        return None  # inside a text in double quotes, where YAML keeps it as it is
    if not left:
        return "at the start of the line"
    if not right or right.startswith("#"):
        return "at the end of the line"
    if left.endswith(":"):
        return f'after "{left.lstrip(" -")}"'
    if left.lstrip(" ") in ("-",) or left.endswith(" -"):
        return 'after the "-" of a list item'
    if left.endswith((",", "[", "{")):
        return f'after "{left[-1]}"'
    if right.startswith((":", ",", "]", "}")):
        return f'before "{right[0]}"'
    return None


def tidy(text: str, path: str, line_offset: int = 0) -> tuple[str, list[Diagnostic]]:
    """Return `text` with the spaces pasted from Word that would break its YAML read as spaces, invisible
    zero-width characters taken out, and a whole value in typographic quotes (“…”) read as quoted; with a
    warning at the line and column of each."""
    if not _ODD.search(text) and not any(mark in text for mark in _CURLY):
        return text, []
    lines, problems = text.split("\n"), []
    for index, line in enumerate(lines):
        number = index + 1 + line_offset
        if _ODD.search(line):
            line = _spaces(line, path, number, problems)
        found = _CURLY_VALUE.match(line)
        if found and (found.group("key") or "-" in found.group("lead")):
            line = _unquote(found, path, number, problems)
        lines[index] = line
    return "\n".join(lines), problems


def _spaces(line: str, path: str, number: int, problems: list[Diagnostic]) -> str:
    out, last = [], 0
    for run in _ODD.finditer(line):
        where = _where(line[:run.start()], line[run.end():])
        zero_width = run.group()[0] in _ZERO_WIDTH
        out.append(line[last:run.start()])
        last = run.end()
        if where is None and not zero_width:
            out.append(run.group())  # inside a text, such as "535 295 €": kept as it is
            continue
        out.append("".join("" if char in _ZERO_WIDTH else " " for char in run.group()))
        done = "was taken out" if zero_width else "was read as a normal space"
        hint = "delete it (it is invisible: delete the characters around it and type them again)" if zero_width \
            else "replace it with a normal space"
        problems.append(warning(path, number, run.start() + 1,
                                f"{_space_name(run.group())} {where or 'inside the text'} {done}", hint))
    return "".join(out) + line[last:]


def _unquote(found: re.Match, path: str, number: int, problems: list[Diagnostic]) -> str:
    lead, inner, marks = found.group("lead"), found.group("inner"), found.group("open") + "…" + found.group("close")
    what = f'the value of "{found.group("key")}"' if found.group("key") else "this list item"
    shown = inner if len(inner) <= 40 else inner[:40] + "…"
    problems.append(warning(path, number, len(lead) + 1,
                            f"{what} is in typographic quote marks {marks} (from Word?): they were read as straight "
                            "quotes, and are not published",
                            f'write straight quotes: "{shown}"; to publish the marks, put the whole value in straight '
                            f'quotes: "{found.group("open")}{shown}{found.group("close")}"'))
    if '"' not in inner and "\\" not in inner:
        quoted = f'"{inner}"'  # as long as the original: the columns of later messages stay right
    else:
        quoted = "'" + inner.replace("'", "''") + "'"
    return lead + quoted + found.string[found.end("close"):]


# --- Markdown ----------------------------------------------------------------------------------------------------

# Lists pasted from Word keep its bullets ("•<tab>", "o<tab>", "·", "–") or its numbers ("1)"), which Markdown does
# not read as a list: the lines run together into one paragraph. So does a Markdown list with no blank line
# before it.
_PASTED_ITEM = re.compile("^[ ]{0,3}(?P<mark>[•·‣◦▪▫●○■□►▶➢➤✓✔❖\uf0a7\uf0b7\uf0d8\uf0fc–—]|o(?=\t)|[0-9]{1,3}\\)|[a-z]\\))"
                          "[ \t\u00a0]+\\S")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|[0-9]{1,9}\.)[ \t]+\S")
_NOT_A_PARAGRAPH = re.compile(r"^(?:[ \t]|[|<#>]|[-*+][ \t]|[0-9]{1,9}\.[ \t]|$)")


def lists(text: str) -> list[Pasted]:
    """Return a warning at the first line of each list that Markdown will not see as one: bullets or numbers
    pasted from Word, and a list with no blank line between it and the paragraph before."""
    problems: list[Pasted] = []
    lines = text.split("\n")
    fenced, run, listed = False, None, False  # run: (first line, mark, lines) of pasted items being read
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        found = None if fenced else _PASTED_ITEM.match(line)
        if found:
            run = run if run else (number, found.group("mark"), [])
            run[2].append(number)
            continue
        if run and line.strip():
            problems.append(_pasted_run(*run))
            run = None
        item = not fenced and _LIST_ITEM.match(line) is not None
        # Within a list, a line of text is part of the item above it, and the next item is still in the list.
        if item and not listed and number and not _NOT_A_PARAGRAPH.match(lines[number - 1]) \
                and not _PASTED_ITEM.match(lines[number - 1]):
            problems.append(Pasted(number, "this list follows a line of text with no blank line between them: "
                                   "Markdown runs the list into that paragraph", "leave a blank line before the list"))
        listed = (listed or item) and bool(line.strip())
    if run:
        problems.append(_pasted_run(*run))
    return problems


def _pasted_run(first: int, mark: str, items: list[int]) -> Pasted:
    numbered = mark.endswith(")")
    what = "a numbered list" if numbered else "a list"
    start = f'"{mark}" (' if mark != "o" else '"o" and a tab ('
    fix = ('start each item with a number, a dot and a space: "1. ", "2. "' if numbered else
           'start each item with "- " (a hyphen and a space)')
    where = "this line starts" if len(items) == 1 else f"this line and the {len(items) - 1} after it start"
    return Pasted(first, f"{where} with {start}{what} pasted from Word?): Markdown does not see a list, and runs "
                  "the items into one paragraph", f"{fix}, and leave a blank line before the list")
