"""The sitemap (every page, with its translations as hreflang alternates) and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .graph import Route, SiteGraph
from .render import OutputFile
from .urls import file_of, url_for

NOT_LISTED = {"404", "not_found_root"}


def lastmod(route: Route) -> str | None:
    """Return the day an article or page last changed, if it says."""
    doc = getattr(route.data, "doc", None)
    day = getattr(doc.meta, "updated", None) or getattr(doc.meta, "date", None) if doc else None
    return day.isoformat() if day else None


def sitemap(graph: SiteGraph) -> OutputFile:
    """Return the sitemap of every page of `graph` but the error pages."""
    base = graph.site.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for route in sorted(graph.routes, key=lambda r: r.url):
        if route.template in NOT_LISTED:
            continue
        lines.append(f"  <url>\n    <loc>{escape(base + route.url)}</loc>")
        if lastmod(route):
            lines.append(f"    <lastmod>{lastmod(route)}</lastmod>")
        for tag, url in graph.alternates(route):
            lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(tag)} href={quoteattr(base + url)}/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return OutputFile(file_of(url_for("sitemap", None)), "\n".join(lines).encode("utf-8"))


def robots(graph: SiteGraph) -> OutputFile:
    """Return robots.txt: everything may be read, and where the sitemap is."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {graph.site.base_url}{url_for('sitemap', None)}\n"
    return OutputFile(file_of(url_for("robots", None)), text.encode())


def files(graph: SiteGraph) -> list[OutputFile]:
    """Return the sitemap and robots.txt."""
    return [sitemap(graph), robots(graph)]
