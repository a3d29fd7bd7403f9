"""The site graph: every route and feed of the site, which routes translate each other, and the listings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping

from .config import Language, Site
from .content import Document, Project
from .errors import Diagnostic, error
from .translations import TranslationSet


@dataclass(frozen=True)
class Route:
    """One output page: its URL, language, template and the values its template receives."""

    url: str
    lang: str | None
    template: str
    identity: tuple
    source: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output(self) -> str:
        """Return the file this route is written to, relative to the output folder."""
        return (self.url + "index.html" if self.url.endswith("/") else self.url).lstrip("/")


@dataclass(frozen=True)
class Entry:
    """An article in a listing; `fallback` when shown in a language it is not written in."""

    doc: Document
    url: str
    fallback: bool


@dataclass(frozen=True)
class Pagination:
    """Where a page of a listing stands among its pages."""

    number: int
    total: int
    urls: tuple[str, ...]

    @property
    def prev(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None


@dataclass(frozen=True)
class SwitchTarget:
    """Where the language switcher leads for one language, and whether the page exists there."""

    lang: Language
    url: str
    available: bool
    current: bool


@dataclass(frozen=True)
class Term:
    """A tag or a sector: an id in URLs and a label, in one text or one text per language."""

    kind: str
    id: str
    label: str | Mapping[str, str]


@dataclass(frozen=True)
class Feed:
    """An Atom feed: its URL, language, title, the page it mirrors and its articles, newest first."""

    url: str
    lang: str
    title: str | Mapping[str, str]
    html_url: str
    docs: tuple[Document, ...]


# Where a link to a source file that has errors points while the build goes on to find more mistakes; a build
# with errors writes nothing, so this never reaches a reader.
UNBUILT = "#not-built"


def doc_url(doc: Document) -> str:
    """Return the URL of an article or a page."""
    return f"/{doc.lang}/news/{doc.slug}/" if doc.section == "news" else f"/{doc.lang}/{doc.slug}/"


def project_url(lang: str, project_id: str) -> str:
    """Return the URL of a project's page in `lang`."""
    return f"/{lang}/projects/{project_id}/"


def term_url(lang: str, term: Term) -> str:
    """Return the URL of the listing of a tag or a sector in `lang`."""
    return f"/{lang}/{term.kind}/{term.id}/"


def page_url(base: str, number: int) -> str:
    """Return the URL of page `number` of the listing that starts at `base`."""
    return base if number == 1 else f"{base}page/{number}/"


def news_list_url(lang: str, number: int = 1) -> str:
    """Return the URL of page `number` of the news list in `lang`."""
    return page_url(f"/{lang}/news/", number)


@dataclass(frozen=True)
class SiteGraph:
    """Every route and feed, with the translations of each route."""

    site: Site
    routes: tuple[Route, ...]
    sets: tuple[TranslationSet, ...]
    projects: tuple[Project, ...]
    tags: tuple[Term, ...] = ()
    feeds: tuple[Feed, ...] = ()
    # Source files left out because they have errors: links to them are not reported a second time.
    failed: frozenset[str] = frozenset()

    def group(self, route: Route) -> dict[str | None, str]:
        """Return {language (None for the language chooser): url} of the routes that translate `route`."""
        return {r.lang: r.url for r in self._by_identity.get(route.identity, ())}

    @cached_property
    def _by_identity(self) -> dict[tuple, list[Route]]:
        found: dict[tuple, list[Route]] = {}
        for r in self.routes:
            found.setdefault(r.identity, []).append(r)
        return found

    def alternates(self, route: Route) -> list[tuple[str, str]]:
        """Return (hreflang, url) of every translation of `route`, itself included, then x-default."""
        group = self.group(route)
        pairs = [(lang.tag, group[lang.code]) for lang in self.site.languages if lang.code in group]
        default = group.get(None) or group.get(self.site.default.code) or (pairs[0][1] if pairs else None)
        return pairs + ([("x-default", default)] if default and pairs else [])

    def switcher(self, route: Route) -> list[SwitchTarget]:
        """Return, for each language, the same page in it, or its news list when there is none."""
        group = self.group(route)
        return [SwitchTarget(lang, group.get(lang.code) or news_list_url(lang.code),
                             lang.code in group, lang.code == route.lang) for lang in self.site.languages]

    def entries(self, lang: str, keep: Callable[[Document], bool] = lambda doc: True) -> list[Entry]:
        """Return the news to list in `lang` (newest first) that `keep` accepts, with fallbacks where configured."""
        order = self.site.fallback_order(lang)
        out = []
        for tset in self.sets:
            if tset.section != "news" or not keep(tset.best(order)):
                continue
            if lang in tset.docs or self.site.config.list_untranslated:
                doc = tset.best(order)
                out.append(Entry(doc, doc_url(doc), doc.lang != lang))
        return sorted(out, key=lambda e: (e.doc.meta.date, e.doc.key), reverse=True)

    def translations(self, doc: Document) -> list[Document]:
        """Return the other languages' versions of `doc`, in the site's language order."""
        tset = next(s for s in self.sets if s.section == doc.section and s.key == doc.key)
        return [d for d in tset.docs.values() if d.lang != doc.lang]

    def url_of_source(self, path: str, lang: str) -> str | None:
        """Return the URL, in `lang` or its fallback, of the content file at site-relative `path`."""
        for project in self.projects:
            if project.path == path:
                return project_url(lang, project.id)
        for tset in self.sets:
            if any(doc.path == path for doc in tset.docs.values()):
                return doc_url(tset.best(self.site.fallback_order(lang)))
        return UNBUILT if path in self.failed else None

    def pages(self, lang: str) -> list[tuple[str, str]]:
        """Return (title, url) of every page (such as About) written in `lang`."""
        return [(t.docs[lang].meta.title, doc_url(t.docs[lang])) for t in self.sets
                if t.section == "pages" and lang in t.docs]

    def project(self, project_id: str | None) -> Project | None:
        """Return the project with id `project_id`, if any."""
        return next((p for p in self.projects if p.id == project_id), None)

    def tag(self, tag_id: str) -> Term | None:
        """Return the tag with id `tag_id`, if the vocabulary has it."""
        return next((t for t in self.tags if t.id == tag_id), None)


def build(site: Site, sets: list[TranslationSet], projects: list[Project],
          tags: Mapping[str, Any] | None = None,
          failed: frozenset[str] = frozenset()) -> tuple[SiteGraph, list[Diagnostic]]:
    """Return the graph of every route and feed of the site, and an error for every URL two sources claim."""
    from . import routes  # routes builds on the types above, so it is imported here, not at the top

    ordered = tuple(sorted(projects, key=lambda p: (-(p.sheet.start_date or dt.date.min).toordinal(), p.id)))
    terms = tuple(Term("tags", tag_id, label) for tag_id, label in sorted((tags or {}).items()))
    base = SiteGraph(site, (), tuple(sets), ordered, terms, failed=failed)
    clashes = routes.sector_clashes(base)
    if clashes:
        return base, clashes
    unique, problems = _unique(routes.all_routes(base))
    graph = SiteGraph(site, tuple(unique), tuple(sets), ordered, terms, tuple(routes.feeds(base)), failed)
    return graph, problems


def _unique(routes: list[Route]) -> tuple[list[Route], list[Diagnostic]]:
    """Return the routes less every second claim on a URL, and an error for each such claim."""
    seen: dict[str, Route] = {}
    problems = []
    for route in routes:
        if route.url in seen:
            other = seen[route.url]
            problems.append(error(route.source or other.source or route.url, 0, 0,
                                  f"{route.url} is made twice ({other.source or other.template} and "
                                  f"{route.source or route.template})", "rename one of the two files"))
        seen.setdefault(route.url, route)
    return list(seen.values()), problems
