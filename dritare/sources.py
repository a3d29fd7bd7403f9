"""Reading source files as text: UTF-8 (with or without BOM), LF line endings, NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import Diagnostic, error, warning

# Invisible characters that Word and e-mail leave in pasted text, and that HTML and XML do not allow:
# C0 and C1 controls, and the Unicode noncharacters (U+FFFE makes a feed ill-formed XML).
_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufdd0-\\ufdef\\ufffe\\uffff"
                     + _NONCHARACTERS + "]")


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of `data`, or an error naming the line of the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(path, line, col, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                            'save it again as "UTF-8" (in Notepad: Save as, Encoding: UTF-8)')]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    first = CONTROL.search(text)
    if first is None:
        return text, []
    line = text.count("\n", 0, first.start()) + 1
    col = first.start() - (text.rfind("\n", 0, first.start()) + 1) + 1
    return CONTROL.sub(" ", text), [control_warning(path, line, col, first.group())]


def control_warning(path: str, line: int, col: int, char: str) -> Diagnostic:
    """Return the warning that an invisible control character was replaced by a space."""
    return warning(path, line, col, f"an invisible control character (U+{ord(char):04X}) was replaced by a space",
                   "retype the text around it if it looks wrong")


def read(root: Path, path: Path) -> tuple[str | None, list[Diagnostic]]:
    """Return the normalised text of the file at `path`, reported relative to `root`."""
    return decode(relative(root, path), path.read_bytes())


def relative(root: Path, path: Path) -> str:
    """Return `path` relative to `root`, with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
