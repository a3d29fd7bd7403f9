"""The interface catalogs: every .po passes gettext's own check, has nothing fuzzy or untranslated, and matches
what the templates use; build.py i18n runs Babel's extract, update and init."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, copy_site_skeleton, run_cli
from harness import unavailable

CATALOGS = sorted(REPO.glob("locales/*/LC_MESSAGES/messages.po"))
# The Serbian Cyrillic catalog is derived from sr_Latn at every build; its file holds only the few entries
# written by hand to replace derived ones, so it is checked by msgfmt but not held to the template.
WRITTEN = [p for p in CATALOGS if p.parent.parent.name != "sr_Cyrl"]


def ids(path: Path) -> set:
    with open(path, "rb") as fp:
        return {m.id for m in read_po(fp) if m.id}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_passes_msgfmt_check(po, tmp_path):
    if shutil.which("msgfmt") is None:
        unavailable("msgfmt is not installed (Debian: apt-get install gettext)")
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "messages.mo"), str(po)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("po", WRITTEN, ids=lambda p: p.parent.parent.name)
def test_catalog_has_no_fuzzy_or_missing_entry(po):
    with open(po, "rb") as fp:
        catalog = read_po(fp)
    assert [m.id for m in catalog if m.id and (m.fuzzy or not m.string)] == []
    assert ids(po) == ids(REPO / "locales/messages.pot")


def test_three_catalogs_are_checked():
    assert {p.parent.parent.name for p in CATALOGS} >= {"sq", "sr_Latn", "en"}


@pytest.fixture
def copy(tmp_path):
    root = copy_site_skeleton(tmp_path / "site")
    shutil.copytree(REPO / "dritare", root / "dritare")
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    return root


def test_extract_and_update_find_nothing_new(copy):
    extract = run_cli("i18n", "extract", "--site", str(copy), timeout=120)
    assert extract.returncode == 0, extract.stderr
    assert "wrote locales/messages.pot" in extract.stdout
    assert ids(copy / "locales/messages.pot") == ids(REPO / "locales/messages.pot")
    update = run_cli("i18n", "update", "--site", str(copy), timeout=120)
    assert update.returncode == 0, update.stderr
    for po in CATALOGS:
        rel = po.relative_to(REPO)
        assert ids(copy / rel) == ids(po), rel


def test_a_new_string_in_a_template_reaches_every_catalog(copy):
    page = copy / "templates/page.html"
    page.write_text(page.read_text().replace("</article>", '<p>{{ _("A brand new string") }}</p>\n</article>'))
    assert run_cli("i18n", "extract", "--site", str(copy)).returncode == 0
    assert run_cli("i18n", "update", "--site", str(copy)).returncode == 0
    for po in copy.glob("locales/*/LC_MESSAGES/messages.po"):
        if po.parent.parent.name == "sr_Cyrl":  # derived from sr_Latn: only hand-written replacements, untouched
            assert "A brand new string" not in ids(po)
            assert ids(po) == ids(REPO / "locales/sr_Cyrl/LC_MESSAGES/messages.po")
        else:
            assert "A brand new string" in ids(po)


def test_init_makes_a_new_catalog(copy):
    assert run_cli("i18n", "extract", "--site", str(copy)).returncode == 0
    result = run_cli("i18n", "init", "de", "--site", str(copy))
    assert result.returncode == 0, result.stderr
    assert ids(copy / "locales/de/LC_MESSAGES/messages.po") == ids(copy / "locales/messages.pot")
    missing = run_cli("i18n", "init", "--site", str(copy))
    assert missing.returncode == 2 and "needs the catalog's locale" in missing.stderr
