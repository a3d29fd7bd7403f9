"""Whether a translation is out of date: its source's text changed after it was made.

A translation records what it was made from (`translated_from: {lang: sq, hash: 1a2b3c4d}`): the language
of its source in its translation set and a short hash of the source's text (title, summary and body) then."""

from __future__ import annotations

import hashlib
from typing import Mapping

from .config import Language, Site
from .content import Document


def text_hash(doc: Document) -> str:
    """Return the short hash of what a translator translates of `doc`: its title, summary and body."""
    body = "\n".join(line.rstrip() for line in doc.body.strip().splitlines())
    text = "\x00".join((doc.meta.title, doc.meta.summary or "", body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def source_of(doc: Document, docs: Mapping[str, Document]) -> Document | None:
    """Return the text `doc` was translated from, among the texts of its set `docs`, if it says and it exists."""
    made_from = doc.meta.translated_from
    return docs.get(made_from.lang) if made_from and made_from.lang != doc.lang else None


def outdated(doc: Document, docs: Mapping[str, Document]) -> str | None:
    """Return the language of the source `doc` was translated from if that source changed since, else None."""
    source = source_of(doc, docs)
    return source.lang if source is not None and text_hash(source) != doc.meta.translated_from.hash else None


def written_languages(site: Site) -> tuple[Language, ...]:
    """Return the languages people write and translate in: all but those derived from another (a Serbian
    Cyrillic edition made from the Latin one has `derived_from` in the configuration)."""
    return tuple(lang for lang in site.languages if not _derived(site, lang))


def _derived(site: Site, lang: Language) -> bool:
    entry = site.config.languages.get(lang.code)
    return bool(getattr(lang, "derived_from", None) or getattr(entry, "derived_from", None))
