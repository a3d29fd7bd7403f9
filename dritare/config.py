"""site_config.yaml -> Site: languages as data, with their Babel locales and tags."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale, UnknownLocaleError

from . import schema, sources
from .errors import Diagnostic, error
from .schema import SiteConfig

CONFIG_FILE = "site_config.yaml"


@dataclass(frozen=True)
class Language:
    """One language of the site: its code in URLs and file names, and how Babel and HTML name it."""

    code: str
    locale: str
    name: str
    tag: str
    catalog: str
    derived_from: str | None = None  # the language whose texts this one is made from
    transform: str | None = None  # the name of the transform that makes it (translit.TRANSFORMS)
    script_name: str = ""  # its name in the script switcher
    keep: tuple[str, ...] = ()  # what the transform leaves as written


@dataclass(frozen=True)
class Site:
    """The validated configuration of one site."""

    root: Path
    config: SiteConfig
    languages: tuple[Language, ...]

    @property
    def default(self) -> Language:
        return self.lang(self.config.default_language)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def written(self) -> tuple[Language, ...]:
        """Return the languages written by hand (content files, the language switcher), not derived ones."""
        return tuple(lang for lang in self.languages if not lang.derived_from)

    def family(self, code: str) -> tuple[Language, ...]:
        """Return the language `code` is written in (or derived from) and the languages derived from it."""
        source = self.lang(code).derived_from or code
        return tuple(lang for lang in self.languages if source in (lang.code, lang.derived_from))

    @property
    def base_url(self) -> str:
        return self.config.base_url.rstrip("/")

    def lang(self, code: str) -> Language:
        """Return the language whose code is `code`."""
        return next(lang for lang in self.languages if lang.code == code)

    def fallback_order(self, code: str) -> tuple[str, ...]:
        """Return language codes to try for `code`: itself, the default, then the others in order."""
        source = self.lang(code).derived_from if code in self.codes else None
        first = [code, source] if source else [code]
        rest = [c for c in self.codes if c not in (*first, self.default.code)]
        return tuple(dict.fromkeys([*first, self.default.code, *rest]))


def language(code: str, locale_id: str, name: str, entry: schema.LanguageConfig | None = None) -> Language:
    """Return a Language, deriving its BCP 47 tag and catalog name from its Babel locale."""
    locale = Locale.parse(locale_id)
    tag = "-".join(p for p in (locale.language, locale.script) if p)
    catalog = "_".join(p for p in (locale.language, locale.script) if p)
    if entry is None or entry.derived_from is None:
        return Language(code, str(locale), name, tag, catalog, script_name=(entry.script_name if entry else None) or name)
    return Language(code, str(locale), name, tag, catalog, entry.derived_from, entry.transform,
                    entry.script_name or name, tuple(entry.keep_as_written))


def parse(root: Path, path: str, text: str) -> tuple[Site | None, list[Diagnostic]]:
    """Return the Site described by the YAML `text`, or every problem in it."""
    config, located, warnings = schema.load(SiteConfig, text, path)
    if config is None:
        return None, warnings
    languages, problems = [], []
    for code, entry in config.languages.items():
        line, col = located.where(("languages", code, "locale"))
        if not schema.SLUG_RE.match(code):
            problems.append(error(path, *located.where(("languages", code), key=True),
                                  f'"{code}" is not a language code', "use a short code such as sq, sr or en"))
            continue
        try:
            languages.append(language(code, entry.locale, entry.name, entry))
        except (ValueError, UnknownLocaleError):
            problems.append(error(path, line, col, f'"{entry.locale}" is not a locale Babel knows',
                                  "use a CLDR locale such as sq_XK, sr_Latn_XK or en"))
    if problems:
        return None, warnings + problems
    # A derived language's name is its source's, until the site gives it one of its own.
    titles = {code: config.title.get(code) or config.title[entry.derived_from]
              for code, entry in config.languages.items()}
    return Site(root, config.model_copy(update={"title": titles}), tuple(languages)), warnings


def load(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    """Return the Site configured by `root/site_config.yaml`."""
    path = root / CONFIG_FILE
    if not sources.present(path):
        return None, [error(CONFIG_FILE, 0, 0, f"no {CONFIG_FILE} in {root}",
                            "run the command from the site's folder or pass --site DIR")]
    text, problems = sources.read(root, path)
    if text is None:
        return None, problems
    site, more = parse(root, CONFIG_FILE, text)
    return site, problems + more


_WEB_ADDRESS = re.compile(r"https?://[^/\s]+(/\S*)?")


def with_base_url(site: Site, override: str | None) -> tuple[Site, list[Diagnostic]]:
    """Return `site` published at `override` (from --base-url or DRITARE_BASE_URL) instead of its configured
    base_url, or an error if `override` is not a web address."""
    if not override:
        return site, []
    if not _WEB_ADDRESS.fullmatch(override):
        return site, [error("--base-url", 0, 0, f'"{override}" is not a web address',
                            "write the whole address the site is published at, such as https://example.org/")]
    return replace(site, config=site.config.model_copy(update={"base_url": override})), []
