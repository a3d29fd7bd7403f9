"""Group articles and pages into translation sets, and check what they refer to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping

from .config import Site
from .content import KINDS, Document
from .errors import Diagnostic, did_you_mean, error, warning


@dataclass(frozen=True)
class TranslationSet:
    """One article or page in every language it exists in."""

    section: str
    key: str
    docs: Mapping[str, Document]

    def best(self, order: tuple[str, ...]) -> Document:
        """Return the document in the first language of `order` that exists."""
        return next(self.docs[code] for code in order if code in self.docs)

    @property
    def date(self) -> dt.date | None:
        return min((getattr(d.meta, "date", None) for d in self.docs.values()), default=None)


def link(site: Site, documents: list[Document]) -> tuple[list[TranslationSet], list[Diagnostic]]:
    """Return the translation sets of `documents`, in a stable order, and every clash."""
    groups: dict[tuple[str, str], dict[str, Document]] = {}
    problems = []
    for doc in sorted(documents, key=lambda d: d.path):
        group = groups.setdefault((doc.section, doc.key), {})
        if doc.lang in group:
            first = group[doc.lang]
            line, col = doc.located.where(("translation_key",), key=True) if doc.meta.translation_key else (0, 0)
            problems.append(error(doc.path, line, col,
                                  f'{first.path} is already the "{doc.lang}" text of "{doc.key}"',
                                  "a translation group has one file per language: give one of them "
                                  "another translation_key"))
            continue
        group[doc.lang] = doc
    sets = [TranslationSet(section, key, {c: docs[c] for c in site.codes if c in docs})
            for (section, key), docs in sorted(groups.items())]
    return sets, problems


def without(sets: list[TranslationSet], paths: frozenset[str]) -> list[TranslationSet]:
    """Return the translation sets less the documents at `paths`, and less the sets left empty."""
    kept = [TranslationSet(s.section, s.key, {c: d for c, d in s.docs.items() if d.path not in paths}) for s in sets]
    return [s for s in kept if s.docs]


def check_missing(site: Site, sets: list[TranslationSet]) -> list[Diagnostic]:
    """Return a warning for each language an article is missing from, when it is then not listed there."""
    if site.config.list_untranslated:
        return []
    return [warning(doc.path, 0, 0, f"there is no {site.lang(code).name} translation; "
                    f"the article does not appear in that language", "translate it, or ignore this warning")
            for tset in sets if KINDS[tset.section].listed
            for doc in [tset.best(site.codes)] for code in (w.code for w in site.written) if code not in tset.docs]


def check_references(sets: list[TranslationSet], project_ids: Iterable[str], tags: Iterable[str]) -> list[Diagnostic]:
    """Return an error for every project or tag a text names that does not exist (the kinds whose schema has
    a project and tags: news)."""
    ids, tags = set(project_ids), set(tags)
    return [problem for s in sets for doc in s.docs.values() for problem in _references(doc, ids, tags)]


def _references(doc: Document, ids: set[str], tags: set[str]) -> list[Diagnostic]:
    """Return an error for the project and every tag `doc` names that does not exist."""
    problems = []
    project = getattr(doc.meta, "project", None)
    if project and project not in ids:
        line, col = doc.located.where(("project",))
        problems.append(error(doc.path, line, col, f'there is no project "{project}"',
                              did_you_mean(project, ids).replace("valid keys", "projects")
                              or "add its sheet to content/projects/ first"))
    for index, tag in enumerate(getattr(doc.meta, "tags", ())):
        if tag not in tags:
            hint = did_you_mean(tag, tags).replace("valid keys", "tags")
            problems.append(error(doc.path, *doc.located.where(("tags", index)), f'the tag "{tag}" is not in '
                                  "content/tags.yaml", hint or "add it to content/tags.yaml with its labels"))
    return problems
