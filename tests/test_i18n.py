"""Interface catalogs, language data and Babel formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO
from dritare import config, i18n


@pytest.fixture(scope="module")
def site():
    loaded, problems = config.load(REPO)
    assert problems == []
    return loaded


def template_messages() -> set[str]:
    method_map = [("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    return {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(str(REPO), method_map, options_map=options)}


def test_languages_get_bcp47_tags_and_catalog_names_from_their_locales(site):
    assert [(l.code, l.locale, l.tag, l.catalog) for l in site.languages] == [
        ("sq", "sq_XK", "sq", "sq"), ("sr", "sr_Latn_XK", "sr-Latn", "sr_Latn"),
        ("sr-cyrl", "sr_Cyrl_XK", "sr-Cyrl", "sr_Cyrl"), ("en", "en_GB", "en", "en")]


@pytest.mark.parametrize("code", ["sq", "sr", "en"])
def test_every_interface_string_is_translated(site, code):
    lang = site.lang(code)
    catalog, warnings = i18n.compile_catalog(site, lang)
    assert catalog is not None and warnings == []
    with i18n.catalog_path(site, lang).open("rb") as fp:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fp) if m.id}  # a plural by its singular
    assert template_messages() <= ids


def test_catalogs_translate_for_real(site):
    sq, _ = i18n.compile_catalog(site, site.lang("sq"))
    sr, _ = i18n.compile_catalog(site, site.lang("sr"))
    assert sq.gettext("News") == "Lajmet" and sr.gettext("News") == "Vesti"


def test_untranslated_string_is_a_warning_with_its_line(site, tmp_path):
    po = tmp_path / "locales/en/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "News"\nmsgstr ""\n')
    other = config.Site(tmp_path, site.config, site.languages)
    catalog, [problem] = i18n.compile_catalog(other, site.lang("en"))
    assert catalog is not None
    assert (problem.line, problem.severity, problem.message) == (5, "warning", '"News" is not translated')


@pytest.mark.parametrize("code, date, money, share", [
    ("sq", "10 shkurt 2021", "535\xa0295,52\xa0€", "89,8%"),
    ("sr", "10. februar 2021.", "535.295,52\xa0€", "89,8%"),
    ("en", "10 February 2021", "€535,295.52", "89.8%"),
])
def test_dates_money_and_percentages_use_the_page_locale(site, code, date, money, share):
    fmt = i18n.Formatter(site, site.lang(code))
    assert fmt.date(dt.date(2021, 2, 10)) == date
    assert fmt.money(Decimal("535295.52"), "EUR") == money
    assert fmt.percent(Decimal("480963.02") / Decimal("535295.52")) == share


def test_language_names_are_given_in_the_page_language(site):
    assert i18n.Formatter(site, site.lang("sr")).language_name("sq") == "albanski"
    assert i18n.Formatter(site, site.lang("sq")).language_name("en") == "anglisht"


def test_multilingual_field_falls_back_and_keeps_its_real_language(site):
    fmt = i18n.Formatter(site, site.lang("en"))
    text = fmt.localize({"sq": "Projekti <b>", "sr": "Projekat"})
    assert (text.text, text.lang.code) == ("Projekti <b>", "sq")
    assert text.__html__() == '<span lang="sq">Projekti &lt;b&gt;</span>'
    assert fmt.localize("KOMF").__html__() == "KOMF"
