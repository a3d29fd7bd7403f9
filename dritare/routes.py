"""The routes and feeds of each language: home, listings (news, years, tags, sectors), and the pages of every
content kind; each route with the value its template receives (pages.py), made by one function per kind."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Sequence

from . import outdated, projectview
from .config import Language
from .content import KINDS, Document, Organisation, Project, doc_url, sheet_url, suggest_slug
from .errors import Diagnostic, error
from .graph import Entry, Feed, Pagination, Route, SiteGraph, Term
from .pages import (ChooserPage, DocumentPage, HomePage, NewsListPage, NotFoundPage, OpenDataPage, OrganisationPage,
                    OrganisationsPage, PageValue, ProjectListPage, ProjectPage, RootNotFoundPage, TermsPage)
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
                       tuple(graph.entries(code, project=project.id)), graph.participants(project))


def document_page(graph: SiteGraph, doc: Document) -> DocumentPage:
    """Return what the page of a text shows: the text, and the project it is about."""
    project = graph.project(getattr(doc.meta, "project", None))
    return DocumentPage(doc, project, outdated.outdated(doc, graph.translation_set(doc).docs),
                        graph.participants(project))



def organisation_page(graph: SiteGraph, org_id: str, code: str) -> OrganisationPage:
    """Return what the page of an organisation in `code` shows: its projects and the news about them."""
    projects = graph.projects_of(org_id)
    entries: dict[str, Entry] = {}
    for project, _roles in projects:
        for entry in graph.entries(code, project=project.id):
            entries.setdefault(entry.url, entry)
    newest = sorted(entries.values(), key=lambda e: (e.doc.meta.date, e.doc.key), reverse=True)
    return OrganisationPage(graph.organisation(org_id), projects, tuple(newest))


# The files of the Open data page, in its order: the kind of address (urls.SHAPES) of each.
OPEN_DATA_FILES = ("data_projects_json", "data_projects_csv", "data_projects_schema", "data_news_json",
                   "data_organisations_json", "data_iati")


def _organisation_routes(graph: SiteGraph, code: str) -> list[Route]:
    """Return the organisations' index and one page per organisation of content/organisations.yaml."""
    counted = tuple((org, len(graph.projects_of(org.id))) for org in graph.organisations)
    routes = [Route(url_for("organisations", code), code, "organisations", ("organisations",),
                    OrganisationsPage(counted))]
    routes += [Route(url_for("organisation", code, org.id), code, "organisation", ("organisation", org.id),
                     organisation_page(graph, org.id, code)) for org in graph.organisations]
    licence = graph.site.config.data_licence
    files = tuple((kind, url_for(kind, None)) for kind in OPEN_DATA_FILES)
    routes.append(Route(url_for("open_data", code), code, "open_data", ("open_data",),
                        OpenDataPage(files, graph.projects, licence.name if licence else None,
                                     licence.url if licence else None)))
    return routes


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


@dataclass(frozen=True)
class _Filters:
    """What every page of the projects overview links to and shows besides its rows."""

    sectors: tuple[Term, ...]
    organisations: tuple[Organisation, ...]
    implementers: tuple[tuple[str, tuple[Organisation, ...]], ...]


def _overview(code: str, listing: tuple, projects: Sequence[Project], filters: _Filters, **chosen: Any) -> Route:
    """Return the page of the projects overview at `listing`, with `projects` as its rows and what filter
    chose them (`term`, `state` or `organisation`); one page, so that its totals cover every row."""
    url = url_for(*listing[:1], code, *listing[1:])
    page = ProjectListPage(tuple(projects), Pagination(1, 1, (url,)), chosen.pop("term", None), **chosen,
                           sectors=filters.sectors, organisations=filters.organisations,
                           implementers=filters.implementers)
    return Route(url, code, "project_list", listing + (1,), page)


def _filters(graph: SiteGraph, found: list[tuple[Term, list[Project]]]) -> _Filters:
    """Return the sectors and organisations the overview's filters list, and each project's implementers."""
    taking_part = tuple(org for org in graph.organisations if graph.projects_of(org.id))
    implementers = tuple((p.id, tuple(part.organisation for part in graph.participants(p)
                                      if part.role == "implementing")) for p in graph.projects)
    return _Filters(tuple(term for term, _ in found), taking_part, implementers)


def _project_list_routes(graph: SiteGraph, code: str) -> list[Route]:
    """Return the sectors' page and the projects overview: all projects, then by sector, organisation, status."""
    found = sectors(graph)
    filters = _filters(graph, found)
    routes = [_overview(code, ("projects",), graph.projects, filters),
              Route(url_for("sectors", code), code, "terms", ("sectors",),
                    TermsPage("sectors", tuple((t, len(p)) for t, p in found)))]
    routes += [_overview(code, ("sector", term.id), projects, filters, term=term) for term, projects in found]
    routes += [_overview(code, ("projects_organisation", org.id), [p for p, _ in graph.projects_of(org.id)],
                         filters, organisation=org) for org in filters.organisations]
    # Every status has its page whatever the build date, so that its address never comes and goes.
    return routes + [_overview(code, ("projects_status", state), graph.projects, filters, state=state)
                     for state in projectview.STATUSES]


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
    return routes + _news_routes(graph, code) + _tag_routes(graph, code) + _project_list_routes(graph, code) \
        + _content_routes(graph, code) + _organisation_routes(graph, code)


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
