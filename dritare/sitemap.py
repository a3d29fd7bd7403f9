"""The sitemap: every page, with its translations as hreflang alternates."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from .graph import SiteGraph
from .render import OutputFile

NOT_LISTED = {"404", "not_found_root"}


def sitemap(graph: SiteGraph) -> OutputFile:
    """Return /sitemap.xml for every page of `graph` but the error pages."""
    base = graph.site.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for route in sorted(graph.routes, key=lambda r: r.url):
        if route.template in NOT_LISTED:
            continue
        lines.append(f"  <url>\n    <loc>{escape(base + route.url)}</loc>")
        for tag, url in graph.alternates(route):
            lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(tag)} href={quoteattr(base + url)}/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return OutputFile("sitemap.xml", "\n".join(lines).encode("utf-8"))
