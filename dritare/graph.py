"""The site graph: every route and feed of the site, which routes translate each other, and the listings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .config import Language, Site
from .content import KINDS, Document, Organisation, Participant, Project, doc_url, participants, sheet_url
from .errors import Diagnostic, error
from .translations import TranslationSet
from .urls import file_of, url_for

if TYPE_CHECKING:
    from .pages import PageValue


@dataclass(frozen=True)
class Route:
    """One output page: its URL, language, template, identity across languages, the values its template
    receives (one of the frozen values of pages.py) and the source file it shows."""

    url: str
    lang: str | None
    template: str
    identity: tuple
    data: PageValue
    source: str = ""

    @property
    def output(self) -> str:
        """Return the file this route is written to, relative to the output folder."""
        return file_of(self.url)


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
    """A tag or a sector: the kind of page that lists it ("tag" or "sector", as urls.url_for names it), an id in
    URLs and a label, in one text or one text per language."""

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


@dataclass(frozen=True)
class Listing:
    """The news listed in one language, newest first: all of it, and the same by tag, by project and by year."""

    entries: tuple[Entry, ...]
    by_tag: Mapping[str, tuple[Entry, ...]]
    by_project: Mapping[str, tuple[Entry, ...]]
    by_year: Mapping[int, tuple[Entry, ...]]


def listing(entries: list[Entry]) -> Listing:
    """Return the listing of `entries`, which are newest first, with each group in the same order."""
    by_tag: dict[str, list[Entry]] = {}
    by_project: dict[str, list[Entry]] = {}
    by_year: dict[int, list[Entry]] = {}
    for entry in entries:
        meta = entry.doc.meta
        for tag_id in dict.fromkeys(meta.tags):  # a tag written twice lists the article once
            by_tag.setdefault(tag_id, []).append(entry)
        if meta.project is not None:
            by_project.setdefault(meta.project, []).append(entry)
        by_year.setdefault(meta.date.year, []).append(entry)
    return Listing(tuple(entries), _tuples(by_tag), _tuples(by_project), _tuples(by_year))


def _tuples(groups: dict[Any, list[Entry]]) -> dict[Any, tuple[Entry, ...]]:
    return {key: tuple(group) for key, group in groups.items()}


@dataclass(frozen=True)
class SiteGraph:
    """Every route and feed, with the translations of each route.

    Lookups go through indexes made from the fields on first use (the cached properties below: a frozen
    dataclass without slots keeps them in its __dict__), so that no lookup scans every article."""

    site: Site
    routes: tuple[Route, ...]
    sets: tuple[TranslationSet, ...]
    projects: tuple[Project, ...]
    tags: tuple[Term, ...] = ()
    feeds: tuple[Feed, ...] = ()
    # Source files left out because they have errors: links to them are not reported a second time.
    failed: frozenset[str] = frozenset()
    # Texts not published as of the build date (path, why: "a draft", "scheduled for ..."): a link to one is an
    # error that says so.
    unpublished: tuple[tuple[str, str], ...] = ()
    organisations: tuple[Organisation, ...] = ()

    def participants(self, project: Project | None) -> tuple[Participant, ...]:
        """Return the organisations of `project` with their roles (none for no project)."""
        return participants(project, self._organisations_by_id) if project is not None else ()

    def organisation(self, org_id: str) -> Organisation | None:
        """Return the organisation with id `org_id`, if content/organisations.yaml has it."""
        return self._organisations_by_id.get(org_id)

    def projects_of(self, org_id: str) -> tuple[tuple[Project, tuple[str, ...]], ...]:
        """Return the projects an organisation takes part in, each with its roles there, in the projects' order."""
        return self._projects_by_organisation.get(org_id, ())

    def group(self, route: Route) -> dict[str | None, str]:
        """Return {language (None for the language chooser): url} of the routes that translate `route`."""
        return {r.lang: r.url for r in self._by_identity.get(route.identity, ())}

    def alternates(self, route: Route) -> list[tuple[str, str]]:
        """Return (hreflang, url) of every translation of `route`, itself included, then x-default."""
        group = self.group(route)
        pairs = [(lang.tag, group[lang.code]) for lang in self.site.languages if lang.code in group]
        default = group.get(None) or group.get(self.site.default.code) or (pairs[0][1] if pairs else None)
        return pairs + ([("x-default", default)] if default and pairs else [])

    def switcher(self, route: Route) -> list[SwitchTarget]:
        """Return, for each language, the same page in it, or its news list when there is none."""
        group = self.group(route)
        return [SwitchTarget(lang, group.get(lang.code) or url_for("news", lang.code),
                             lang.code in group, lang.code == route.lang) for lang in self.site.languages]

    def entries(self, lang: str, *, tag: str | None = None, project: str | None = None,
                year: int | None = None) -> list[Entry]:
        """Return the news to list in `lang`, newest first, with fallbacks where configured: all of it, or
        (one at a time) that with the tag `tag`, about the project `project` or of the year `year`."""
        found = self._listings[lang]
        if tag is not None:
            return list(found.by_tag.get(tag, ()))
        if project is not None:
            return list(found.by_project.get(project, ()))
        return list(found.entries if year is None else found.by_year.get(year, ()))

    def translation_set(self, doc: Document) -> TranslationSet:
        """Return the translation set `doc` belongs to."""
        return self._sets_by_key[doc.section, doc.key]

    def translations(self, doc: Document) -> list[Document]:
        """Return the other languages' versions of `doc`, in the site's language order."""
        tset = self._sets_by_key[doc.section, doc.key]
        return [d for d in tset.docs.values() if d.lang != doc.lang]

    def url_of_source(self, path: str, lang: str) -> str | None:
        """Return the URL, in `lang` or its fallback, of the content file at site-relative `path`."""
        if path in self._projects_by_path:
            return sheet_url(self._projects_by_path[path], lang)
        if path in self._sets_by_path:
            return doc_url(self._sets_by_path[path].best(self.site.fallback_order(lang)))
        return UNBUILT if path in self.failed else None

    def pages(self, lang: str, menu: str = "main") -> list[tuple[str, str]]:
        """Return (title, url) of every page written in `lang` that is linked from `menu`: the main menu (such
        as About) or the footer (such as the accessibility statement)."""
        return [(t.docs[lang].meta.title, doc_url(t.docs[lang])) for t in self._in_menu
                if lang in t.docs and getattr(t.docs[lang].meta, "menu", "main") == menu]

    def project(self, project_id: str | None) -> Project | None:
        """Return the project with id `project_id`, if any."""
        return self._projects_by_id.get(project_id)

    def tag(self, tag_id: str) -> Term | None:
        """Return the tag with id `tag_id`, if the vocabulary has it."""
        return self._tags_by_id.get(tag_id)

    # The indexes. Where two items share a key the first one wins, as the first found by a scan would.

    @cached_property
    def _by_identity(self) -> dict[tuple, list[Route]]:
        found: dict[tuple, list[Route]] = {}
        for r in self.routes:
            found.setdefault(r.identity, []).append(r)
        return found

    @cached_property
    def _listings(self) -> dict[str, Listing]:
        return {code: listing(self._entries(code)) for code in self.site.codes}

    def _entries(self, lang: str) -> list[Entry]:
        """Return every news item to list in `lang`, newest first."""
        order = self.site.fallback_order(lang)
        out = []
        for tset in self._listed:
            if lang in tset.docs or self.site.config.list_untranslated:
                doc = tset.best(order)
                out.append(Entry(doc, doc_url(doc), doc.lang != lang))
        return sorted(out, key=lambda e: (e.doc.meta.date, e.doc.key), reverse=True)

    @cached_property
    def _listed(self) -> tuple[TranslationSet, ...]:
        return tuple(s for s in self.sets if KINDS[s.section].listed)

    @cached_property
    def _in_menu(self) -> tuple[TranslationSet, ...]:
        return tuple(s for s in self.sets if KINDS[s.section].in_menu)

    @cached_property
    def _sets_by_key(self) -> dict[tuple[str, str], TranslationSet]:
        return _first_by(self.sets, lambda s: [(s.section, s.key)])

    @cached_property
    def _sets_by_path(self) -> dict[str, TranslationSet]:
        return _first_by(self.sets, lambda s: [d.path for d in s.docs.values()])

    @cached_property
    def _projects_by_path(self) -> dict[str, Project]:
        return _first_by(self.projects, lambda p: [p.path])

    @cached_property
    def _projects_by_id(self) -> dict[str, Project]:
        return _first_by(self.projects, lambda p: [p.id])

    @cached_property
    def _organisations_by_id(self) -> dict[str, Organisation]:
        return {org.id: org for org in self.organisations}

    @cached_property
    def _projects_by_organisation(self) -> dict[str, tuple[tuple[Project, tuple[str, ...]], ...]]:
        found: dict[str, dict[str, tuple[Project, list[str]]]] = {}
        for project in self.projects:
            for part in self.participants(project):
                entry = found.setdefault(part.organisation.id, {}).setdefault(project.id, (project, []))
                if part.role not in entry[1]:
                    entry[1].append(part.role)
        return {org_id: tuple((p, tuple(roles)) for p, roles in by.values()) for org_id, by in found.items()}

    @cached_property
    def _tags_by_id(self) -> dict[str, Term]:
        return _first_by(self.tags, lambda t: [t.id])


def _first_by(items: Iterable[Any], keys: Callable[[Any], list]) -> dict:
    """Return {key: the first item that has it} for every key `keys` gives an item."""
    found: dict = {}
    for item in items:
        for key in keys(item):
            found.setdefault(key, item)
    return found


def build(site: Site, sets: list[TranslationSet], projects: list[Project],
          tags: Mapping[str, Any] | None = None,
          failed: frozenset[str] = frozenset(),
          unpublished: Mapping[str, str] | None = None,
          organisations: Mapping[str, Organisation] | None = None) -> tuple[SiteGraph, list[Diagnostic]]:
    """Return the graph of every route and feed of the site, and an error for every URL two sources claim."""
    from . import routes  # routes builds on the types above, so it is imported here, not at the top

    ordered = tuple(sorted(projects, key=lambda p: (-(p.sheet.start_date or dt.date.min).toordinal(), p.id)))
    terms = tuple(Term("tag", tag_id, label) for tag_id, label in sorted((tags or {}).items()))
    held = tuple(sorted((unpublished or {}).items()))
    orgs = tuple((organisations or {}).values())
    base = SiteGraph(site, (), tuple(sets), ordered, terms, failed=failed, unpublished=held, organisations=orgs)
    clashes = routes.sector_clashes(base)
    if clashes:
        return base, clashes
    unique, problems = _unique(routes.all_routes(base))
    graph = SiteGraph(site, tuple(unique), tuple(sets), ordered, terms, tuple(routes.feeds(base)), failed, held, orgs)
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
