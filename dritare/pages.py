"""What each kind of page hands its template: a small frozen value, which the cache can key (incremental.canonical)
and a worker process can receive. Values hold text, numbers, dates, tuples and the frozen content model
(documents, projects, entries, terms), never callables or live objects; routes.py makes one per page."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Union

from .content import Document, Organisation, Participant, Project
from .graph import Entry, Pagination, Term


@dataclass(frozen=True)
class ChooserPage:
    """The language chooser at the site's root: all it shows is the site's own."""


@dataclass(frozen=True)
class RootNotFoundPage:
    """The error page in every language, for an address outside any language."""


@dataclass(frozen=True)
class NotFoundPage:
    """The error page of one language."""


@dataclass(frozen=True)
class HomePage:
    """A language's home: its latest news and every project."""

    entries: tuple[Entry, ...]
    projects: tuple[Project, ...]


@dataclass(frozen=True)
class NewsListPage:
    """One page of a news listing: all news, a year's (`year`) or a tag's (`term`)."""

    items: tuple[Entry, ...]
    pagination: Pagination
    feed: str
    years: tuple[int, ...]
    term: Term | None
    year: int | None


@dataclass(frozen=True)
class ProjectListPage:
    """The projects overview: all of them, a sector's (`term`), an organisation's or those of one status (`state`,
    worked out from the build date as the page is made), with the sectors and organisations its filters link to."""

    items: tuple[Project, ...]
    pagination: Pagination
    term: Term | None
    state: str | None = None
    organisation: Organisation | None = None
    sectors: tuple[Term, ...] = ()
    organisations: tuple[Organisation, ...] = ()  # those that take part in a project, for the filters
    implementers: tuple[tuple[str, tuple[Organisation, ...]], ...] = ()  # by project id, for the table


@dataclass(frozen=True)
class TermsPage:
    """The tags or the sectors (`kind`), each with how many items it has."""

    kind: str
    terms: tuple[tuple[Term, int], ...]


@dataclass(frozen=True)
class ProjectPage:
    """A project sheet, its sector, its feed and the news about it."""

    project: Project
    sector: Term | None
    feed: str
    entries: tuple[Entry, ...]
    participants: tuple[Participant, ...] = ()  # its organisations with their roles, names in every language


@dataclass(frozen=True)
class DocumentPage:
    """A text of a kind with one file per language (an article, a page), and the project it is about."""

    doc: Document
    project: Project | None
    outdated: str | None = None  # the language of the source this translation was made from, if it changed since
    participants: tuple[Participant, ...] = ()  # the organisations of the project it is about


@dataclass(frozen=True)
class OrganisationPage:
    """An organisation: the projects it takes part in (each with its roles there) and the news about them."""

    organisation: Organisation
    projects: tuple[tuple[Project, tuple[str, ...]], ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class OrganisationsPage:
    """Every organisation, with how many projects it takes part in."""

    organisations: tuple[tuple[Organisation, int], ...]


@dataclass(frozen=True)
class OpenDataPage:
    """What the open data files hold, where they are and under which licence, as of the build date."""

    files: tuple[tuple[str, str], ...]  # (kind of address, as urls.SHAPES names it; URL) of every download
    projects: tuple[Project, ...]
    licence_name: str | None
    licence_url: str | None


PageValue = Union[ChooserPage, RootNotFoundPage, NotFoundPage, HomePage, NewsListPage, ProjectListPage, TermsPage,
                  ProjectPage, DocumentPage, OrganisationPage, OrganisationsPage, OpenDataPage]


def fields_of(value: PageValue) -> dict[str, Any]:
    """Return the values of a page by name, as its template reads them (not copied: a document stays one)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
