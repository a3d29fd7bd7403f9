"""Reading the site's files safely: one walk of a folder and one read of a file, each reporting what it cannot
use (unreadable, a link out of the site, a loop, a pipe, too big); text is UTF-8, LF line endings, NFC."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Callable

from .errors import Diagnostic, error, warning

# Invisible characters that Word and e-mail leave in pasted text, and that HTML and XML do not allow:
# C0 and C1 controls, and the Unicode noncharacters (U+FFFE makes a feed ill-formed XML).
_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufdd0-\\ufdef\\ufffe\\uffff"
                     + _NONCHARACTERS + "]")

# A long article is some 50 kB and 2 MB is a book; markdown and sanitising take about 2.5 s per megabyte, so a
# 50 MB paste would stall every build for minutes.
MAX_TEXT_BYTES = 2_000_000

# Files an editor keeps beside the one being edited; Emacs' lock file (.#name) is a link that leads nowhere.
EDITOR_LEFTOVERS = re.compile(r"^\.#|^#.*#$|~$|^\..*\.sw[a-p]$")

_NOT_FILES = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
              stat.S_IFBLK: "a device"}
_PERMISSIONS = "let the user who builds the site read it: check its permissions and its owner"


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
    data, problems = read_bytes(root, path, MAX_TEXT_BYTES)
    return (None, problems) if data is None else decode(relative(root, path), data)


def relative(root: Path, path: Path) -> str:
    """Return `path` relative to `root`, with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def present(path: Path) -> bool:
    """Return whether anything, even a broken link, is at `path` (True if it cannot be told: reading says why)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def walk(root: Path, folder: Path, ignore: Callable[[str], object] = lambda name: False
         ) -> tuple[list[Path], list[Diagnostic]]:
    """Return every ordinary file under `folder` in name order, skipping names `ignore` accepts, and an error
    for every entry that cannot be read or used (see `inspect`)."""
    if not present(folder):
        return [], []
    kind = inspect(root, folder)
    if kind == "folder":
        return _walk(root, folder, ignore)
    problem = kind if isinstance(kind, Diagnostic) else error(
        relative(root, folder), 0, 0, "this should be a folder, but it is a file", "move the file into a folder")
    return [], [problem]


def _walk(root: Path, folder: Path, ignore: Callable[[str], object]) -> tuple[list[Path], list[Diagnostic]]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if not ignore(entry.name))
    except OSError as exc:
        return [], [unreadable(relative(root, folder), exc, "folder")]
    files, problems = [], []
    for path in (folder / name for name in names):
        kind = inspect(root, path)
        if kind == "folder":
            more_files, more_problems = _walk(root, path, ignore)
            files += more_files
            problems += more_problems
        elif kind == "file":
            files.append(path)
        else:
            problems.append(kind)
    return files, problems


def inspect(root: Path, path: Path) -> str | Diagnostic:
    """Return "file" or "folder" for what is at `path`, found without opening it, or the error saying why it
    may not be read: unreadable, a link broken, looping, out of the site or to a folder, a pipe or a device."""
    rel = relative(root, path)
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return unreadable(rel, exc)
    if not stat.S_ISLNK(mode):
        return _kind(rel, mode)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return _broken_link(rel, path, exc)
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return error(rel, 0, 0, "this link points outside the site folder", "copy the file into the site instead")
    if stat.S_ISDIR(mode):
        return error(rel, 0, 0, "this link leads to a folder; links to folders are not followed",
                     "move or copy the folder here instead, or link its files one by one")
    return _kind(rel, mode)


def _kind(rel: str, mode: int) -> str | Diagnostic:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    return error(rel, 0, 0, f"this is {_NOT_FILES.get(stat.S_IFMT(mode), 'not an ordinary file')}, not a file",
                 "remove it: only ordinary files can be part of the site")


def _broken_link(rel: str, path: Path, exc: OSError) -> Diagnostic:
    if exc.errno == errno.ELOOP:
        return error(rel, 0, 0, "this link leads round in a loop of links", "point it at the file itself, or remove it")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return error(rel, 0, 0, f"this link leads to nothing: {os.readlink(path)} does not exist",
                     "point it at a file that exists, or remove it")
    return unreadable(rel, exc)


def unreadable(rel: str, exc: OSError, what: str = "file") -> Diagnostic:
    """Return the error that the file or folder `rel` cannot be read, with the system's reason."""
    return error(rel, 0, 0, f"this {what} cannot be read: {exc.strerror or exc}", _PERMISSIONS)


def read_bytes(root: Path, path: Path, limit: int | None = None) -> tuple[bytes | None, list[Diagnostic]]:
    """Return the bytes of the ordinary file at `path`, or the error saying why not (see `inspect`, or more
    than `limit` bytes); a pipe or device is never opened, since opening one can wait forever."""
    rel = relative(root, path)
    kind = inspect(root, path)
    if kind != "file":
        return None, [_not_a_file(rel, kind)]
    try:
        # O_NONBLOCK: should the file be swapped for a pipe after `inspect`, opening it still returns at once.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None, [_not_a_file(rel, _kind(rel, info.st_mode))]
            data = file.read() if limit is None else file.read(limit + 1)
    except OSError as exc:
        return None, [unreadable(rel, exc)]
    if limit is not None and len(data) > limit:
        return None, [too_big(rel, max(info.st_size, len(data)), limit)]
    return data, []


def _not_a_file(rel: str, kind: str | Diagnostic) -> Diagnostic:
    return kind if isinstance(kind, Diagnostic) else error(rel, 0, 0, "this is a folder, not a file",
                                                           "put the file here in place of the folder")


def too_big(rel: str, size: int, limit: int) -> Diagnostic:
    """Return the error that the file `rel` of `size` bytes is over the `limit` for source files."""
    return error(rel, 0, 0, f"this file is {size / 1e6:.1f} MB; a source file may be at most {limit / 1e6:g} MB",
                 "split it into several articles; large documents such as PDFs belong in static/")
