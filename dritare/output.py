"""Writing the site: everything into a staging folder beside the output, then swapped in at once, by one build
at a time (a lock file beside the output folder)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
import sys
import time
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import Diagnostic, error
from .render import OutputFile

RENAME_EXCHANGE = 2
# Writing takes seconds, so a build that meets another one writing waits for it; the bound keeps a stuck
# build (stopped in a terminal, say) from hanging every later one.
LOCK_WAIT_SECONDS = 30
# Whatever the umask of the person building: the web server must be able to read the site.
FILE_MODE, FOLDER_MODE = 0o644, 0o755
_SIGNATURE = ("index.html", "sitemap.xml")
_HINTS = {errno.ENOSPC: "free some disk space, then build again",
          errno.EDQUOT: "free some disk space, then build again",
          errno.EROFS: "this disk is read-only: choose an output folder on one that can be written (--out DIR)",
          errno.EACCES: "let the user who builds the site write there, or choose another output folder (--out DIR)",
          errno.EPERM: "let the user who builds the site write there, or choose another output folder (--out DIR)"}


class OutputError(Exception):
    """The output folder cannot be written; the previous site is left as it was."""

    def __init__(self, message: str, hint: str = "free some disk space or check the folder's permissions"):
        super().__init__(message)
        self.hint = hint


def check_files(files: list[OutputFile]) -> list[Diagnostic]:
    """Return an error for every path written twice or pointing outside the output folder."""
    seen, problems = set(), []
    for f in files:
        pure = PurePosixPath(f.path)
        if pure.is_absolute() or ".." in pure.parts or not f.path:
            problems.append(error(f.path, 0, 0, "this output path leaves the output folder"))
        elif f.path in seen:
            problems.append(error(f.path, 0, 0, "two pages write this same file", "rename one of them"))
        seen.add(f.path)
    return problems


def target(out_dir: Path) -> Path:
    """Return the folder a build of `out_dir` writes: `out_dir`, or the folder it is a link to."""
    return Path(os.path.realpath(out_dir))


def check_target(site_root: Path, out_dir: Path) -> str | None:
    """Return why `out_dir` must not be replaced by a build, or None if it may."""
    out, root = target(out_dir), site_root.resolve()
    if out == root or root.is_relative_to(out):
        return f"{out_dir} holds the site's sources; choose another output folder"
    if any(out.is_relative_to(root / name) for name in ("content", "templates", "locales", "static")):
        return f"{out_dir} is inside the site's sources; choose another output folder"
    named = f"{out_dir} (a link to {out})" if os.path.islink(out_dir) else str(out_dir)
    try:
        if not stat.S_ISDIR(os.stat(out).st_mode):
            return f"{named} is a file, not a folder; a build would replace it, so choose another output folder"
        names = os.listdir(out)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{named} cannot be used: {exc.strerror or exc}; choose another output folder"
    if names and not all((out / n).exists() for n in _SIGNATURE):
        return f"{named} is not empty and is not a built site; it would be replaced, so choose another folder"
    return None


def write(files: list[OutputFile], out_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> None:
    """Write `files` as the whole new content of `out_dir` (or of the folder it links to), replacing the old
    site in one step, while no other build writes there."""
    out = target(out_dir)
    try:
        _make_folders(out.parent)
        with locked(out, wait):
            _recover(out)
            _remove_leftovers(out)
            staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
            try:
                _write_tree(files, staging)
                _swap(staging, out)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise _failed(out_dir, exc) from exc


def recover(out_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> None:
    """Put the previous site back where a build was killed half-way through swapping it in."""
    out = target(out_dir)
    if not os.path.lexists(_beside(out, "old")):
        return
    try:
        with locked(out, wait):
            _recover(out)
    except OSError as exc:
        raise _failed(out_dir, exc) from exc


def _failed(out_dir: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {out_dir}: {exc.strerror or exc}; the previous site is unchanged",
                       *([_HINTS[exc.errno]] if exc.errno in _HINTS else []))


def _beside(out: Path, kind: str) -> Path:
    return out.with_name(f".{out.name}.{kind}")


@contextlib.contextmanager
def locked(out_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of `out_dir` (a file beside it, like Hugo's .hugo_build.lock) while the body runs; wait
    up to `wait` seconds for another build that holds it, then raise OutputError."""
    path = _beside(target(out_dir), "lock")
    fd = _acquire(path, out_dir, time.monotonic() + wait, wait)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        # Removed while still held, so that no build can lock a file that is no longer the lock (see _acquire).
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _acquire(path: Path, out_dir: Path, deadline: float, wait: float) -> int:
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise OutputError(f"another build{holder} is still writing {out_dir} after {wait:g} s of waiting",
                                  "let it finish, then build again") from None
            if not told:
                print(f"waiting for another build{holder} to finish writing {out_dir}", file=sys.stderr, flush=True)
                told = True
            time.sleep(0.05)
            continue
        if _same_file(fd, path):
            os.fchmod(fd, FILE_MODE)
            return fd
        # The build that held it removed it on finishing; lock the file now at `path` instead.
        os.close(fd)


def _holder(fd: int) -> str:
    pid = os.pread(fd, 20, 0).decode(errors="replace").strip()
    return f" (process {pid})" if pid.isdigit() else ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (here.st_dev, here.st_ino)


def _recover(out: Path) -> None:
    """Finish a fallback swap that a killed build left half-done: keep whichever site is complete."""
    old = _beside(out, "old")
    if not os.path.lexists(old):
        return
    if os.path.lexists(out):
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(old, out)


def _remove_leftovers(out: Path) -> None:
    # Only called with the lock held: a build that is alive and writing here holds it, so every staging
    # folder found now belongs to a build that died.
    for old in out.parent.glob(f".{out.name}.staging-*"):
        shutil.rmtree(old, ignore_errors=True)


def _make_folders(folder: Path) -> None:
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):
            _make_folder(new)


def _write_tree(files: list[OutputFile], staging: Path) -> None:
    made = {staging}
    _make_folder(staging)
    for f in sorted(files, key=lambda f: f.path):
        for folder in (staging / p for p in reversed(PurePosixPath(f.path).parents[:-1])):
            if folder not in made:
                _make_folder(folder)
                made.add(folder)
        with open(os.open(staging / f.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE),
                  "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            out.write(f.data)


def _make_folder(folder: Path) -> None:
    os.mkdir(folder)
    # The umask narrows the mode given to mkdir and open; the web server must be able to read the site.
    os.chmod(folder, FOLDER_MODE)


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`; the old site, if any, is left at `staging` (to be removed)."""
    if not os.path.lexists(out):
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    # Without an atomic exchange there is a moment with no site at `out`: a build killed then leaves the old
    # site at `.old`, which the next build puts back (`_recover`).
    old = _beside(out, "old")
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders with renameat2 where the system has it; True if it did."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
