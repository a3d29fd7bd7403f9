"""What a build read and wrote, by file size and time, so that a rebuild with nothing changed stops at once.

This module imports nothing heavy (no YAML, Markdown, Jinja, Babel or pydantic): deciding that nothing changed
costs a walk of the site's folders and a look at the output, not the start of a build."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

INPUTS = ("site_config.yaml", "content", "templates", "locales", "static")
STAMP_FILE = "last-build.json"
LIBRARIES = ("jinja2", "markdown", "pyyaml", "babel", "pydantic", "nh3", "markupsafe", "lxml")
_PACKAGE = Path(__file__).resolve().parent


def request(site_root: Path, out_dir: Path | None, build_date: dt.date | None, strict: bool,
            drafts: bool = False, base_url: str | None = None) -> dict[str, Any]:
    """Return what a build is asked to do, including the day it is built as of when nothing fixes it (so that
    a scheduled text is published by the first build on its day)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = None if build_date or epoch else dt.datetime.now(dt.timezone.utc).date().isoformat()
    return {"site": str(Path(site_root).absolute()), "out": str(Path(out_dir).absolute()) if out_dir else None,
            "build_date": build_date.isoformat() if build_date else None, "epoch": epoch, "today": today,
            "strict": strict, "drafts": drafts, "base_url": base_url}


def generator_version() -> str:
    """Return a fingerprint of the generator's own code: a cache or stamp from other code is not trusted."""
    digest = hashlib.sha256(sys.version.encode())
    # What the libraries make of the same input can change with their versions (Markdown, CLDR data...);
    # their installed metadata folders name them (importlib.metadata would take longer than the rest).
    digest.update(" ".join(_installed(LIBRARIES)).encode())
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _installed(names: tuple[str, ...]) -> list[str]:
    """Return the metadata folders (name-version.dist-info) of the installed distributions `names`."""
    found = []
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        found += [e for e in entries if e.endswith(".dist-info") and e.split("-")[0].lower() in names]
    return sorted(found)


def _entry(path: str, changed: bool = False) -> list[Any]:
    try:
        st = os.stat(path)
    except OSError as exc:
        return ["unreadable", exc.errno]
    # The change time (ctime) moves with every write, even one that puts the size and modification time back.
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode] + ([st.st_ctime_ns] if changed else [])


def inputs(site_root: Path) -> list[list[Any]]:
    """Return every file and folder the build may read under `site_root`, with its size, time and inode."""
    found = []
    for name in INPUTS:
        top = os.path.join(site_root, name)
        found.append([name, *_entry(top, True)])
        for folder, dirs, files in os.walk(top, onerror=lambda exc: found.append(["?", str(exc)])):
            dirs.sort()
            for entry in sorted(files) + dirs:
                path = os.path.join(folder, entry)
                found.append([os.path.relpath(path, site_root), *_entry(path, True)])
    return found


def outputs(out_dir: Path, paths: list[str]) -> list[list[Any]]:
    """Return the size, time and inode of each output file, as they are now."""
    return [[path, *_entry(os.path.join(out_dir, path))] for path in paths]


def read_stamp(cache_dir: Path | None) -> dict[str, Any] | None:
    """Return what the last successful build recorded, or None if there is nothing readable."""
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / STAMP_FILE, encoding="utf-8") as fp:
            stamp = json.load(fp)
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_stamp(cache_dir: Path, stamp: dict[str, Any]) -> None:
    """Record a successful build, replacing the previous record in one step."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / f".{STAMP_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")
    os.replace(temporary, cache_dir / STAMP_FILE)


def unchanged(stamp: dict[str, Any] | None, site_root: Path, request: dict[str, Any]) -> bool:
    """Return True if the last build was asked the same, read the same files and its output is as it left it."""
    if not stamp or stamp.get("request") != request or stamp.get("version") != generator_version():
        return False
    if stamp.get("inputs") != inputs(site_root):
        return False
    out_dir = Path(stamp.get("out_dir", ""))
    written = stamp.get("outputs") or []
    paths = [entry[0] for entry in written]
    folders = {"/".join(path.split("/")[:depth]) + "/" for path in paths for depth in range(1, path.count("/") + 1)}
    return bool(written) and entries_in(out_dir) == sorted([*paths, *folders]) and outputs(out_dir, paths) == written


def entries_in(folder: Path) -> list[str]:
    """Return every file and folder (ending in "/") under `folder`, relative to it, sorted: anything added
    by hand shows."""
    found = []
    for top, dirs, names in os.walk(folder):
        rel = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + name for name in names] + [prefix + name + "/" for name in dirs]
    return sorted(found)
