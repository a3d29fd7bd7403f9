"""Markdown -> safe HTML: internal links resolved through the site graph, raw HTML sanitised."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

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
    def __init__(self, md, resolve: Resolver, site_host: str, problems: list[LinkProblem]):
        super().__init__(md)
        self.resolve, self.site_host, self.problems = resolve, site_host, problems

    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            self._link(link)
        for image in root.iter("img"):
            host = urlsplit(image.get("src", "")).netloc
            if host and host != self.site_host:
                self.problems.append(LinkProblem(image.get("src"), "this image is loaded from another website",
                                                 "save the picture into the site instead: the other site may "
                                                 "remove it or watch who reads this page", False))

    def _link(self, link: ET.Element) -> None:
        href = link.get("href", "")
        if is_source_link(href):
            path, _, fragment = href.partition("#")
            url = self.resolve(path)
            if url is None:
                self.problems.append(LinkProblem(href, f'the link "{href}" leads to no content file',
                                                 "check the file name; links name the .md or .yaml file, "
                                                 "relative to this file", True))
                return
            link.set("href", url + (f"#{fragment}" if fragment else ""))
        elif urlsplit(href).netloc and urlsplit(href).netloc != self.site_host:
            link.set("rel", "noopener noreferrer")


def render(text: str, resolve: Resolver, site_host: str) -> tuple[str, list[LinkProblem]]:
    """Return `text` as sanitised HTML and the problems found in its links and images."""
    problems: list[LinkProblem] = []
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    md.treeprocessors.register(_Links(md, resolve, site_host, problems), "dritare-links", 1)
    html = md.convert(text)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                      strip_comments=True)
    return clean, problems


def relative_source(from_file: str, href_path: str) -> str:
    """Return the site-relative path that `href_path`, written in `from_file`, points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_file), href_path))


def line_of(body: str, first_line: int, needle: str) -> int:
    """Return the file line where `needle` first appears in `body` (which starts at `first_line`)."""
    at = body.find(needle)
    return first_line + body.count("\n", 0, at) if at >= 0 else first_line
