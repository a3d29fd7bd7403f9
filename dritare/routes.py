"""The routes and feeds of each language: home, listings (news, years, tags, sectors), and the pages of every
content kind; each route with the value its template receives (pages.py), made by one function per kind."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import partial
from typing import Any, Callable, Sequence

from . import outdated
from .config import Language
from .content import KINDS, Document, Project, doc_url, sheet_url, suggest_slug
from .errors import Diagnostic, error
from .graph import Entry, Feed, Pagination, Route, SiteGraph, Term
from .pages import (ChooserPage, DocumentPage, HomePage, NewsListPage, NotFoundPage, PageValue, ProjectListPage,
                    ProjectPage, RootNotFoundPage, TermsPage)
from .schema import quoted
from .urls import url_for

FEED_ITEMS = 20


def paginate(graph: SiteGraph, lang: str, template: str, listing: tuple, items: Sequence[Any],
             page: Callable[..., PageValue], source: str = "") -> list[Route]:
    """Return the pages of the listing `listing` (its kind of page and arguments, as urls.url_for takes them,
    and also its identity across languages), `per_page` items each (one page if empty), each page's value
    made by `page(items=..., pagination=...)`."""
    size = graph.site.config.per_page
    chunks = [tuple(items[i:i + size]) for i in range(0, len(items), size)] or [()]
    kind, *args = listing
    urls = tuple(url_for(kind, lang, *args, number=n) for n in range(1, len(chunks) + 1))
    return [Route(urls[n - 1], lang, template, listing + (n,),
                  page(items=chunk, pagination=Pagination(n, len(chunks), urls)), source)
            for n, chunk in enumerate(chunks, start=1)]


_SERBIAN_LATIN = str.maketrans({c: latin for c, latin in zip(
    "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш",
    "A B V G D Đ E Ž Z I J K L Lj M N Nj O P R S T Ć U F H C Č Dž Š "
    "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split())})


def sector_text(project: Project, default: str) -> str | None:
    """Return the text a project's sector is known by: its text in the default language `default`, or its
    first."""
    label = project.sheet.sector
    if label is None or isinstance(label, str):
        return label
    return label.get(default) or next(iter(label.values()))


def term_id(kind: str, text: str) -> str:
    """Return the URL id of a term: its words in ASCII (Serbian Cyrillic read as Latin), or, when some of its
    letters have no ASCII form (Greek, Arabic...) or it has none, `kind` and a short hash of the text."""
    latin = text.translate(_SERBIAN_LATIN)
    folded = unicodedata.normalize("NFKD", latin.replace("đ", "dj").replace("Đ", "Dj"))
    if any(char.isalnum() and not char.isascii() for char in folded) or not any(c.isalnum() for c in folded):
        return f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"
    return suggest_slug(latin)


def sector_of(project: Project, default: str) -> Term | None:
    """Return the sector of a project as a term, its id made from its text in the default language `default`."""
    text = sector_text(project, default)
    return None if text is None else Term("sector", term_id("sector", text), project.sheet.sector)


def sectors(graph: SiteGraph) -> list[tuple[Term, list[Project]]]:
    """Return every sector with its projects, by id; two texts that make one id stay two sectors, so that
    their pages clash (see `sector_clashes`) instead of one silently taking the other's projects."""
    found: dict[tuple[str, str], tuple[Term, list[Project]]] = {}
    default = graph.site.default.code
    for project in graph.projects:
        term = sector_of(project, default)
        if term:
            found.setdefault((term.id, sector_text(project, default)), (term, []))[1].append(project)
    return [found[key] for key in sorted(found)]


def sector_clashes(graph: SiteGraph) -> list[Diagnostic]:
    """Return an error for every project whose sector is written differently from another's with the same id."""
    first: dict[str, tuple[str, Project]] = {}
    problems, default = [], graph.site.default.code
    for project in sorted(graph.projects, key=lambda p: p.path):
        term, text = sector_of(project, default), sector_text(project, default)
        if term is None:
            continue
        seen_text, seen = first.setdefault(term.id, (text, project))
        if seen_text != text:
            problems.append(error(project.path, *project.located.where(("sector",)),
                                  f"the sector {quoted(text)} has the same web address ({term.id}) as "
                                  f"{quoted(seen_text)} in {seen.path}",
                                  "write the sector the same way in both sheets, "
                                  "or name the two so that they differ in more than accents and signs"))
    return problems


def years(entries: list[Entry]) -> tuple[int, ...]:
    """Return the years the entries were published in, newest first."""
    return tuple(sorted({e.doc.meta.date.year for e in entries}, reverse=True))


def home_page(graph: SiteGraph, code: str) -> HomePage:
    """Return what the home page of `code` shows: the latest news and every project."""
    return HomePage(tuple(graph.entries(code)[: graph.site.config.home_news]), graph.projects)


def project_page(graph: SiteGraph, project: Project, code: str) -> ProjectPage:
    """Return what the page of `project` in `code` shows: the sheet, its sector, feed and news."""
    return ProjectPage(project, sector_of(project, graph.site.default.code), url_for("project_feed", code, project.id),
                       tuple(graph.entries(code, project=project.id)))


def document_page(graph: SiteGraph, doc: Document) -> DocumentPage:
    """Return what the page of a text shows: the text, and the project it is about."""
    return DocumentPage(doc, graph.project(getattr(doc.meta, "project", None)),
                        outdated.outdated(doc, graph.translation_set(doc).docs))


def _news_routes(graph: SiteGraph, code: str) -> list[Route]:
    entries = graph.entries(code)
    page = partial(NewsListPage, feed=url_for("feed", code), years=years(entries), term=None)
    routes = paginate(graph, code, "news_list", ("news",), entries, partial(page, year=None))
    for year in years(entries):
        routes += paginate(graph, code, "news_list", ("year", year), graph.entries(code, year=year),
                           partial(page, year=year))
    return routes


def _tag_routes(graph: SiteGraph, code: str) -> list[Route]:
    counted = [(tag, graph.entries(code, tag=tag.id)) for tag in graph.tags]
    counted = [(tag, entries) for tag, entries in counted if entries]
    routes = [Route(url_for("tags", code), code, "terms", ("tags",),
                    TermsPage("tags", tuple((t, len(e)) for t, e in counted)))]
    for tag, entries in counted:
        page = partial(NewsListPage, feed=url_for("tag_feed", code, tag.id), years=(), term=tag, year=None)
        routes += paginate(graph, code, "news_list", ("tag", tag.id), entries, page)
    return routes


def _sector_routes(graph: SiteGraph, code: str) -> list[Route]:
    found = sectors(graph)
    routes = [Route(url_for("sectors", code), code, "terms", ("sectors",),
                    TermsPage("sectors", tuple((t, len(p)) for t, p in found)))]
    for term, projects in found:
        routes += paginate(graph, code, "project_list", ("sector", term.id), projects,
                           partial(ProjectListPage, term=term))
    return routes


def _content_routes(graph: SiteGraph, code: str) -> list[Route]:
    """Return the page in `code` of every project sheet, then of every text written in `code`, each with the
    template and address its kind (content.KINDS) gives it."""
    routes = [Route(sheet_url(project, code), code, KINDS[project.section].template, (project.section, project.id),
                    project_page(graph, project, code), project.path) for project in graph.projects]
    for tset in graph.sets:
        if code in tset.docs:
            doc = tset.docs[code]
            routes.append(Route(doc_url(doc), code, KINDS[doc.section].template, (tset.section, tset.key),
                                document_page(graph, doc), doc.path))
    return routes


def language_routes(graph: SiteGraph, lang: Language) -> list[Route]:
    """Return every route of one language."""
    code = lang.code
    routes = [Route(url_for("home", code), code, "home", ("home",), home_page(graph, code)),
              Route(url_for("not_found", code), code, "404", ("404",), NotFoundPage())]
    routes += paginate(graph, code, "project_list", ("projects",), graph.projects, partial(ProjectListPage, term=None))
    return routes + _news_routes(graph, code) + _tag_routes(graph, code) + _sector_routes(graph, code) \
        + _content_routes(graph, code)


def all_routes(graph: SiteGraph) -> list[Route]:
    """Return every route of the site: the language chooser, the root 404, then each language's."""
    routes = [Route(url_for("chooser", None), None, "chooser", ("home",), ChooserPage()),
              Route(url_for("not_found_root", None), None, "not_found_root", ("404-root",), RootNotFoundPage())]
    for lang in graph.site.languages:
        routes += language_routes(graph, lang)
    return routes


def _own(entries: list[Entry]) -> tuple[Document, ...]:
    """Return the latest of `entries` written in their listing's language, for a feed."""
    return tuple(e.doc for e in entries if not e.fallback)[:FEED_ITEMS]


def feeds(graph: SiteGraph) -> list[Feed]:
    """Return the Atom feeds: one per language, per project and per tag, each in one language."""
    found = []
    for lang in graph.site.languages:
        code, title = lang.code, graph.site.config.title
        found.append(Feed(url_for("feed", code), code, title, url_for("news", code), _own(graph.entries(code))))
        for project in graph.projects:
            found.append(Feed(url_for("project_feed", code, project.id), code, project.sheet.title,
                              sheet_url(project, code), _own(graph.entries(code, project=project.id))))
        for tag in graph.tags:
            tagged = graph.entries(code, tag=tag.id)
            if tagged:
                found.append(Feed(url_for("tag_feed", code, tag.id), code, tag.label, url_for("tag", code, tag.id),
                                  _own(tagged)))
    return found
