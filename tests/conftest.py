"""Shared fixtures: the real site built once, and small sites written inline for edge cases."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dritare import pipeline

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = dt.date(2021, 6, 1)
SITE_PARTS = ("templates", "locales", "static", "site_config.yaml")


def copy_site_skeleton(target: Path) -> Path:
    """Copy the real templates, catalogs, static files and config into `target` (no content)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, target / part)
    (target / "content").mkdir(exist_ok=True)
    return target


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a small site: the real skeleton plus `files` (path -> text, dedented, or raw bytes)."""
    copy_site_skeleton(root)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


def article(title: str = "Titulli", date: str = "2021-02-10", extra: str = "", body: str = "Teksti.") -> str:
    """Return the text of a news article with the given front matter."""
    return f"---\ntitle: {title}\ndate: {date}\nsummary: Përmbledhja.\n{extra}---\n\n{body}\n"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run build.py as an officer would, and return its exit code and output."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd or REPO,
                          capture_output=True, text=True, env=env, timeout=timeout)


def parse_html(path: Path) -> BeautifulSoup:
    """Return the parsed HTML page at `path`."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def site_factory(tmp_path):
    """Return make_site bound to a fresh folder."""
    return lambda files: make_site(tmp_path / "site", files)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """Build the real site of this repository once, as of BUILD_DATE, and return its output folder."""
    out = tmp_path_factory.mktemp("real") / "public"
    pipeline.build(pipeline.Options(site_root=REPO, out_dir=out, build_date=BUILD_DATE))
    return out


@pytest.fixture(scope="session")
def real_pages(real_site) -> dict[str, BeautifulSoup]:
    """Return every HTML page of the real site, parsed, by URL path."""
    pages = {}
    for path in sorted(real_site.rglob("*.html")):
        rel = path.relative_to(real_site).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        pages[url] = parse_html(path)
    return pages
