"""build.py i18n extract | update | init LOCALE: Babel's own commands (pybabel), with the site's settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from .i18n import LOCALES_DIR

TEMPLATE = f"{LOCALES_DIR}/messages.pot"
MAPPING = "babel.cfg"
PROJECT = "Project Transparency in Kosovo"
WIDTH = "100"  # the width the catalogs are kept at, so that a refresh changes only what changed


def arguments(action: str, locale: str | None) -> list[str]:
    """Return pybabel's arguments for `action`, run from the site's folder (for update, `locale` limits it to
    one catalog)."""
    if action == "extract":
        # --sort-by-file and no line numbers in the header: the same templates give the same catalog template.
        return ["extract", "-F", MAPPING, "-o", TEMPLATE, "--sort-by-file", "--width", WIDTH, "--project", PROJECT, "--version", "1.0", "."]
    if action == "update":
        return ["update", "-i", TEMPLATE, "-d", LOCALES_DIR, "--no-fuzzy-matching", "--ignore-obsolete", "--width", WIDTH,
                *(["-l", locale] if locale else [])]
    return ["init", "-i", TEMPLATE, "-d", LOCALES_DIR, "-l", str(locale)]


def _derived_catalogs(site: Path) -> set[str]:
    """Return the catalog names of the site's derived languages (none if the configuration cannot be read)."""
    from . import config

    loaded, _problems = config.load(site.absolute())
    return {lang.catalog for lang in loaded.languages if lang.derived_from} if loaded else set()


def run(site: Path, action: str, locale: str | None) -> int:
    """Run pybabel's `action` in the site's folder and return the exit code."""
    if action == "init" and not locale:
        print("error: i18n init needs the catalog's locale, such as sr_Cyrl", file=sys.stderr)
        return 2
    if action != "extract" and not (site / TEMPLATE).is_file():
        print(f"{TEMPLATE}: error: there is no catalog template yet", file=sys.stderr)
        print("    hint: run python build.py i18n extract first", file=sys.stderr)
        return 1
    runs = [locale]
    if action == "update" and not locale:
        # The catalogs of the languages written by hand: a derived language's catalog (sr_Cyrl) is made from its
        # source's at every build, and its folder holds only the entries written to replace some of them.
        derived = _derived_catalogs(site)
        runs = sorted(p.parent.parent.name for p in (site / LOCALES_DIR).glob("*/LC_MESSAGES/messages.po")
                      if p.parent.parent.name not in derived) or [None]
    here = os.getcwd()
    os.chdir(site)
    try:
        for one in runs:
            CommandLineInterface().run(["pybabel", "-q", *arguments(action, one)])
    except SystemExit as stop:  # pybabel exits on a mistake of its own arguments (an unknown locale...)
        return int(stop.code or 0) if isinstance(stop.code, int) else 1
    except Exception as exc:  # Babel refuses, e.g., a locale it does not know
        print(f"error: pybabel {action}: {exc}", file=sys.stderr)
        return 1
    finally:
        os.chdir(here)
    if action == "extract":
        print(f"wrote {TEMPLATE}; next: python build.py i18n update")
    else:
        print(f"updated the catalogs in {LOCALES_DIR}/: translate the new and changed strings, then build")
    return 0
