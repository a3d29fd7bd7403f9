"""Derived languages (Serbian Cyrillic from Serbian Latin): their texts made from their source's at load time,
and every file of theirs transformed once it is made, whatever made it.

A derived language gets a copy of each text of its source language, with the same slug and translation key,
so that routes, listings, alternates, feeds and "not translated" markers come out of the graph as for any
language. Its pages are rendered like the others' (with its own catalog and locale) and their text is then
transformed here, in one place for every kind of page and file: text nodes and the attributes people read,
never addresses, code, or what is marked as another language."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Callable

from jinja2.utils import htmlsafe_json_dumps

from . import translit
from .cache import Cache
from .cache import key as cache_key
from .config import Language, Site
from .content import Document
from .produce import OutputFile
from .translations import TranslationSet

# --- the texts ----------------------------------------------------------------------------------------------------


def sets(site: Site, found: list[TranslationSet]) -> list[TranslationSet]:
    """Return the translation sets with a derived text beside every text of a language that has derived
    languages (and the -{...}- markers taken out of the texts written by hand)."""
    derived = [lang for lang in site.languages if lang.derived_from]
    if not derived:
        return found
    sources = {lang.derived_from for lang in derived}
    out = []
    for tset in found:
        docs = {code: _unmarked(doc) if code in sources else doc for code, doc in tset.docs.items()}
        for lang in derived:
            if lang.derived_from in tset.docs and lang.code not in docs:
                docs[lang.code] = derived_document(tset.docs[lang.derived_from], lang.code)
        out.append(TranslationSet(tset.section, tset.key, {c: docs[c] for c in site.codes if c in docs}))
    return out


def derived_document(doc: Document, code: str) -> Document:
    """Return the text `doc` as the text of the derived language `code`, with what -{...}- marks kept."""
    return _with_texts(doc, translit.kept, lang=code, derived=True)


def _unmarked(doc: Document) -> Document:
    return _with_texts(doc, translit.unmarked)


def _with_texts(doc: Document, change: Callable[[str], str], **fields) -> Document:
    meta = doc.meta
    texts = {name: change(getattr(meta, name)) for name in ("title", "summary")
             if isinstance(getattr(meta, name, None), str) and "-{" in getattr(meta, name)}
    body = change(doc.body)
    if not texts and body == doc.body and not fields:
        return doc
    return dataclasses.replace(doc, meta=meta.model_copy(update=texts) if texts else meta, body=body, **fields)


def key(site: Site) -> bytes:
    """Return what every derived page depends on besides its sources: each derived language's transform, its
    version and what it keeps as written (for the cache's key of every page)."""
    return repr([(lang.code, lang.derived_from, lang.transform, translit.TRANSFORMS[lang.transform].version,
                  lang.keep) for lang in site.languages if lang.derived_from]).encode()


# --- the files ----------------------------------------------------------------------------------------------------

def files(site: Site, made: list[OutputFile], cache: Cache | None = None) -> list[OutputFile]:
    """Return the files with those of derived languages (under their prefix) transformed, from `cache` where a
    file was transformed before with the same bytes (feeds are made again by every build; their text is not)."""
    derived = {f"{lang.code}/": lang for lang in site.languages if lang.derived_from}
    if not derived:
        return made
    out, version = [], key(site)
    for item in made:
        lang = next((lang for prefix, lang in derived.items() if item.path.startswith(prefix)), None)
        if lang is None:
            out.append(item)
            continue
        name = cache_key("derived file", version, lang.code, item.path, item.data)
        data = cache.get("blobs", name) if cache else None
        if not isinstance(data, bytes):  # not there, or a damaged entry
            data = transform_file(lang, item.path, item.data)
            if cache:
                cache.put("blobs", name, data)
        out.append(OutputFile(item.path, data))
    return out


def transform_file(lang: Language, path: str, data: bytes) -> bytes:
    """Return a file of the derived language `lang` transformed: HTML, Atom/XML and JSON by what they hold;
    any other file as it is."""
    text = data.decode("utf-8")
    if path.endswith((".html", ".htm")):
        text = html(lang, text)
    elif path.endswith(".xml"):
        text = xml(lang, text)
    elif path.endswith(".json"):
        text = json.dumps(_json(lang, json.loads(text)), ensure_ascii=False, sort_keys=True)
    return translit.released(text).encode("utf-8")


def _text(lang: Language) -> Callable[[str], str]:
    return translit.transformer(lang.transform, lang.keep).text


def _applies(lang: Language, value: str | None) -> bool:
    """Return whether text marked with the HTML `lang` value `value` is to be transformed: the language of the
    page in no script or in the page's own (sr, sr-Cyrl, sr-XK: yes; sr-Latn, to keep it as written, en: no)."""
    if value is None:
        return True
    parts, own = value.strip().lower().split("-"), lang.tag.lower().split("-")
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    return parts[0] == own[0] and script in (None, *own[1:])


# Elements whose text is never changed, and the attributes that are text people read.
_SKIP = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "svg", "math", "template"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_TEXT_ATTRS = re.compile(r'(\s(?:alt|title|aria-label|placeholder)=")([^"]*)(")')
_META_TEXT = re.compile(r'(\scontent=")([^"]*)(")')
_READ_META = frozenset({"description", "og:title", "og:description", "og:site_name", "twitter:title",
                        "twitter:description"})


class _Html(HTMLParser):
    """Rewrites an HTML page with the text of its source language transformed, everything else byte for byte."""

    def __init__(self, lang: Language):
        super().__init__(convert_charrefs=False)
        self.lang, self.text = lang, _text(lang)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool, bool]] = []  # (element, whether it is in the language, whether in code)
        self.json = False
        self.pending: list[str] = []  # text and character references, transformed together ("Roma &amp; ...")

    def flush(self) -> None:
        """Write the text read since the last tag."""
        if self.pending:
            data, self.pending = "".join(self.pending), []
            if self.json:
                self.out.append(str(htmlsafe_json_dumps(_json(self.lang, json.loads(data)), sort_keys=True)))
            else:
                self.out.append(self.text(data) if self._on() else data)

    def _on(self) -> bool:
        """Return whether the text read now is transformed: in the page's language, and not in code."""
        return self.stack[-1][1] and not self.stack[-1][2] if self.stack else True

    def _readable(self, values: dict) -> tuple[bool, bool]:
        """Return whether an element with the attributes `values` is in the page's language, and in code."""
        language, code = self.stack[-1][1:] if self.stack else (True, False)
        if "lang" in values:  # a part in the page's language inside one in another is the page's again
            language = _applies(self.lang, values["lang"])
        return language and values.get("translate") != "no", code

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.flush()
        raw = self.get_starttag_text() or ""
        values = dict(attrs)
        language, code = self._readable(values)
        if language and not code:
            raw = self._attributes(tag, raw, values)
        self.out.append(raw)
        self.json = tag == "script" and (values.get("type") or "") == "application/ld+json"
        if tag not in _VOID:
            self.stack.append((tag, language, code or tag in _SKIP))

    def _attributes(self, tag: str, raw: str, values: dict) -> str:
        def change(found: re.Match) -> str:
            return found.group(1) + self.text(found.group(2)) + found.group(3)
        raw = _TEXT_ATTRS.sub(change, raw)
        if tag == "meta" and (values.get("name") in _READ_META or values.get("property") in _READ_META):
            raw = _META_TEXT.sub(change, raw)
        return raw

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.flush()
        raw = self.get_starttag_text() or ""
        language, code = self._readable(dict(attrs))
        self.out.append(self._attributes(tag, raw, dict(attrs)) if language and not code else raw)

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        self.out.append(f"</{tag}>")
        self.json = False
        for index in range(len(self.stack) - 1, -1, -1):  # an element left open inside it ends with it
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self.pending.append(data)

    def handle_entityref(self, name: str) -> None:
        self.pending.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.pending.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.flush()
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.flush()
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.flush()
        self.out.append(f"<![{data}]>")


def html(lang: Language, text: str) -> str:
    """Return an HTML page or fragment with its text in the derived language `lang`."""
    parser = _Html(lang)
    parser.feed(text)
    parser.close()
    parser.flush()
    return "".join(parser.out)


# JSON keys whose values are addresses, codes or names of things, never text to read.
_JSON_KEEP = frozenset({"@context", "@type", "@id", "url", "mainEntityOfPage", "inLanguage", "datePublished",
                        "dateModified", "value", "unitText", "currency", "sameAs", "image", "logo", "id", "href",
                        "path", "lang", "language", "slug", "tag", "date", "updated", "email"})


def _json(lang: Language, value, name: str = ""):
    """Return a JSON value with its strings transformed, except the values of addresses, codes and dates."""
    if isinstance(value, dict):
        return {k: value[k] if k in _JSON_KEEP else _json(lang, value[k], k) for k in value}
    if isinstance(value, list):
        return [_json(lang, item, name) for item in value]
    if isinstance(value, str):
        return _text(lang)(value)
    return value


# Atom elements whose text is an address, an id or a time.
_XML_KEEP = frozenset({"id", "published", "updated", "uri", "icon", "logo", "email", "loc", "lastmod"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml(lang: Language, text: str) -> str:
    """Return an Atom feed (or other XML) with the text of its source language transformed: element text and
    `title`/`label` attributes; an element of type "html" has its HTML transformed as a page's."""
    declaration, _, body = text.partition("\n") if text.startswith("<?xml") else ("", "", text)
    root = ET.fromstring(body)
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    _xml_element(lang, root, True)
    if namespace:  # written back as it was: one default namespace on the root, as the feeds write it
        for element in root.iter():
            element.tag = element.tag.removeprefix("{" + namespace + "}")
        root.attrib = {"xmlns": namespace, **root.attrib}
    data = ET.tostring(root, encoding="unicode")
    return (declaration + "\n" if declaration else "") + data + ("\n" if text.endswith("\n") else "")


def _xml_element(lang: Language, element: ET.Element, on: bool) -> None:
    if _XML_LANG in element.attrib:
        on = _applies(lang, element.attrib[_XML_LANG])
    local = element.tag.rpartition("}")[2]
    text = _text(lang)
    if on:
        for name in ("title", "label"):
            if name in element.attrib:
                element.attrib[name] = text(element.attrib[name])
        if element.text and local not in _XML_KEEP:
            element.text = html(lang, element.text) if element.get("type") in ("html", "xhtml") else text(
                element.text)
    for child in element:
        _xml_element(lang, child, on)
        if on and child.tail and child.tail.strip():
            child.tail = text(child.tail)
