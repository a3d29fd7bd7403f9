"""Routes -> output files: every page through its template, in its language."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import jinja2

from . import derive, markdown_html, metadata, projectview, routes, sources
from .config import Site
from .content import Document
from .errors import Diagnostic, error, warning
from .graph import Route, SiteGraph, SwitchTarget
from .pages import DocumentPage, fields_of
from .produce import OutputFile
from .urls import url_for
from .i18n import TEMPLATES_DIR, Formatter, markup, merge_repeats, template_error

STATIC_DIR = "static"


def N_(message: str) -> str:
    """Mark `message` for extraction into the catalogs; it is translated later, per language."""
    return message


# Shown in every language at once, on the pages that are in no single language (/ and /404.html).
IN_EVERY_LANGUAGE = (N_("Page not found"), N_("Choose a language"))



def static_files(site: Site) -> tuple[list[OutputFile], list[Diagnostic]]:
    """Return the files under static/, to be copied as they are, and an error for every one that cannot be
    (unreadable, a link out of the site, a pipe...)."""
    root = site.root / STATIC_DIR
    paths, problems = sources.walk(site.root, root, sources.EDITOR_LEFTOVERS.search)
    files = []
    for path in paths:
        data, found = sources.read_bytes(site.root, path)
        problems += found
        files += [OutputFile(f"{STATIC_DIR}/{path.relative_to(root).as_posix()}", data)] if data is not None else []
    return files, problems


def asset_urls(files: list[OutputFile]) -> dict[str, str]:
    """Return {static path: URL with a content hash}, so browsers refetch only what changed."""
    return {f.path: f"/{f.path}?v={hashlib.sha256(f.data).hexdigest()[:10]}" for f in files}


@dataclass(frozen=True)
class Renderer:
    """What rendering needs besides the route: the graph, one environment per language, the day."""

    graph: SiteGraph
    envs: dict[str, jinja2.Environment]
    catalogs: dict[str, Any]
    assets: dict[str, str]
    today: dt.date
    bodies: dict[str, str]
    formatters: dict[str, Formatter]

    def context(self, route: Route) -> dict[str, Any]:
        """Return the values the template of `route` receives: its page's values, what the graph says of the
        page (translations, menu, feeds) and what every page shares. The helpers read only their arguments
        and what every page's cache key covers (the build date, the configuration, the tags)."""
        site = self.graph.site
        lang = site.lang(route.lang) if route.lang else site.default
        base = site.base_url
        targets = self.graph.switcher(route)
        return {
            **fields_of(route.data),
            "route": route,
            "lang": lang,
            "languages": site.written,
            "site_title": site.config.title[lang.code],
            "canonical": base + route.url,
            "alternates": [(tag, base + url) for tag, url in self.graph.alternates(route)],
            "switcher": language_switcher(site, targets, route.lang),
            "scripts": script_switcher(site, targets, route.lang),
            "assets": self.assets,
            "today": self.today,
            "status": partial(projectview.status, today=self.today),
            "timeline": partial(projectview.timeline, today=self.today),
            "shares": projectview.shares,
            "overview": partial(projectview.overview, today=self.today),
            "site_titles": site.config.title,
            "pages": self.graph.pages(lang.code),
            "footer_pages": self.graph.pages(lang.code, "footer"),
            "publisher": site.config.publisher,
            "contact": site.config.contact,
            "licence": site.config.licence,
            "in_languages": {c: {m: t.gettext(m) for m in IN_EVERY_LANGUAGE} for c, t in self.catalogs.items()},
            "feeds": self.feeds(route, lang.code),
            "og_locale": metadata.og_locale(lang),
            "og_alternates": list(dict.fromkeys(metadata.og_locale(t.lang) for t in targets if t.available
                                                and metadata.og_locale(t.lang) != metadata.og_locale(lang))),
            "jsonld": metadata.json_ld(self.graph, self.formatters[lang.code], route) if route.lang else None,
            "tag": self.graph.tag,
            "sector_of": partial(routes.sector_of, default=site.default.code),
        }

    def feeds(self, route: Route, code: str) -> list[str]:
        """Return the feeds a page announces: its language's, then the project's or the tag's it lists."""
        own, mine = getattr(route.data, "feed", None), url_for("feed", code)
        return [mine] + ([own] if own and own != mine else [])

    def page(self, route: Route) -> tuple[OutputFile | None, list[Diagnostic]]:
        """Return the HTML of one route, or the problems that prevented it."""
        env = self.envs[route.lang or self.graph.site.default.code]
        context = self.context(route)
        if isinstance(route.data, DocumentPage):
            context["body"] = markup(self.bodies[route.data.doc.ref])
        name = f"{route.template}.html"
        try:
            html = env.get_template(name).render(context)
        except Exception as exc:  # a template is code from the site's folder: any failure is its error
            return None, [template_error(exc, self.graph.site.root / TEMPLATES_DIR, name, route.url)]
        lang = self.graph.site.lang(route.lang) if route.lang else None
        data = html.encode("utf-8")
        if lang and lang.derived_from:
            data = derive.transform_file(lang, route.output, data)
        return OutputFile(route.output, data), []


def language_switcher(site: Site, targets: list[SwitchTarget], code: str | None) -> list[SwitchTarget]:
    """Return the language switcher: one target per language written by hand, in the page's own script where
    the page is in that language (the other scripts are in the script switcher)."""
    mine = {lang.code for lang in site.family(code)} if code else set()
    by_code = {t.lang.code: t for t in targets}
    return [by_code[code] if lang.code in mine and code in by_code else by_code[lang.code]
            for lang in site.written if lang.code in by_code]


def script_switcher(site: Site, targets: list[SwitchTarget], code: str | None) -> list[SwitchTarget]:
    """Return the script switcher of a page in a language written in several scripts (Latinica, Ћирилица):
    the same page in each; nothing for the other pages."""
    family = site.family(code) if code else ()
    codes = {lang.code for lang in family}
    return [t for t in targets if t.lang.code in codes] if len(family) > 1 else []


def body(graph: SiteGraph, doc: Document,
         layout_ids: frozenset[str] = frozenset()) -> tuple[str, list[Diagnostic]]:
    """Return the HTML of an article's text, with its links resolved in its language and no id of `layout_ids`."""
    site_host = urlsplit(graph.site.base_url).netloc

    def resolve(href_path: str) -> str | None:
        return graph.url_of_source(markdown_html.relative_source(doc.path, href_path), doc.lang)

    html, found = markdown_html.render(doc.body, resolve, site_host, layout_ids)
    problems = []
    for p in found:
        line = (doc.body_line + p.line if p.line is not None
                else markdown_html.line_of(doc.body, doc.body_line, p.target))
        problems.append((error if p.fatal else warning)(doc.path, line, 0, p.message, p.hint))
    return html, problems


def bodies(graph: SiteGraph) -> tuple[dict[str, str], list[Diagnostic]]:
    """Return the HTML of every article's and page's text, by source path, once for pages and feeds."""
    layout_ids = markdown_html.layout_ids(graph.site.root / TEMPLATES_DIR)
    found, problems = {}, []
    for doc in (d for tset in graph.sets for d in tset.docs.values()):
        found[doc.ref], more = body(graph, doc, layout_ids)
        problems += more
    return found, problems


def render(renderer: Renderer) -> tuple[list[OutputFile], list[Diagnostic]]:
    """Return every page of the graph as a file, and every problem found on the way."""
    files, problems = [], []
    for route in renderer.graph.routes:
        out, found = renderer.page(route)
        problems += found
        files += [out] if out else []
    return files, merge_repeats(problems)
