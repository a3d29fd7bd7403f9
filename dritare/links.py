"""After rendering: every internal href and src in the output leads to a file of the output."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic, error
from .markdown_html import is_source_link
from .render import OutputFile

_LINKING = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
            ("iframe", "src"), ("form", "action"), ("area", "href")}


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in _LINKING and value is not None:
                self.found.append(value)


def targets(html: str) -> list[str]:
    """Return every URL that the page links to or loads."""
    parser = _Targets()
    parser.feed(html)
    parser.close()
    return parser.found


def internal_path(page: str, url: str) -> str | None:
    """Return the output path that `url`, found on output page `page`, points to; None if external."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else posixpath.join("/" + posixpath.dirname(page), parts.path)
    normal = posixpath.normpath(unquote(path))
    return normal.lstrip("/") + ("/" if path.endswith("/") and normal != "/" else "")


def check(files: list[OutputFile], sources: dict[str, str]) -> list[Diagnostic]:
    """Return an error for each internal link of each HTML file that leads to no file of the site."""
    paths = {f.path for f in files}
    problems = []
    for f in files:
        if not f.path.endswith(".html"):
            continue
        for url in sorted(set(targets(f.data.decode("utf-8")))):
            path = internal_path(f.path, url)
            # A link to a content file that could not be followed was reported, at its line, by the Markdown stage.
            if path is None or _exists(path, paths) or is_source_link(url):
                continue
            problems.append(error(sources.get(f.path, f.path), 0, 0,
                                  f"/{f.path} links to {url}, which is not a page of the site",
                                  "fix or remove the link"))
    return problems


def _exists(path: str, paths: set[str]) -> bool:
    if path in ("", "/"):
        return "index.html" in paths
    stem = path.rstrip("/")
    return path in paths or f"{stem}/index.html" in paths
