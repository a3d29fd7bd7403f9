"""The content model, and the stages that find and parse it: discover, then parse (pure, on text)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from . import frontmatter, schema, sources, yamlpos
from .cache import Cache
from .cache import key as cache_key
from .config import Site
from .errors import Diagnostic, did_you_mean, error, warning
from .schema import NewsMeta, PageMeta, ProjectSheet
from .urls import url_for

CONTENT_DIR = "content"
TAGS_FILE = "tags.yaml"
ORGANISATIONS_FILE = "organisations.yaml"
_IGNORED = re.compile(r"^(\.|~|#)|(~|\.swp|\.tmp|\.bak)$")


@dataclass(frozen=True)
class SourceFile:
    """A content file: where it is, which section it belongs to, its slug and language."""

    path: Path
    rel: str
    section: str
    slug: str
    lang: str | None


@dataclass(frozen=True)
class Document:
    """A text in one language (a news article, a page): its front matter and its Markdown."""

    section: str
    slug: str
    lang: str
    key: str
    path: str
    meta: NewsMeta | PageMeta
    body: str
    body_line: int
    located: yamlpos.Located
    digest: str = ""  # a key of the source's bytes and name: what a cached page that shows it depends on
    derived: bool = False  # made from the text in another language (derive.py), not written

    @property
    def ref(self) -> str:
        """Return what names this text's HTML among all texts: its file, and for a derived text its language."""
        return f"{self.path}#{self.lang}" if self.derived else self.path


@dataclass(frozen=True)
class Project:
    """A project sheet, whose texts are in several languages."""

    section: str
    id: str
    path: str
    sheet: ProjectSheet
    located: yamlpos.Located
    digest: str = ""


@dataclass(frozen=True)
class Organisation:
    """An organisation of content/organisations.yaml: its id, its name (one text, or one per language: in a
    language it has no name in, it is shown by its name in the first language of the page's fallback order),
    its acronym, IATI organisation type and identifier, and website, where known."""

    id: str
    name: str | Mapping[str, str]
    acronym: str | None = None
    type: str | None = None
    iati_id: str | None = None
    website: str | None = None


# The roles an organisation takes in a project, by the sheet's key, and their IATI OrganisationRole codes.
ROLES: dict[str, tuple[str, str]] = {
    "implementing_agency": ("implementing", "4"),
    "partners": ("partner", "4"),
    "donors": ("funding", "1"),
}


@dataclass(frozen=True)
class Participant:
    """An organisation in a project: its role (implementing, partner, funding) and the organisation."""

    role: str
    organisation: Organisation

    @property
    def iati_role(self) -> str:
        return next(code for role, code in ROLES.values() if role == self.role)


@dataclass(frozen=True)
class ContentKind:
    """A kind of content: its folder, how its files are named and read, and the pages they make.

    A new kind is an entry in KINDS, its schema (schema.py), its template and the shape of its address
    (urls.SHAPES). A kind with one file per language holds texts (Documents, each a page in its language); the
    kind whose one file holds every language is the project sheet (Projects, a page in every language)."""

    name: str  # its folder under content/, and the section of what it holds
    suffix: str
    files: str  # what its files are called in messages
    per_language: bool  # one file per language, slug.lang.suffix; otherwise one file holds every language
    schema: type[schema.Strict]
    parse: Callable[[SourceFile, str, Site], tuple[Any, list[Diagnostic]]]
    template: str  # the template of its pages
    url: str  # the kind of address of its pages, as urls.url_for names it
    listed: bool = False  # in the news lists and feeds, and warned about where a translation is missing
    in_menu: bool = False  # a link in every page's menu


def suggest_slug(name: str) -> str:
    """Return `name` as lowercase ASCII words joined by hyphens (ë -> e, đ -> dj)."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "dj").replace("Đ", "Dj"))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "article"


def find_language(rel: str, name: str, suffix: str, languages: tuple[str, ...]) -> tuple[str, str] | Diagnostic:
    """Return (slug, language) of a file named `slug.lang.suffix`, or the error naming the fix."""
    found = check_name(rel, name, suffix, languages)
    return found if isinstance(found, Diagnostic) else (found[0], found[1] or "")


_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|index|static|page|feed|sitemap)$")
_RENAME_RULE = "lowercase ASCII letters, digits and hyphens: ë → e, č → c, spaces → -"


def check_slug(rel: str, slug: str) -> Diagnostic | None:
    """Return an error if `slug` cannot be used in a URL or file name, suggesting one that can."""
    found = check_name(rel, slug, "", ())
    return found if isinstance(found, Diagnostic) else None


def check_name(rel: str, name: str, suffix: str, languages: tuple[str, ...]) -> tuple[str, str | None] | Diagnostic:
    """Return (slug, language) of the file called `name` (`slug.lang.suffix` when `languages` are given, else
    `slug.suffix`), or one error naming every problem of the name, with the whole name to rename it to."""
    ending = name[len(name) - len(suffix):]
    stem = name[: len(name) - len(suffix)]
    slug, lang, fixed_lang = stem, None, None
    if languages:
        slug, dot, lang = stem.rpartition(".")
        if not dot:
            return error(rel, 0, 0, "the file name does not say its language",
                         f"rename it to {suggest_slug(stem)}.{languages[0]}{suffix} "
                         f"(languages: {', '.join(languages)})")
        fixed_lang = lang.strip().lower()
        if fixed_lang not in languages:
            close = did_you_mean(fixed_lang, languages)
            return error(rel, 0, 0, f'"{lang}" is not a language of this site',
                         f"{close} rename it to {_proper(slug)}.{close.split(chr(34))[1]}{suffix}"
                         if close.startswith("did you mean") else "languages: " + ", ".join(sorted(languages)))
    wrong = []
    if not schema.SLUG_RE.match(slug):
        wrong.append(f'"{slug}" cannot be used in a web address')
    if lang is not None and lang != fixed_lang:
        wrong.append(f'the language is written "{fixed_lang}", not "{lang}"')
    if ending != suffix:
        wrong.append(f'the ending is written "{suffix}", not "{ending}"')
    tail = (f".{fixed_lang}" if fixed_lang else "") + suffix
    if wrong:
        return error(rel, 0, 0, ", and ".join(wrong), f"rename it to {_proper(slug)}{tail} ({_RENAME_RULE})")
    if _RESERVED.match(slug):
        return error(rel, 0, 0, f'"{slug}" is a reserved name', f"rename the file, for example to {slug}-1{tail}")
    return (slug, fixed_lang)


def _named_in_derived(site: Site, rel: str, name: str, suffix: str) -> Diagnostic | None:
    """Return an error if the file is named in a language the generator makes from another (sr-cyrl)."""
    slug, dot, lang = name[: len(name) - len(suffix)].rpartition(".")
    made = next((l for l in site.languages if l.derived_from and dot and lang.strip().lower() == l.code), None)
    if made is None:
        return None
    return error(rel, 0, 0, f'"{made.code}" is made by the generator from "{made.derived_from}": nobody writes it',
                 f"write the text in {made.derived_from}: rename it to {_proper(slug)}.{made.derived_from}{suffix}")


def _proper(slug: str) -> str:
    """Return `slug` made fit for a web address, and not a reserved name."""
    proper = suggest_slug(slug)
    return f"{proper}-1" if _RESERVED.match(proper) else proper


def classify(site: Site, path: Path) -> SourceFile | Diagnostic | None:
    """Return what the file at `path` is, an error about its name, or None if it is not content."""
    rel = sources.relative(site.root, path)
    section = path.parent.name if path.parent.parent == site.root / CONTENT_DIR else None
    if _IGNORED.search(path.name) or path in (site.root / CONTENT_DIR / TAGS_FILE,
                                              site.root / CONTENT_DIR / ORGANISATIONS_FILE):
        return None
    if section not in KINDS:
        return warning(rel, 0, 0, "this file is not in a content folder and is ignored",
                       "put " + ", ".join(f"{k.files} in {CONTENT_DIR}/{k.name}/" for k in KINDS.values()))
    suffix = KINDS[section].suffix
    # "Takimi.SQ.MD" is an article named wrongly, not a file of another kind: the error gives its right name.
    if not path.name.lower().endswith(suffix):
        return error(rel, 0, 0, f"only {suffix} files belong in {CONTENT_DIR}/{section}/",
                     f"save the text as a {suffix} file, or move this file out of {CONTENT_DIR}/")
    if KINDS[section].per_language:
        made = _named_in_derived(site, rel, path.name, suffix)
        if made:
            return made
    written = tuple(lang.code for lang in site.written)
    found = check_name(rel, path.name, suffix, written if KINDS[section].per_language else ())
    if isinstance(found, Diagnostic):
        return found
    return SourceFile(path, rel, section, found[0], found[1])


def discover(site: Site) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Return every content file under the site's content folder, in a stable order."""
    paths, problems = sources.walk(site.root, site.root / CONTENT_DIR, _IGNORED.search)
    found = []
    for path in sorted(paths):
        item = classify(site, path)
        if isinstance(item, SourceFile):
            found.append(item)
        elif item is not None:
            problems.append(item)
    return found, problems


def parse_document(src: SourceFile, text: str, site: Site) -> tuple[Document | None, list[Diagnostic]]:
    """Return the text of a kind with one file per language (an article, a page) in `text`, or every problem
    in its front matter."""
    parts, problems = frontmatter.split(src.rel, text)
    if parts is None:
        return None, problems
    meta, located, problems = schema.load(KINDS[src.section].schema, parts.meta, src.rel, parts.meta_line - 1,
                                          {"languages": site.codes})
    if meta is None:
        return None, problems
    if meta.summary is None:
        problems.append(warning(src.rel, 1, 1, "there is no summary",
                                'add "summary: ..." with one sentence: lists, feeds and search engines show it'))
    key = meta.translation_key or src.slug
    return Document(src.section, src.slug, src.lang, key, src.rel, meta, parts.body, parts.body_line, located), problems


def parse_project(src: SourceFile, text: str, site: Site) -> tuple[Project | None, list[Diagnostic]]:
    """Return the project sheet in `text`, or every problem in it."""
    sheet, located, problems = schema.load(KINDS[src.section].schema, text, src.rel, 0, {"languages": site.codes})
    return (Project(src.section, src.slug, src.rel, sheet, located) if sheet else None), problems


# The order is that of the folders in messages.
KINDS: dict[str, ContentKind] = {kind.name: kind for kind in (
    ContentKind("news", ".md", "articles", True, NewsMeta, parse_document, "article", "article", listed=True),
    ContentKind("pages", ".md", "pages", True, PageMeta, parse_document, "page", "page", in_menu=True),
    ContentKind("projects", ".yaml", "projects", False, ProjectSheet, parse_project, "project", "project"),
)}


def doc_url(doc: Document) -> str:
    """Return the URL of a text (an article, a page) in its language."""
    return url_for(KINDS[doc.section].url, doc.lang, doc.slug)


def sheet_url(project: Project, lang: str) -> str:
    """Return the URL of a project sheet in `lang`."""
    return url_for(KINDS[project.section].url, lang, project.id)


def parse_tags(site: Site) -> tuple[dict[str, str | dict[str, str]], list[Diagnostic]]:
    """Return the tag vocabulary of content/tags.yaml (tag id -> label, or label per language)."""
    path = site.root / CONTENT_DIR / TAGS_FILE
    if not sources.present(path):
        return {}, []
    text, problems = sources.read(site.root, path)
    if text is None:
        return {}, problems
    vocabulary, _, found = schema.load(schema.Vocabulary, text, sources.relative(site.root, path), 0,
                                       {"languages": site.codes})
    return (dict(vocabulary.root) if vocabulary else {}), problems + found


def parse_organisations(site: Site) -> tuple[dict[str, Organisation], list[Diagnostic]]:
    """Return the organisations of content/organisations.yaml by id, in the order of the file."""
    path = site.root / CONTENT_DIR / ORGANISATIONS_FILE
    if not sources.present(path):
        return {}, []
    text, problems = sources.read(site.root, path)
    if text is None:
        return {}, problems
    found, _, more = schema.load(schema.Organisations, text, sources.relative(site.root, path), 0,
                                 {"languages": site.codes})
    if found is None:
        return {}, problems + more
    return ({org_id: Organisation(org_id, entry.name, entry.acronym, entry.type, entry.iati_id, entry.website)
             for org_id, entry in found.root.items()}, problems + more)


def participants(project: Project, organisations: Mapping[str, Organisation]) -> tuple[Participant, ...]:
    """Return the organisations of a project with their roles, in the order of the sheet's keys (implementing
    agency, partners, donors); ids that are not known are left out (they are errors of the sheet)."""
    sheet, found = project.sheet, []
    for key, (role, _code) in ROLES.items():
        value = getattr(sheet, key)
        for org_id in ([value] if isinstance(value, str) else value or []):
            if org_id in organisations:
                found.append(Participant(role, organisations[org_id]))
    return tuple(found)


def check_organisations(projects: list[Project], organisations: Mapping[str, Organisation]) -> list[Diagnostic]:
    """Return an error for every organisation id a project sheet names that content/organisations.yaml has not."""
    problems = []
    for project in projects:
        for key in ROLES:
            value = getattr(project.sheet, key)
            ids = [((key,), value)] if isinstance(value, str) else [((key, i), v) for i, v in enumerate(value or [])]
            for at, org_id in ids:
                if org_id in organisations:
                    continue
                close = did_you_mean(org_id, organisations)
                hint = close if close.startswith("did you mean") else (
                    f"add it to {CONTENT_DIR}/{ORGANISATIONS_FILE} with its name first"
                    + (f" (the ids there: {', '.join(sorted(organisations))})" if organisations else ""))
                problems.append(error(project.path, *project.located.where(at),
                                      f'there is no organisation "{org_id}" in {CONTENT_DIR}/{ORGANISATIONS_FILE}',
                                      hint))
    return problems


def parse_all(site: Site, files: list[SourceFile], cache: Cache | None = None
              ) -> tuple[list[Document], list[Project], list[Diagnostic]]:
    """Return every article, page (drafts too: publish.py decides what a build shows) and project that parses,
    and every problem of every file; a file read before with the same bytes, name and site languages comes
    from `cache`."""
    documents, projects, problems = [], [], []
    for src in files:
        data, read_problems = sources.read_bytes(site.root, src.path, sources.MAX_TEXT_BYTES)
        problems += read_problems
        if data is None:
            continue
        digest = cache_key("source", src.rel, src.section, src.slug, src.lang, site.codes, data)
        parsed = cache.get("docs", digest) if cache else None
        if parsed is None:
            parsed = parse_source(site, src, data, digest)
            if cache:
                cache.put("docs", digest, parsed)
        item, found = parsed
        problems += found
        if isinstance(item, Project):
            projects.append(item)
        elif item is not None:
            documents.append(item)
    return documents, projects, problems


def parse_source(site: Site, src: SourceFile, data: bytes, digest: str
                 ) -> tuple[Document | Project | None, list[Diagnostic]]:
    """Return the article, page or project in the bytes of `src` (with `digest` as its content key)."""
    text, problems = sources.decode(src.rel, data)
    if text is None:
        return None, problems
    item, found = KINDS[src.section].parse(src, text, site)
    return (dataclasses.replace(item, digest=digest) if item else None), problems + found
