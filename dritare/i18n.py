"""Translations of the interface (gettext catalogs compiled at build time) and Babel formatting."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import re
import traceback
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from . import dates, sources, translit, urls
from .config import Language, Site
from .errors import Diagnostic, error, warning

LOCALES_DIR = "locales"
MAX_PLURALS = 6  # the most plural forms a language has in CLDR (Arabic)
TEMPLATES_DIR = "templates"


def catalog_path(site: Site, lang: Language) -> Path:
    """Return the .po file that translates the interface into `lang`."""
    return site.root / LOCALES_DIR / lang.catalog / "LC_MESSAGES" / "messages.po"


def compile_catalog(site: Site, lang: Language) -> tuple[Translations | None, list[Diagnostic]]:
    """Return the compiled catalog of `lang` and a warning per untranslated or fuzzy string, or its errors."""
    if lang.derived_from:
        return derived_catalog(site, lang)
    path = catalog_path(site, lang)
    rel = path.relative_to(site.root).as_posix()
    if not path.exists():
        return None, [error(rel, 0, 0, f"there is no interface catalog for {lang.name}",
                            "create it with: pybabel init -i locales/messages.pot -d locales -l " + lang.catalog)]
    data, problems = sources.read_bytes(site.root, path)
    if data is None:
        return None, problems
    catalog, problems = parse_catalog(rel, data, lang)
    if catalog is None:
        return None, problems
    warnings = [warning(rel, m.lineno, 0, f'"{m.id}" is {"fuzzy" if m.fuzzy else "not translated"}',
                        "translate it in Poedit or Weblate, then clear the fuzzy mark")
                for m in catalog if m.id and (m.fuzzy or not m.string)]
    translations, problems = _compile(rel, data, catalog, lang)
    return translations, problems + warnings


def derived_catalog(site: Site, lang: Language) -> tuple[Translations | None, list[Diagnostic]]:
    """Return the catalog of a derived language: its source's, every translation transformed, then the
    entries of its own catalog (if it has one, written by hand) in their place. The source's catalog reports
    its own problems."""
    source = site.lang(lang.derived_from)
    path = catalog_path(site, source)
    data = sources.read_bytes(site.root, path)[0] if path.exists() else None
    catalog = parse_catalog(path.relative_to(site.root).as_posix(), data, source)[0] if data is not None else None
    if catalog is None:
        return None, []
    transform = translit.transformer(lang.transform, lang.keep, placeholders=True).text
    strings = {}
    for message in catalog:
        if message.id and message.string and not message.fuzzy:
            strings[message.id, message.context] = (tuple(map(transform, message.string))
                                                    if isinstance(message.string, tuple) else transform(message.string))
    problems: list[Diagnostic] = []
    own = catalog_path(site, lang)
    if own.exists():
        rel = own.relative_to(site.root).as_posix()
        own_data, problems = sources.read_bytes(site.root, own)
        mine, found = parse_catalog(rel, own_data, lang) if own_data is not None else (None, [])
        problems += found
        strings.update({(m.id, m.context): m.string for m in mine or () if m.id and m.string and not m.fuzzy})
    derived = Catalog(locale=lang.locale, charset="utf-8")
    for (msgid, context), string in strings.items():
        derived.add(msgid, string, context=context)
    translations, more = _compile(own.relative_to(site.root).as_posix(), b"", derived, lang)
    return translations, problems + more


def parse_catalog(rel: str, data: bytes, lang: Language) -> tuple[Catalog | None, list[Diagnostic]]:
    """Return the catalog in `data`, or an error for each header field and translation that cannot work."""
    problems = _header_problems(rel, data, lang)
    if problems:
        return None, problems
    try:
        catalog = read_po(io.BytesIO(data), locale=lang.locale, abort_invalid=True)
    except UnicodeDecodeError as exc:
        return None, sources.decode(rel, data)[1] or [
            error(rel, _header_line(data, "content-type"), 0, f"the text is not in the charset the header names: {exc}",
                  _header_hint("content-type", lang))]
    except (PoFileError, ValueError, LookupError) as exc:
        line = exc.lineno + 1 if isinstance(exc, PoFileError) else 0  # Babel counts lines from 0
        text = str(exc).removesuffix(f" on {exc.lineno}") if line else str(exc)
        return None, [error(rel, line, 0, f"the catalog cannot be read: {text}", _SAVE)]
    problems = placeholder_problems(rel, catalog)
    return (None if problems else catalog), problems


_SAVE = "open it in Poedit, fix what it marks, and save"
_LONE_PERCENT = "it has a % sign that is not part of a placeholder"
_PLACEHOLDERS = ("copy every placeholder such as %(language)s from the msgid exactly as it is, translate only the "
                 "words around it, and write a percent sign as %%")


def _compile(rel: str, data: bytes, catalog: Catalog, lang: Language) -> tuple[Translations | None, list[Diagnostic]]:
    """Return the catalog compiled as gettext reads it, or an error at the header gettext refuses."""
    buffer = io.BytesIO()
    try:
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer), []
    except UnicodeError as exc:
        return None, [error(rel, _header_line(data, "content-type"), 0, f"the catalog cannot be compiled: {exc}",
                            _header_hint("content-type", lang))]
    except ValueError as exc:  # gettext refuses the Plural-Forms expression
        return None, [error(rel, _header_line(data, "plural-forms"), 0, f"the catalog cannot be compiled: {exc}",
                            _header_hint("plural-forms", lang))]


def _header_problems(rel: str, data: bytes, lang: Language) -> list[Diagnostic]:
    """Return an error for each header field that Babel cannot use (unknown charset, nplurals, locale, date)."""
    problems = []
    for line, name, value in header_fields(data):
        catalog = Catalog(locale=lang.locale)
        try:
            catalog.mime_headers = [(name, value)]
            codecs.lookup(catalog.charset)
            # Babel fills every plural message out to nplurals translations: a huge number would never finish.
            if name.lower() == "plural-forms" and not 1 <= catalog.num_plurals <= MAX_PLURALS:
                raise ValueError(f"nplurals={catalog.num_plurals}, but a language has from 1 to {MAX_PLURALS} "
                                 "plural forms")
        except (ValueError, LookupError, UnknownLocaleError) as exc:
            problems.append(error(rel, line, 0, f'the header "{name}: {value}" is wrong: {exc}',
                                  _header_hint(name.lower(), lang)))
    return problems


def header_fields(data: bytes) -> list[tuple[int, str, str]]:
    """Return (line, name, value) for each field of the catalog header, the msgstr of the first message."""
    fields, pending, start, inside = [], "", 0, False
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        line = line.strip()
        if not inside:
            inside = line == 'msgstr ""'
            continue
        if not line.startswith('"'):
            break
        start, pending = start if pending else number, pending + unescape(line)
        while "\n" in pending:
            field, pending = pending.split("\n", 1)
            fields.append((start, field))
            start = number
    fields += [(start, pending)] if pending else []
    return [(line, name.strip(), value.strip()) for line, (name, _, value) in
            ((line, field.partition(":")) for line, field in fields)]


def _header_line(data: bytes, name: str) -> int:
    return next((line for line, field, _ in header_fields(data) if field.lower() == name), 0)


def _header_hint(name: str, lang: Language) -> str:
    if name == "content-type":
        return 'write "Content-Type: text/plain; charset=UTF-8\\n" (Poedit and Weblate save UTF-8)'
    if name == "plural-forms":
        return f'write "Plural-Forms: {get_plural(lang.locale).plural_forms}\\n", the rule for {lang.name}'
    if name == "language":
        return f'write "Language: {lang.catalog}\\n"'
    return "correct or delete this line of the header (in Poedit: Catalog > Properties)"


def placeholder_problems(rel: str, catalog: Catalog) -> list[Diagnostic]:
    """Return an error for each translation whose placeholders do not fit its msgid's: Jinja fills every
    interface string with `%`, so a renamed or retyped placeholder would fail on the page."""
    checked = {message.lineno: [str(e) for e in errors] for message, errors in catalog.check()}
    problems = []
    for message in (m for m in catalog if m.id and m.string and not m.fuzzy):
        for reason in checked.get(message.lineno) or _unfilled(message):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            problems.append(error(rel, message.lineno, 0, f'the translation of "{msgid}" does not fit: {reason}',
                                  _PLACEHOLDERS))
    return problems


def _unfilled(message: Message) -> list[str]:
    """Return why a translation cannot be filled in with its msgid's placeholders, as Jinja fills it."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    sample = _Placeholders({name: 1 if kind in "diouxXeEfFgGc" else "x"
                            for msgid in ids for name, _, kind in PYTHON_FORMAT.findall(msgid) if name})
    sample.update(num=1, context="x")
    for text in [message.string] if isinstance(message.string, str) else message.string:
        try:
            text % sample
        except KeyError as exc:
            return [f"unknown named placeholder {exc}"]
        except ValueError:  # Python's words for it: "incomplete format", "unsupported format character"
            return [_LONE_PERCENT]
        except TypeError as exc:
            return [str(exc)]
    return []


class _Placeholders(dict):
    """Sample values for a msgid's placeholders; Python gives the whole mapping to a `%` without a name."""

    def _lone(self) -> Any:
        raise ValueError(_LONE_PERCENT)

    __str__ = __repr__ = __int__ = __float__ = __index__ = _lone


@dataclass(frozen=True)
class Localized:
    """A text from a multilingual field, and the language it is actually in."""

    text: str
    lang: Language
    page_lang: Language | None

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        if self.page_lang is None or self.lang.code == self.page_lang.code:
            return str(escape(self.text))
        return f'<span lang="{escape(self.lang.tag)}">{escape(self.text)}</span>'


class Formatter:
    """Dates, numbers, money and multilingual fields for one page language, through Babel only."""

    def __init__(self, site: Site, lang: Language):
        self.site, self.lang, self.locale = site, lang, Locale.parse(lang.locale)

    def date(self, value: dt.date, form: str = "long") -> str:
        return dates.show(value, form, self.locale)

    def money(self, amount: Decimal, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale)

    def percent(self, ratio: Decimal, digits: int = 1) -> str:
        return format_percent(ratio, "#,##0." + "0" * digits + "%", locale=self.locale, decimal_quantization=True)

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.locale)

    def language_name(self, code: str) -> str:
        """Return the name of the site language `code` in this page's language."""
        other = Locale.parse(self.site.lang(code).locale)
        return self.locale.languages.get(other.language, self.site.lang(code).name)

    def reviewed(self, flag: bool | dict[str, bool]) -> bool:
        """Return whether the text of a field marked `translation_reviewed` is reviewed in this language."""
        if isinstance(flag, bool):
            return flag
        return flag.get(self.lang.code, flag.get(self.lang.derived_from or self.lang.code, True))

    def localize(self, value: str | dict[str, str] | None) -> Localized | None:
        """Return a multilingual field in this language, or in the first language it exists in."""
        if value is None:
            return None
        derived = self.lang.derived_from
        if isinstance(value, str):  # a proper name, the same in every language: a derived one keeps it too
            return Localized(translit.kept(value, whole=True) if derived else translit.unmarked(value), self.lang, None)
        code = next(c for c in self.site.fallback_order(self.lang.code) + tuple(value) if c in value)
        if not derived:
            return Localized(translit.unmarked(value[code]), self.site.lang(code) if code in self.site.codes else self.lang,
                             self.lang)
        if code in (self.lang.code, derived):  # its own text, or the one it is made from
            return Localized(translit.kept(value[code]), self.lang, self.lang)
        return Localized(translit.kept(value[code], whole=True), self.site.lang(code) if code in self.site.codes
                         else self.lang, self.lang)


class TemplateFileError(jinja2.TemplateError):
    """A template that cannot be read as text; it carries the error to show."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class TemplateLoader(jinja2.FileSystemLoader):
    """Templates from the site's templates/ folder: ordinary UTF-8 files only, anything else a clear error."""

    def __init__(self, root: Path):
        super().__init__(root / TEMPLATES_DIR)
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = Path(self.searchpath[0], *split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        data, problems = sources.read_bytes(self.root, path)
        text, problems = (None, problems) if data is None else sources.decode(sources.relative(self.root, path), data)
        if text is None:
            raise TemplateFileError(problems[0])
        return text, str(path), lambda: True  # an environment lives for one build: no reloading


def environment(site: Site, fmt: "Formatter", translations: Translations) -> jinja2.Environment:
    """Return the Jinja environment for pages in the formatter's language: autoescaped, strict, translated."""
    env = jinja2.Environment(
        loader=TemplateLoader(site.root),
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(**escaped_gettext(translations), newstyle=True)
    env.filters.update(date=fmt.date, money=fmt.money, percent=fmt.percent, number=fmt.number)
    env.globals.update(t=fmt.localize, language_name=fmt.language_name, language=site.lang, reviewed=fmt.reviewed)
    page_url = urls.in_language(fmt.lang.code, site.codes)

    def url(kind: str, *args: object, **options: Any) -> str:
        """Return the URL of a page of the site (see urls.in_language)."""
        try:
            return page_url(kind, *args, **options)
        except urls.UrlError as exc:  # a mistake in the template, reported at its line like any other
            raise jinja2.TemplateRuntimeError(str(exc)) from None

    env.globals["url"] = url
    return env


def escaped_gettext(translations: Translations) -> dict[str, Callable[..., Markup]]:
    """Return gettext, ngettext, pgettext and npgettext giving translations as escaped text, for Jinja."""
    # Jinja's own new-style gettext trusts a translation as HTML; a translator writes words, not markup, and
    # anyone on the translation platform could otherwise put a <script> on every page.
    def escaping(translate: Callable[..., str]) -> Callable[..., Markup]:
        return lambda *args: escape(translate(*args))

    return {name: escaping(getattr(translations, name)) for name in ("gettext", "ngettext", "pgettext", "npgettext")}


def check_templates(env: jinja2.Environment, catalogs: dict[str, Translations],
                    extra: Iterable[str] = ()) -> tuple[None, list[Diagnostic]]:
    """Return an error for every template that does not compile, and a warning for every interface
    string a template uses that a catalog lacks (the catalogs need `pybabel extract` and `update`)."""
    root = env.loader.root
    folder = root / TEMPLATES_DIR
    # The one safe walk: links out of the site, pipes and unreadable entries are errors, never followed or opened.
    paths, problems = sources.walk(root, folder, sources.EDITOR_LEFTOVERS.search)
    for name in (p.relative_to(folder).as_posix() for p in paths if p.suffix in (".html", ".xml")):
        try:
            env.get_template(name)
            source = env.loader.get_source(env, name)[0]
        except Exception as exc:  # a template is code from the site's folder: any failure is its error
            problems.append(template_error(exc, env.loader.searchpath[0], name))
            continue
        used = [(line, message) for line, _, message in env.extract_translations(source) if isinstance(message, str)]
        problems += _missing(f"{TEMPLATES_DIR}/{name}", used, catalogs)
    return None, problems + _missing("", [(0, m) for m in extra], catalogs)


_TEMPLATE_HINTS: tuple[tuple[type[BaseException], str], ...] = (
    (jinja2.UndefinedError, "check the names the template uses against what the page receives"),
    (jinja2.TemplateNotFound, "check the template name in the extends, include or import tag against templates/"),
    (RecursionError, "a macro, include or block calls itself without end: make it stop (an if around the call)"),
    (jinja2.TemplateSyntaxError, "see the Jinja documentation for this tag or expression"),
)


def template_error(exc: Exception, folder: str | Path, name: str, url: str = "") -> Diagnostic:
    """Return the error a template raised, at the template line that raised it (`url`: the page rendered)."""
    if isinstance(exc, TemplateFileError):
        return exc.diagnostic
    where, line = _template_line(exc, Path(folder)) or (name, 0)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = (exc.name or where), exc.lineno
    text = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{exc} ({type(exc).__name__})"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        text = exc.message or "syntax error"
    elif isinstance(exc, jinja2.TemplateNotFound):
        text = f'there is no template "{exc.name}"'
    hint = next((h for kind, h in _TEMPLATE_HINTS if isinstance(exc, kind)), "correct the expression on this line")
    return error(f"{TEMPLATES_DIR}/{where}", line, 0, f"{text} (on {url})" if url else text, hint)


def _template_line(exc: BaseException, folder: Path) -> tuple[str, int] | None:
    """Return the template and line of the innermost template frame of `exc` (Jinja rewrites tracebacks so
    that a template's frames carry its file name and line)."""
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(folder):
            found = (path.relative_to(folder).as_posix(), line)
    return found


_ON_PAGE = re.compile(r"^(?P<text>.*) \(on \S+\)$", re.DOTALL)


def merge_repeats(problems: list[Diagnostic]) -> list[Diagnostic]:
    """Return the problems with a template error that repeats on many pages given once, with a count."""
    groups: dict[Diagnostic, list[Diagnostic]] = {}
    for problem in problems:
        page = _ON_PAGE.match(problem.message)
        groups.setdefault(replace(problem, message=page["text"]) if page else problem, []).append(problem)
    return [same[0] if len(same) == 1 or not _ON_PAGE.match(same[0].message) else
            replace(same[0], message=same[0].message[:-1] + f" and {len(same) - 1} other page{'s' * (len(same) > 2)})")
            for same in groups.values()]


def _missing(path: str, used: list[tuple[int, str]], catalogs: dict[str, Translations]) -> list[Diagnostic]:
    return [warning(path or LOCALES_DIR, line, 0, f'"{message}" is missing from the {code} catalog',
                    "run pybabel extract and pybabel update (see the README), then translate it")
            for code, catalog in catalogs.items() for line, message in used if message not in message_ids(catalog)]


def message_ids(translations: Translations) -> frozenset[str]:
    """Return the messages a compiled catalog has (gettext keeps them in its catalog dictionary)."""
    return frozenset(key for key in translations._catalog if isinstance(key, str) and key)


def markup(html: str) -> Markup:
    """Return HTML that the build produced and sanitised itself, marked safe for templates."""
    return Markup(html)
