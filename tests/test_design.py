"""The layout as built: footer, menus, separators, wording and the site's own settings, read back as HTML."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, article, parse_html, run_cli

LANGS = ("sq", "sr", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_footer_links_the_accessibility_statement_and_privacy_note_not_the_menu(real_pages, lang):
    """Every page's footer leads to the accessibility statement and the privacy note; the main menu does not."""
    for url in (f"/{lang}/", f"/{lang}/news/kosint-2020-launch/", f"/{lang}/projects/kosint-2020/"):
        page = real_pages[url]
        footer = [a["href"] for a in page.select("footer.site-footer a")]
        menu = [a["href"] for a in page.select("nav.sections a")]
        for target in (f"/{lang}/accessibility/", f"/{lang}/privacy/"):
            assert target in footer and target not in menu, (url, footer, menu)
        assert f"/{lang}/about/" in menu


@pytest.mark.parametrize("lang", LANGS)
def test_footer_says_there_is_no_tracking_and_names_no_unset_publisher(real_pages, lang):
    """The footer states that there are no cookies and no tracking; with no publisher configured it names none."""
    text = real_pages[f"/{lang}/"].select_one("footer.site-footer").get_text(" ", strip=True)
    assert {"sq": "nuk vendos cookies", "sr": "ne postavlja kolačiće", "en": "sets no cookies"}[lang] in text
    assert "..." not in text and "example" not in text


def test_no_page_separates_items_with_middle_dots(real_pages):
    """Lists are lists: no visible "·" text is left to start a line when items wrap (the <title> may keep one)."""
    found = [url for url, page in real_pages.items() if "·" in page.body.get_text()]
    assert found == []


def test_the_menu_opens_without_javascript_and_is_one_navigation(real_pages):
    """The main menu is one <nav> inside a <details> whose <summary> opens it on phones, with no script."""
    page = real_pages["/en/news/"]
    [nav] = page.select("nav.sections")
    assert nav.find_parent("details") is not None and nav.find_parent("details").summary.get_text(strip=True) == "Menu"
    assert page.find("script", src=True) is None


def test_article_puts_its_project_box_and_tags_beside_the_text(real_pages):
    """The project box and the tags are in the column beside the article's main one (after <main>)."""
    page = real_pages["/en/news/kosint-2020-launch/"]
    side = page.select_one("div.page.with-aside > div.side")
    assert side.select_one("aside.project-box a")["href"] == "/en/projects/kosint-2020/"
    assert side.select("ul.tags a") and not page.select("main ul.tags")


def test_pages_link_the_logo_and_the_favicon(real_pages, real_site):
    """Every page shows the logo and names it as the favicon; both are the one SVG file of the site."""
    page = real_pages["/sr/"]
    icon = page.find("link", rel="icon")
    assert icon["type"] == "image/svg+xml" and icon["href"].startswith("/static/logo.svg?v=")
    assert page.select_one("a.brand img")["src"] == icon["href"]
    assert (real_site / "static" / "logo.svg").read_bytes().startswith(b"<svg")


def test_albanian_interface_says_uebfaqe_for_website():
    """The Albanian catalog uses one word for "website": uebfaqe, never "sajt" or "faqe interneti"."""
    with open(REPO / "locales" / "sq" / "LC_MESSAGES" / "messages.po", "rb") as fp:
        catalog = read_po(fp)
    texts = [m.string for m in catalog if m.id and isinstance(m.string, str)]
    assert not [t for t in texts if re.search(r"\bsajt|faqe interneti", t, re.I)]
    assert any("uebfaqe" in t for t in texts)


FOOTER_CONFIG = """
publisher: {sq: Zyra e botuesit, sr: Kancelarija izdavača, en: The publisher's office}
contact: info@example.org
licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}
"""


def test_publisher_contact_and_licence_from_the_config_are_in_every_footer(site_factory):
    """publisher, contact and licence of site_config.yaml are shown, in the page's language, in the footer."""
    root = site_factory({"content/news/a.sq.md": article()})
    with open(root / "site_config.yaml", "a", encoding="utf-8") as fp:
        fp.write(FOOTER_CONFIG)
    result = run_cli("build", "--site", str(root), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    footer = parse_html(root / "public" / "en" / "index.html").select_one("footer.site-footer")
    text = footer.get_text(" ", strip=True)
    assert "Published by The publisher's office" in text
    assert footer.find("a", href="mailto:info@example.org")
    assert footer.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Botues: Zyra e botuesit" in parse_html(root / "public" / "sq" / "index.html").get_text(" ")


def test_a_contact_that_is_neither_mail_nor_web_address_is_an_error(site_factory):
    """contact: must be an e-mail address or a web address; anything else is an error at its line."""
    root = site_factory({"content/news/a.sq.md": article()})
    with open(root / "site_config.yaml", "a", encoding="utf-8") as fp:
        fp.write("contact: call us\n")
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    assert re.search(r"site_config\.yaml:\d+:\d+: error: contact: .*an e-mail address or a web address", result.stdout
                     + result.stderr), result.stdout + result.stderr


def test_a_page_in_the_footer_menu_leaves_the_main_menu(site_factory):
    """A page with "menu: footer" is linked from the footer of its language, not from the main menu."""
    root = site_factory({"content/news/a.sq.md": article(),
                         "content/pages/about.sq.md": "---\ntitle: Rreth\nsummary: R.\n---\n\nTekst.\n",
                         "content/pages/privacy.sq.md": "---\ntitle: Privatësia\nsummary: P.\nmenu: footer\n---\n\nT.\n"})
    result = run_cli("build", "--site", str(root), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    page = parse_html(root / "public" / "sq" / "index.html")
    assert [a["href"] for a in page.select("nav.sections a")][-1] == "/sq/about/"
    assert "/sq/privacy/" in [a["href"] for a in page.select("footer a")]
    assert "/sq/privacy/" not in [a["href"] for a in page.select("nav.sections a")]
