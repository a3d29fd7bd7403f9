"""Translations of the interface (gettext catalogs compiled at build time) and Babel formatting."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations
from markupsafe import Markup, escape

from .config import Language, Site
from .errors import Diagnostic, error, warning

LOCALES_DIR = "locales"
TEMPLATES_DIR = "templates"


def catalog_path(site: Site, lang: Language) -> Path:
    """Return the .po file that translates the interface into `lang`."""
    return site.root / LOCALES_DIR / lang.catalog / "LC_MESSAGES" / "messages.po"


def compile_catalog(site: Site, lang: Language) -> tuple[Translations | None, list[Diagnostic]]:
    """Return the compiled catalog of `lang`, a warning per untranslated or fuzzy string."""
    path = catalog_path(site, lang)
    rel = path.relative_to(site.root).as_posix()
    if not path.is_file():
        return None, [error(rel, 0, 0, f"there is no interface catalog for {lang.name}",
                            "create it with: pybabel init -i locales/messages.pot -d locales -l " + lang.catalog)]
    try:
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=lang.locale, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        return None, [error(rel, getattr(exc, "lineno", 0), 0, f"the catalog cannot be read: {exc}",
                            "open it in Poedit, fix what it marks, and save")]
    problems = [warning(rel, m.lineno, 0, f'"{m.id}" is {"fuzzy" if m.fuzzy else "not translated"}',
                        "translate it in Poedit or Weblate, then clear the fuzzy mark")
                for m in catalog if m.id and (m.fuzzy or not m.string)]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer), problems


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
        return format_date(value, form, locale=self.locale)

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
        return flag if isinstance(flag, bool) else flag.get(self.lang.code, True)

    def localize(self, value: str | dict[str, str] | None) -> Localized | None:
        """Return a multilingual field in this language, or in the first language it exists in."""
        if value is None:
            return None
        if isinstance(value, str):
            return Localized(value, self.lang, None)
        code = next(c for c in self.site.fallback_order(self.lang.code) + tuple(value) if c in value)
        return Localized(value[code], self.site.lang(code) if code in self.site.codes else self.lang, self.lang)


def environment(site: Site, fmt: "Formatter", translations: Translations) -> jinja2.Environment:
    """Return the Jinja environment for pages in the formatter's language: autoescaped, strict, translated."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(site.root / TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(date=fmt.date, money=fmt.money, percent=fmt.percent, number=fmt.number)
    env.globals.update(t=fmt.localize, language_name=fmt.language_name, language=site.lang, reviewed=fmt.reviewed)
    return env


def check_templates(env: jinja2.Environment, catalogs: dict[str, Translations],
                    extra: Iterable[str] = ()) -> tuple[None, list[Diagnostic]]:
    """Return an error for every template that does not compile, and a warning for every interface
    string a template uses that a catalog lacks (the catalogs need `pybabel extract` and `update`)."""
    problems = []
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(error(f"{TEMPLATES_DIR}/{name}", exc.lineno, 0, exc.message or "syntax error"))
            continue
        source = env.loader.get_source(env, name)[0]
        used = [(line, message) for line, _, message in env.extract_translations(source) if isinstance(message, str)]
        problems += _missing(f"{TEMPLATES_DIR}/{name}", used, catalogs)
    return None, problems + _missing("", [(0, m) for m in extra], catalogs)


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
