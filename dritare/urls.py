"""The URL scheme: the address of every kind of page and feed of the site, spelled here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .errors import did_you_mean


class UrlError(ValueError):
    """A request for a URL that the scheme does not have: an unknown kind, or the wrong arguments."""


@dataclass(frozen=True)
class Shape:
    """How the URL of one kind of page is made: a pattern filled in with the language and the arguments."""

    pattern: str
    args: tuple[str, ...] = ()
    language: bool = True
    paged: bool = False  # a listing: page n > 1 of it is at `page/n/` under its first page


SHAPES: dict[str, Shape] = {
    "chooser": Shape("/", language=False),
    "not_found_root": Shape("/404.html", language=False),
    "sitemap": Shape("/sitemap.xml", language=False),
    "robots": Shape("/robots.txt", language=False),
    "home": Shape("/{lang}/"),
    "not_found": Shape("/{lang}/404.html"),
    "news": Shape("/{lang}/news/", paged=True),
    "year": Shape("/{lang}/news/{year}/", ("year",), paged=True),
    "article": Shape("/{lang}/news/{slug}/", ("slug",)),
    "page": Shape("/{lang}/{slug}/", ("slug",)),
    "projects": Shape("/{lang}/projects/", paged=True),
    "project": Shape("/{lang}/projects/{project_id}/", ("project_id",)),
    "projects_status": Shape("/{lang}/projects/status/{status}/", ("status",)),
    "projects_organisation": Shape("/{lang}/projects/organisation/{org_id}/", ("org_id",)),
    "tags": Shape("/{lang}/tags/"),
    "tag": Shape("/{lang}/tags/{tag_id}/", ("tag_id",), paged=True),
    "sectors": Shape("/{lang}/sectors/"),
    "sector": Shape("/{lang}/sectors/{sector_id}/", ("sector_id",), paged=True),
    "feed": Shape("/{lang}/feed.xml"),
    "project_feed": Shape("/{lang}/projects/{project_id}/feed.xml", ("project_id",)),
    "tag_feed": Shape("/{lang}/tags/{tag_id}/feed.xml", ("tag_id",)),
    "organisations": Shape("/{lang}/organisations/"),
    "organisation": Shape("/{lang}/organisations/{org_id}/", ("org_id",)),
    "open_data": Shape("/{lang}/open-data/"),
    # The open data files, in no single language (see opendata.py and iati.py).
    "data_projects_json": Shape("/data/projects.json", language=False),
    "data_projects_schema": Shape("/data/projects.schema.json", language=False),
    "data_projects_csv": Shape("/data/projects.csv", language=False),
    "data_news_json": Shape("/data/news.json", language=False),
    "data_organisations_json": Shape("/data/organisations.json", language=False),
    "data_iati": Shape("/data/iati-activities.xml", language=False),
    "data_project_json": Shape("/data/projects/{project_id}.json", ("project_id",), language=False),
    "data_project_csv": Shape("/data/projects/{project_id}.csv", ("project_id",), language=False),
}


def url_for(kind: str, lang: str | None, *args: object, number: int = 1) -> str:
    """Return the URL of the page or feed of `kind` in `lang` (None for the pages in no single language),
    for `args` (such as a project id), and, for a listing, of its page `number`; raise UrlError if the
    scheme has no such URL."""
    shape = _shape(kind)
    _check(kind, shape, lang, args, number)
    url = shape.pattern.format(lang=lang, **dict(zip(shape.args, args)))
    return url if number == 1 else f"{url}page/{number}/"


def _shape(kind: str) -> Shape:
    """Return the shape of `kind`, or raise UrlError with the closest kind there is."""
    if not isinstance(kind, str) or kind not in SHAPES:
        raise UrlError(f'url("{kind}"): there is no such kind of page; '
                       + did_you_mean(str(kind), SHAPES).replace("valid keys", "the kinds are"))
    return SHAPES[kind]


def _check(kind: str, shape: Shape, lang: str | None, args: tuple[object, ...], number: int) -> None:
    """Raise UrlError if the language, arguments or page number do not fit the shape of `kind`."""
    if shape.language and not lang:
        raise UrlError(f'url("{kind}"): the page is in one language, and none was given')
    if not shape.language and lang is not None:
        raise UrlError(f'url("{kind}"): the page is in no single language, but "{lang}" was given')
    if len(args) != len(shape.args):
        example = ", ".join([f'"{kind}"', *shape.args])
        raise UrlError(f'url("{kind}") takes {len(shape.args)} value(s) after the kind, not {len(args)}: '
                       f"write url({example})")
    missing = [name for name, value in zip(shape.args, args) if value is None or value == ""]
    if missing:
        raise UrlError(f'url("{kind}"): the {missing[0]} is empty')
    if number != 1 and not shape.paged:
        raise UrlError(f'url("{kind}", number={number!r}): this page is not a listing with numbered pages')
    if number != 1 and not (isinstance(number, int) and number > 1):
        raise UrlError(f'url("{kind}", number={number!r}): a page number is a whole number from 1')


def file_of(url: str) -> str:
    """Return the file that serves `url`, relative to the output folder: index.html for a folder's URL."""
    return (url + "index.html" if url.endswith("/") else url).lstrip("/")



def in_language(lang: str, codes: Iterable[str]) -> Callable[..., str]:
    """Return url_for with `lang` filled in, for the templates of that language: `url("project", id)`,
    `url("news", number=2)`, or another site language's page with `url("home", lang="sr")`."""
    known = tuple(codes)

    def url(kind: str, *args: object, lang: str | None = lang, number: int = 1, **unknown: object) -> str:
        if unknown:
            raise UrlError(f'url() takes the options lang= and number=, not {", ".join(unknown)}=')
        if lang is not None and lang not in known:
            raise UrlError(f'url("{kind}", lang="{lang}"): there is no such language on this site; '
                           f'its languages are {", ".join(known)}')
        # The pages in no single language (the sitemap...) are asked for the same way from every language.
        return url_for(kind, lang if _shape(kind).language else None, *args, number=number)

    return url
