"""Writing the site: everything into a staging folder beside the output, then swapped in at once."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import Diagnostic, error
from .render import OutputFile

RENAME_EXCHANGE = 2
_SIGNATURE = ("index.html", "sitemap.xml")


class OutputError(Exception):
    """The output folder cannot be written; the previous site is left as it was."""


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


def check_target(site_root: Path, out_dir: Path) -> str | None:
    """Return why `out_dir` must not be replaced by a build, or None if it may."""
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        return f"{out_dir} holds the site's sources; choose another output folder"
    if any(out.is_relative_to(root / name) for name in ("content", "templates", "locales", "static")):
        return f"{out_dir} is inside the site's sources; choose another output folder"
    if out.is_dir() and any(out.iterdir()) and not all((out / n).exists() for n in _SIGNATURE):
        return f"{out_dir} is not empty and is not a built site; it would be replaced, so choose another folder"
    return None


def write(files: list[OutputFile], out_dir: Path) -> None:
    """Write `files` as the whole new content of `out_dir`, replacing the old site in one step."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    try:
        for f in sorted(files, key=lambda f: f.path):
            target = staging / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
        _swap(staging, out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir}: {exc.strerror or exc}; the previous site is unchanged") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_leftovers(out_dir: Path) -> None:
    for old in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(old, ignore_errors=True)


def _swap(staging: Path, out_dir: Path) -> None:
    """Put `staging` in place of `out_dir`; afterwards `staging` holds the old site (or nothing)."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return
    old = staging.with_name(staging.name + ".old")
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
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
