"""Markdown -> safe HTML: internal links resolved through the site graph, raw HTML sanitised."""

from __future__ import annotations

import html as htmllib
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from html.parser import HTMLParser

import markdown
import nh3

EXTENSIONS = ["extra", "sane_lists"]
TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
        "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "u", "ul"}
ATTRIBUTES = {"*": {"lang", "title", "id"}, "a": {"href", "hreflang", "rel"},
              "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan", "scope"}, "time": {"datetime"}, "abbr": {"title"},
              "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_REL = "noopener noreferrer"
# Python-Markdown's link parser is quadratic in the "[" of one paragraph (its issue #798): cap them.
MAX_BRACKETS = 1000
_TAG = re.compile(r"<(a|img)\s[^>]*>")
_ATTR = re.compile(r'\s(href|src|rel)="([^"]*)"')

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class LinkProblem:
    """A link in the text that could not be followed, or that the reader's browser should not follow."""

    target: str
    message: str
    hint: str
    fatal: bool


def is_source_link(href: str) -> bool:
    """Return True if `href` names a content file (…/x.sq.md, …/p.yaml) rather than a web address."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and parts.path.endswith((".md", ".yaml"))


class _Links(markdown.treeprocessors.Treeprocessor):
    def __init__(self, md, resolve: Resolver, problems: list[LinkProblem]):
        super().__init__(md)
        self.resolve, self.problems = resolve, problems

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if not is_source_link(href):
                continue
            path, _, fragment = href.partition("#")
            url = self.resolve(path)
            if url is None:
                self.problems.append(LinkProblem(href, f'the link "{href}" leads to no content file',
                                                 "check the file name; links name the .md or .yaml file, "
                                                 "relative to this file", True))
                continue
            link.set("href", url + (f"#{fragment}" if fragment else ""))


def render(text: str, resolve: Resolver, site_host: str) -> tuple[str, list[LinkProblem]]:
    """Return `text` as sanitised HTML and the problems found in its links and images."""
    problems = _too_many_brackets(text)
    if problems:
        return "", problems
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    md.treeprocessors.register(_Links(md, resolve, problems), "dritare-links", 1)
    html = md.convert(text)
    problems += _removed(html)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                      strip_comments=True, attribute_filter=_drop_rel)
    return _external(clean, site_host, problems), problems


def _too_many_brackets(text: str) -> list[LinkProblem]:
    """Return an error for each paragraph with so many "[" that rendering it would take minutes."""
    return [LinkProblem(block.strip().split("\n", 1)[0], f'this paragraph has {block.count("[")} "[" characters',
                        f"split it into shorter paragraphs: at most {MAX_BRACKETS} in one", True)
            for block in re.split(r"\n\s*\n", text) if block.count("[") > MAX_BRACKETS]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.removed.append(f"<{tag}>")
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value or "")).scheme.lower()
            if tag in TAGS and (name not in allowed or (name in ("href", "src") and scheme and scheme not in SCHEMES)):
                self.removed.append(f'<{tag} {name}="{value}">' if name in ("href", "src") else f"<{tag} {name}>")


def _removed(html: str) -> list[LinkProblem]:
    """Return a warning naming the HTML that the sanitiser is about to take out of the page."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    found = list(dict.fromkeys(parser.removed))
    if not found:
        return []
    first = found[0].split()[0].rstrip(">")
    return [LinkProblem(first, "this HTML is removed from the page: " + ", ".join(found[:5])
                        + (f" and {len(found) - 5} more" if len(found) > 5 else ""),
                        "write the text in Markdown; scripts, frames, forms, styles and event handlers "
                        "are never published", False)]


def _drop_rel(tag: str, attribute: str, value: str) -> str | None:
    """Drop any rel written in the text: the build sets it on external links itself."""
    return None if attribute == "rel" else value


def _external(html: str, site_host: str, problems: list[LinkProblem]) -> str:
    """Mark links to other sites noopener noreferrer, and report images loaded from other sites."""

    def visit(match: re.Match) -> str:
        tag = match.group(0)
        attrs = {name: htmllib.unescape(value) for name, value in _ATTR.findall(tag)}
        target = attrs.get("href") or attrs.get("src") or ""
        host = urlsplit(target).netloc
        if not host or host == site_host:
            return tag
        if match.group(1) == "img":
            problems.append(LinkProblem(target, "this image is loaded from another website",
                                        "save the picture into the site instead: the other site may remove it "
                                        "or see who reads this page", False))
            return tag
        return tag[:-1] + f' rel="{EXTERNAL_REL}">'

    return _TAG.sub(visit, html)


def relative_source(from_file: str, href_path: str) -> str:
    """Return the site-relative path that `href_path`, written in `from_file`, points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_file), href_path))


def line_of(body: str, first_line: int, needle: str) -> int:
    """Return the file line where `needle` first appears in `body` (which starts at `first_line`)."""
    at = body.find(needle)
    return first_line + body.count("\n", 0, at) if at >= 0 else first_line
