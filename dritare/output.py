"""Writing the site: everything into a staging folder beside the output, then swapped in at once, by one build
at a time (a lock file beside the output folder)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import posixpath
import shutil
import stat
import sys
import time
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping, Sequence

from .errors import Diagnostic, error
from .produce import OutputFile

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


# What a build left in a folder, by path: the key of the file's content and its stat() as (size,
# modification time in ns, inode, mode), as the build that wrote it saw it.
Written = Mapping[str, tuple[str, Sequence[int]]]


def write(files: list[OutputFile], out_dir: Path, wait: float = LOCK_WAIT_SECONDS,
          previous: Written | None = None, spare: Written | None = None) -> Written:
    """Write `files` as the whole new content of `out_dir` (or of the folder it links to), replacing the old
    site in one step, while no other build writes there; return what it wrote.

    The new site is made in a staging folder: the spare one (the site before the previous one, kept beside
    the output and described by `spare`) where there is one, so that only what changed is written. A file
    is kept there if its content key and stat are as recorded, linked from the live site if that has it (as
    `previous` records), and written otherwise; files of no page any more are removed. The live site is never
    changed in place, so a build that fails or is killed leaves it as it was."""
    out = target(out_dir)
    try:
        _make_folders(out.parent)
        with locked(out, wait):
            _recover(out)
            _remove_leftovers(out)
            staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
            _take_spare(out, staging)
            try:
                written = _update_tree(files, staging, out, previous or {}, spare or {})
                _swap(staging, out)
                _keep_spare(staging, out)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise _failed(out_dir, exc) from exc
    return written


def _take_spare(out: Path, staging: Path) -> None:
    spare = _beside(out, "spare")
    if os.path.isdir(spare) and not os.path.islink(spare):
        os.rename(spare, staging)


def _keep_spare(staging: Path, out: Path) -> None:
    """Keep the site that was live until now (left at `staging` by the swap) for the next build to update."""
    if os.path.isdir(staging) and not os.path.islink(staging):
        os.rename(staging, _beside(out, "spare"))


def stat_of(path: Path | str) -> tuple[int, ...] | None:
    """Return what says a written file is unchanged: (size, modification time in ns, inode, mode), or None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)


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


def _update_tree(files: list[OutputFile], staging: Path, live: Path, previous: Written, spare: Written) -> dict:
    """Make `staging` hold exactly `files`, reusing what it or the live site already has; return what it holds."""
    root, live_root = str(staging), str(live)
    wanted = {f.path: f for f in files}
    _prune(root, wanted)
    if not os.path.isdir(root):
        _make_folder(staging)
    made, written = {""}, {}
    for path in sorted(wanted):
        f = wanted[path]
        folder = posixpath.dirname(path)
        if folder not in made:
            _make_folders_under(root, folder, made)
        here, content_key = os.path.join(root, path), f.content_key
        if _is(spare.get(path), content_key, here):
            pass
        elif _is(previous.get(path), content_key, os.path.join(live_root, path)):
            _replace_with_link(os.path.join(live_root, path), here)
        else:
            _write_file(here, f.data)
        written[path] = (content_key, stat_of(here))
    return written


def _is(record: tuple[str, Sequence[int]] | None, content_key: str, path: str) -> bool:
    """Return True if the file at `path` is the one `record` describes, with this content key."""
    return bool(record) and record[0] == content_key and stat_of(path) == tuple(record[1])


def _prune(root: str, wanted: Mapping[str, OutputFile]) -> None:
    """Remove from the folder `root` every file that is not wanted, and the folders left empty."""
    for folder, dirs, names in os.walk(root, topdown=False):
        rel = os.path.relpath(folder, root)
        for name in names:
            if posixpath.normpath(posixpath.join(rel, name)) not in wanted:
                os.unlink(os.path.join(folder, name))
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)


def _make_folders_under(root: str, folder: str, made: set[str]) -> None:
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        rel = "/".join(parts[:depth])
        if rel not in made:
            path = os.path.join(root, rel)
            if not os.path.isdir(path) or os.path.islink(path):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                _make_folder(path)
            made.add(rel)


def _replace_with_link(source: str, path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    os.link(source, path)


def _write_file(path: str, data: bytes) -> None:
    # A new file, never one rewritten in place: the spare folder's files may be links to the live site's.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE), "wb") as out:
        os.fchmod(out.fileno(), FILE_MODE)
        out.write(data)


def _make_folder(folder: Path) -> None:
    os.mkdir(folder)
    # The umask narrows the mode given to mkdir and open; the web server must be able to read the site.
    os.chmod(folder, FOLDER_MODE)


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`; the old site, if any, is left at `staging` (to be kept as the spare)."""
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
    os.rename(old, staging)


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
