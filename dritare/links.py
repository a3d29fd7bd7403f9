"""Every internal href and src of the site leads to a file of the output: checked from the links each page
recorded when it was rendered (and kept with it in the cache), not by reading the written pages again."""

from __future__ import annotations

import html
import posixpath
import re
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic, error
from .markdown_html import is_source_link

# The pages are written by the templates and the sanitiser, which quote every attribute with " and escape
# < > " inside values: a start tag ends at the first ">", and its attributes are name="value".
_TAG = re.compile(r"<(a|link|img|script|source|iframe|form|area)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s(href|src|action)\s*=\s*"([^"]*)"', re.IGNORECASE)
_LINKING = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
            ("iframe", "src"), ("form", "action"), ("area", "href")}


def targets(page: str) -> list[str]:
    """Return every URL, in order and once each, that the HTML `page` links to or loads."""
    found = []
    for tag in _TAG.finditer(page):
        name = tag.group(1).lower()
        found += [html.unescape(value) for attribute, value in _ATTRIBUTE.findall(tag.group(2))
                  if (name, attribute.lower()) in _LINKING]
    return list(dict.fromkeys(found))


def internal_path(page: str, url: str) -> str | None:
    """Return the output path that `url`, found on output page `page`, points to; None if external."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else posixpath.join("/" + posixpath.dirname(page), parts.path)
    normal = posixpath.normpath(unquote(path))
    return normal.lstrip("/") + ("/" if path.endswith("/") and normal != "/" else "")


def check(recorded: Mapping[str, Iterable[str]], paths: set[str], sources: Mapping[str, str]) -> list[Diagnostic]:
    """Return an error for each internal link of each page (output path -> its links) that leads to no file
    of `paths`, reported at the page's source."""
    problems, absolute = [], {}
    for page, urls in recorded.items():
        for url in sorted(set(urls)):
            # Most links are absolute ("/sq/news/") and on every page: where they lead is worked out once.
            if url.startswith("/") and not url.startswith("//"):
                path = absolute[url] if url in absolute else absolute.setdefault(url, internal_path(page, url))
            else:
                path = internal_path(page, url)
            # A link to a content file that could not be followed was reported, at its line, by the Markdown stage.
            if path is None or _exists(path, paths) or is_source_link(url):
                continue
            problems.append(error(sources.get(page, page), 0, 0,
                                  f"/{page} links to {url}, which is not a page of the site",
                                  "fix or remove the link"))
    return problems


def _exists(path: str, paths: set[str]) -> bool:
    if path in ("", "/"):
        return "index.html" in paths
    stem = path.rstrip("/")
    return path in paths or f"{stem}/index.html" in paths
