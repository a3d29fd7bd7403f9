"""Reading source files as text: UTF-8 (with or without BOM), LF line endings, NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .errors import Diagnostic, error


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of `data`, or an error naming the line of the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(path, line, col, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                            'save it again as "UTF-8" (in Notepad: Save as, Encoding: UTF-8)')]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), []


def read(root: Path, path: Path) -> tuple[str | None, list[Diagnostic]]:
    """Return the normalised text of the file at `path`, reported relative to `root`."""
    return decode(relative(root, path), path.read_bytes())


def relative(root: Path, path: Path) -> str:
    """Return `path` relative to `root`, with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
