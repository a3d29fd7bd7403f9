"""Atom 1.0 feeds (RFC 4287): per language, per project and per tag, each entry with its translations."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from . import dates
from .content import doc_url
from .graph import Feed, SiteGraph
from .i18n import Formatter
from .render import OutputFile
from .urls import file_of

ATOM = "http://www.w3.org/2005/Atom"


def rfc3339(day: dt.date) -> str:
    """Return the start of `day` in UTC as an RFC 3339 timestamp (a date known only to the month: the start of
    its first day, since Atom needs a whole timestamp)."""
    return f"{dates.day_of(day)}T00:00:00Z"


def tag_uri(host: str, day: dt.date, path: str) -> str:
    """Return a tag: URI (RFC 4151): an id that stays the same if the site moves to another address."""
    return f"tag:{host},{day.isoformat()}:{path}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = text
    return element


def feed_file(graph: SiteGraph, feed: Feed, fmt: Formatter, bodies: dict[str, str], today: dt.date) -> OutputFile:
    """Return one Atom feed as a file."""
    base = graph.site.base_url
    title = fmt.localize(feed.title).text
    site_title = graph.site.config.title[feed.lang]
    updated = max(((d.meta.updated or d.meta.date) for d in feed.docs), default=today)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": fmt.lang.tag, "xml:base": base + "/"})
    _sub(root, "id", base + feed.url)
    _sub(root, "title", title if title == site_title else f"{title} · {site_title}")
    _sub(root, "updated", rfc3339(updated))
    _sub(_sub(root, "author"), "name", site_title)
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed.url)
    _sub(root, "link", rel="alternate", type="text/html", hreflang=fmt.lang.tag, href=base + feed.html_url)
    for doc in feed.docs:
        _entry(root, graph, doc, fmt, bodies[doc.ref])
    ET.indent(root)
    data = ET.tostring(root, encoding="unicode")
    return OutputFile(file_of(feed.url), ('<?xml version="1.0" encoding="utf-8"?>\n' + data + "\n").encode())


def _entry(root: ET.Element, graph: SiteGraph, doc, fmt: Formatter, body: str) -> None:
    base, meta = graph.site.base_url, doc.meta
    entry = ET.SubElement(root, "entry", {"xml:lang": fmt.lang.tag})
    # Not the article's URL (urls.py): an entry keeps its id for good, even if the URL scheme changes.
    _sub(entry, "id", tag_uri(urlsplit(base).netloc, meta.date, f"/news/{doc.key}/{doc.lang}"))
    _sub(entry, "title", meta.title)
    _sub(entry, "published", rfc3339(meta.date))
    _sub(entry, "updated", rfc3339(meta.updated or meta.date))
    _sub(entry, "link", rel="alternate", type="text/html", hreflang=fmt.lang.tag, href=base + doc_url(doc))
    # Translations are "related", not "alternate": feed readers open an entry's alternate link, and
    # feedparser takes the last one, so only the entry's own language may be "alternate".
    for other in graph.translations(doc):
        _sub(entry, "link", rel="related", type="text/html", hreflang=graph.site.lang(other.lang).tag,
             href=base + doc_url(other))
    for tag_id in meta.tags:
        tag = graph.tag(tag_id)
        _sub(entry, "category", term=tag_id, label=fmt.localize(tag.label).text if tag else tag_id)
    if meta.summary:
        _sub(entry, "summary", meta.summary)
    _sub(entry, "content", body, type="html")


def feed_files(graph: SiteGraph, formatters: dict[str, Formatter], bodies: dict[str, str],
               today: dt.date) -> list[OutputFile]:
    """Return every feed of the graph as a file (an empty feed is as new as the build date)."""
    return [feed_file(graph, feed, formatters[feed.lang], bodies, today) for feed in graph.feeds]
