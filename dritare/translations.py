"""Group articles and pages into translation sets, and check what they refer to."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
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
    return sets, problems + check_unlinked(sets)


def check_unlinked(sets: list[TranslationSet]) -> list[Diagnostic]:
    """Return a warning for each text left alone by its translation_key: one that no other file uses (with the
    closest key that others use), or one whose file has the same name as a text in another language."""
    problems, keys = [], {}
    by_name: dict[tuple[str, str], list[tuple[TranslationSet, Document]]] = {}
    for tset in sets:
        for doc in tset.docs.values():
            by_name.setdefault((tset.section, doc.slug), []).append((tset, doc))
    for tset in sets:
        if len(tset.docs) != 1:
            continue
        doc = next(iter(tset.docs.values()))
        namesakes = [other for s, other in by_name[(tset.section, doc.slug)] if s is not tset and other.lang != doc.lang]
        if namesakes:
            problems.append(_namesake_warning(doc, namesakes))
        elif doc.meta.translation_key:
            problems.append(_lonely_key_warning(doc, keys.setdefault(tset.section, _keys(sets, tset.section))))
    return problems


def _keys(sets: list[TranslationSet], section: str) -> dict[str, TranslationSet]:
    """Return the keys of the texts of `section` (a slug where a text has no translation_key), with their sets."""
    return {s.key: s for s in sets if s.section == section}


def _key_place(doc: Document) -> tuple[int, int]:
    return doc.located.where(("translation_key",)) if doc.meta.translation_key else (0, 0)


def _namesake_warning(doc: Document, namesakes: list[Document]) -> Diagnostic:
    def key_of(d: Document) -> str:
        return f'translation_key "{d.key}"' if d.meta.translation_key else "no translation_key"
    there = "; ".join(f"{d.path} has {key_of(d)}" for d in namesakes)
    return warning(doc.path, *_key_place(doc),
                   f"this file has the same name as {', '.join(d.path for d in namesakes)} but is not linked to it as "
                   f"a translation: this file has {key_of(doc)}, {there}",
                   "give the translations the same translation_key, or leave translation_key out of all of them "
                   "(files with the same name are translations of each other)")


def _lonely_key_warning(doc: Document, keys: dict[str, TranslationSet]) -> Diagnostic:
    close = difflib.get_close_matches(doc.key, sorted(k for k in keys if k != doc.key), n=1, cutoff=0.6)
    hint = (f'did you mean "{close[0]}" (the key of {", ".join(d.path for d in keys[close[0]].docs.values())})?'
            if close else "give its translations the same translation_key, or leave it out until there is one")
    return warning(doc.path, *_key_place(doc), f'the translation_key "{doc.key}" is used by this file only, so no '
                   "translation is linked to it", hint)


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


def check_references(sets: list[TranslationSet], project_ids: Iterable[str],
                     tags: Mapping[str, str | Mapping[str, str]] | Iterable[str]) -> list[Diagnostic]:
    """Return an error for every project or tag a text names that does not exist (the kinds whose schema has
    a project and tags: news). `tags` is the vocabulary of content/tags.yaml (id -> label or labels), so that
    a label written for an id is answered with the id."""
    labels = tag_labels(tags) if isinstance(tags, Mapping) else {}
    ids, tags = set(project_ids), set(tags)
    return [problem for s in sets for doc in s.docs.values() for problem in _references(doc, ids, tags, labels)]


def folded(text: str) -> str:
    """Return `text` as it is compared with labels: lower case, without diacritics, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "dj").replace("Đ", "Dj")).casefold()
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace("-", " ").split())


def tag_labels(vocabulary: Mapping[str, str | Mapping[str, str]]) -> dict[str, str]:
    """Return each label of every tag (in every language), and each id, folded, with the tag's id."""
    found: dict[str, str] = {}
    for ident, label in sorted(vocabulary.items()):
        for text in ([label] if isinstance(label, str) else list(label.values())) + [ident]:
            found.setdefault(folded(text), ident)
    return found


def _tag_problem(doc: Document, index: int, tag: str, tags: set[str], labels: dict[str, str]) -> Diagnostic:
    """Return the error for a tag that is not an id of content/tags.yaml, with the id it most likely means."""
    where = doc.located.where(("tags", index))
    ident = labels.get(folded(tag))
    if ident:
        return error(doc.path, *where, f'"{tag}" is the label of the tag "{ident}", not its id',
                     f"write {ident}, as in tags: [{ident}]")
    close = difflib.get_close_matches(folded(tag), sorted(labels), n=1, cutoff=0.75)
    hint = (f'did you mean "{labels[close[0]]}"?' if close else
            did_you_mean(tag, tags).replace("valid keys", "tags") or "add it to content/tags.yaml with its labels")
    return error(doc.path, *where, f'the tag "{tag}" is not in content/tags.yaml', hint)


def _references(doc: Document, ids: set[str], tags: set[str], labels: dict[str, str]) -> list[Diagnostic]:
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
            problems.append(_tag_problem(doc, index, tag, tags, labels))
    return problems
