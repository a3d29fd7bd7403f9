"""The Serbian Cyrillic edition (/sr-cyrl/), made from the Serbian Latin one: page for page the same site, in
Cyrillic, with nothing that is not Serbian text touched."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
import yaml

from conftest import BUILD_DATE, REPO, article, make_site, parse_html, run_cli
from dritare import config, derive, pipeline, translit
from dritare.errors import BuildFailed

BASE = "https://transparency.example.org"
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN_WORD = re.compile(r"[A-Za-zČĆŽŠĐčćžšđ]+")


def keep_list() -> tuple[str, ...]:
    """Return what stays as written on Cyrillic pages: the configured names, and the proper names the project
    sheets write once for every language."""
    site, _ = config.load(REPO)
    names = []
    for path in (REPO / "content/projects").glob("*.yaml"):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        for value in [sheet.get("implementing_agency"), *sheet.get("partners", []), *sheet.get("donors", [])]:
            names += [value] if isinstance(value, str) else []
    return (*site.lang("sr-cyrl").keep, *names)


def files_under(root, prefix: str) -> set[str]:
    return {p.relative_to(root / prefix).as_posix() for p in (root / prefix).rglob("*") if p.is_file()}


def alternates(page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}


def test_the_cyrillic_edition_has_every_page_and_feed_of_the_latin_one_at_the_same_path(real_site):
    latin, cyrillic = files_under(real_site, "sr"), files_under(real_site, "sr-cyrl")
    assert latin == cyrillic and len(cyrillic) > 25


def test_every_cyrillic_page_is_sr_cyrl_with_reciprocal_alternates_to_its_latin_page(real_pages):
    cyrillic = [url for url in real_pages if url.startswith("/sr-cyrl/")]
    assert len(cyrillic) == len([url for url in real_pages if url.startswith("/sr/")])
    for url in cyrillic:
        page, latin_url = real_pages[url], "/sr/" + url.removeprefix("/sr-cyrl/")
        assert page.html["lang"] == "sr-Cyrl", url
        if url.endswith("404.html"):
            continue
        assert alternates(page)["sr-Latn"] == BASE + latin_url, url
        assert alternates(real_pages[latin_url])["sr-Cyrl"] == BASE + url, url
        assert alternates(page)["x-default"] == alternates(real_pages[latin_url])["x-default"], url


def _running_text(page) -> str:
    """Return the text a reader reads on a Cyrillic page, less what is never transliterated."""
    for element in page.find_all(["code", "pre", "script", "style"]):
        element.decompose()
    for element in page.find_all(lang=True):
        if element.name != "html" and not element["lang"].startswith("sr-Cyrl"):
            element.decompose()
    text = page.get_text(" ")
    for name in sorted(keep_list(), key=len, reverse=True):
        text = text.replace(name, " ")
    # Addresses, codes with digits, file names (projects.json) and the data files' column endings (_sq): as written.
    return re.sub(r"https?://\S+|\S+@\S+|\w*\d\w*|\b[\w-]+\.(?:json|csv|xml)\b|(?<!\w)_[a-z]{2}\b", " ", text)


def test_no_latin_letters_are_left_in_the_running_text_of_cyrillic_pages(real_pages):
    allowed = {"I", "II", "III", "IV", "V", "VI", "X", "XX", "XXI"}
    for url in (u for u in real_pages if u.startswith("/sr-cyrl/")):
        words = set(LATIN_WORD.findall(_running_text(parse_html_text(real_pages[url]))))
        assert words <= allowed | translit.FOREIGN_WORDS, (url, words - allowed)


def parse_html_text(page):
    """Return a copy of a parsed page (the session's pages are shared between tests)."""
    from bs4 import BeautifulSoup
    return BeautifulSoup(str(page), "html.parser")


def test_no_url_of_any_page_feed_or_sitemap_has_cyrillic(real_site, real_pages):
    for url, page in real_pages.items():
        assert not CYRILLIC.search(url)
        for element in page.find_all(href=True) + page.find_all(src=True):
            assert not CYRILLIC.search(element.get("href", "") + element.get("src", "")), (url, element)
        for script in page.find_all("script", type="application/ld+json"):
            for found in re.findall(r'"(?:url|mainEntityOfPage)": "([^"]*)"', script.string):
                assert not CYRILLIC.search(found), (url, found)
    for path in [real_site / "sitemap.xml", *real_site.glob("sr-cyrl/**/*.xml")]:
        for element in ET.parse(path).getroot().iter():
            for name in ("href", "src"):
                assert not CYRILLIC.search(element.get(name, "")), (path, element.attrib)
            if element.tag.endswith(("}id", "}loc", "}uri")):
                assert not CYRILLIC.search(element.text or ""), (path, element.text)


def test_dates_money_and_the_interface_are_in_cyrillic(real_pages):
    article_page = real_pages["/sr-cyrl/news/kosint-2020-launch/"]
    assert article_page.find("time").get_text() == "9. март 2017."
    assert article_page.find("a", class_="skip").get_text() == "Пређи на главни садржај"
    project = real_pages["/sr-cyrl/projects/joint-action-for-decentralization/"].get_text(" ")
    assert "535.295,52\u00a0€" in project and "21. децембар 2018." in project
    assert "Заједничка акција за децентрализацију" in project


def test_the_script_switcher_leads_to_the_same_page_in_the_other_script(real_pages):
    for url, other, current in (("/sr/news/kosint-2020-launch/", "/sr-cyrl/news/kosint-2020-launch/", "sr-Latn"),
                                ("/sr-cyrl/news/kosint-2020-launch/", "/sr/news/kosint-2020-launch/", "sr-Cyrl")):
        links = real_pages[url].select("nav.scripts a")
        assert [a.get_text() for a in links] == ["Latinica", "Ћирилица"]
        assert {a["hreflang"]: a["href"] for a in links}[("sr-Cyrl" if current == "sr-Latn" else "sr-Latn")] == other
        assert [a["hreflang"] for a in links if a.get("aria-current")] == [current]
    assert not real_pages["/sq/news/kosint-2020-launch/"].select("nav.scripts")


def test_the_language_switcher_lists_three_languages_in_the_pages_own_script(real_pages):
    for url, serbian in (("/sr-cyrl/news/kosint-2020-launch/", ("sr-Cyrl", "Српски")),
                         ("/sr/news/kosint-2020-launch/", ("sr-Latn", "Srpski")),
                         ("/en/news/kosint-2020-launch/", ("sr-Latn", "Srpski"))):
        links = real_pages[url].select("nav.languages a")
        assert [(a["hreflang"], a.get_text()) for a in links] == [("sq", "Shqip"), serbian, ("en", "English")]


def test_the_root_chooser_and_x_default_are_unchanged(real_pages):
    chooser = real_pages["/"]
    assert "sr-cyrl" not in str(chooser.select("main"))
    assert alternates(real_pages["/sr-cyrl/"])["x-default"] == alternates(real_pages["/sr/"])["x-default"] == BASE + "/"


def test_the_cyrillic_feed_is_in_cyrillic_with_its_translations_linked(real_site):
    feed = feedparser.parse((real_site / "sr-cyrl/feed.xml").read_bytes())
    assert feed.feed.language == "sr-Cyrl" and not feed.bozo
    assert [e.title for e in feed.entries] == ["Секторски састанци организовани од КДУ",
                                             "Покретање пројекта „Косовска иницијатива за укључивање 2020 - КОСИНТ 2020“"]
    entry = feed.entries[0]
    assert entry.link == BASE + "/sr-cyrl/news/sektorski-sastanci-kdu/"
    related = {link["hreflang"]: link["href"] for link in entry.links if link["rel"] == "related"}
    assert related["sr-Latn"] == BASE + "/sr/news/sektorski-sastanci-kdu/"
    assert entry.id.endswith("/news/sector-meetings-2019/sr-cyrl")
    assert entry.tags[2].label == "Састанци" and "<p>Током марта" in entry.content[0].value


def test_json_ld_says_sr_cyrl_and_keeps_its_addresses(real_pages):
    [data] = [json.loads(s.string) for s in real_pages["/sr-cyrl/news/kosint-2020-launch/"]
              .find_all("script", type="application/ld+json")]
    assert data["inLanguage"] == "sr-Cyrl" and data["headline"].startswith("Покретање")
    assert data["url"] == BASE + "/sr-cyrl/news/kosint-2020-launch/"
    assert {"sr-Latn", "sq", "en"} == {t["inLanguage"] for t in data["workTranslation"]}


# --- a small site: what an officer writes -------------------------------------------------------------------------

SR_BODY = """Pratite nas na -{Kosova Sot}- i na https://www.example.org/vesti, pišite na info@example.org.

Kod: `injekcija` i <span lang="en">Open Data</span>, <span lang="sr-Latn">Latinica</span>.

```
nadživeti
```

![Ljudi na sastanku](/static/a.png "Naslov slike")
"""


def build(root):
    out = root / "public"
    pipeline.build(pipeline.Options(site_root=root, out_dir=out, build_date=BUILD_DATE))
    return out


def test_the_marker_keeps_text_latin_in_cyrillic_and_disappears_in_latin(tmp_path):
    root = make_site(tmp_path / "site", {
        "content/news/a.sq.md": article(),
        "content/news/a.sr.md": article("Vesti -{Kosova Sot}-", body=SR_BODY),
        "static/a.png": b"png"})
    out = build(root)
    latin = (out / "sr/news/a/index.html").read_text(encoding="utf-8")
    cyrillic = (out / "sr-cyrl/news/a/index.html").read_text(encoding="utf-8")
    assert "-{" not in latin and "Pratite nas na Kosova Sot i" in latin and "<h1>Vesti Kosova Sot</h1>" in latin
    assert "Пратите нас на Kosova Sot и на https://www.example.org/vesti, пишите на info@example.org." in cyrillic
    assert "<h1>Вести Kosova Sot</h1>" in cyrillic and "\ue000" not in cyrillic
    assert "<code>injekcija</code>" in cyrillic and "nadživeti" in cyrillic
    assert '<span lang="en">Open Data</span>' in cyrillic and '<span lang="sr-Latn">Latinica</span>' in cyrillic
    assert 'alt="Људи на састанку"' in cyrillic and 'title="Наслов слике"' in cyrillic
    assert 'src="/static/a.png"' in cyrillic


def test_an_article_missing_in_serbian_is_missing_in_both_scripts(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    out = build(root)
    assert not (out / "sr/news/a").exists() and not (out / "sr-cyrl/news/a").exists()
    listing = parse_html(out / "sr-cyrl/news/index.html")
    assert "/sq/news/a/" in str(listing.find("main")) and "Није преведено" in listing.get_text()
    switcher = parse_html(out / "sq/news/a/index.html").select("nav.languages a")
    assert [a["href"] for a in switcher][1] == "/sr/news/#not-translated"


def test_a_hand_written_cyrillic_catalog_entry_wins(tmp_path):
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: sr_Cyrl\\n"\n\n'
          'msgid "News"\nmsgstr "Новости"\n')
    root = make_site(tmp_path / "site", {"content/news/a.sr.md": article(),
                                         "locales/sr_Cyrl/LC_MESSAGES/messages.po": po})
    out = build(root)
    page = parse_html(out / "sr-cyrl/news/index.html")
    assert page.select("nav.sections a")[1].get_text() == "Новости"
    assert page.select("nav.sections a")[2].get_text() == "Пројекти"  # derived from sr_Latn
    assert parse_html(out / "sr/news/index.html").select("nav.sections a")[1].get_text() == "Vesti"


@pytest.mark.parametrize("entry, message", [
    ("derived_from: rs\n    transform: serbian-latin-to-cyrillic",
     'site_config.yaml:15:19: error: languages.sr-cyrl.derived_from: derived_from: "rs" is not a language written by hand'),
    ("derived_from: sr\n    transform: cyrillic",
     'error: languages.sr-cyrl.transform: transform: "cyrillic" is not a transform the generator has'),
])
def test_a_derived_language_with_an_unknown_source_or_transform_is_an_error(tmp_path, entry, message):
    root = make_site(tmp_path / "site", {"content/news/a.sr.md": article()})
    text = (root / "site_config.yaml").read_text(encoding="utf-8")
    text = re.sub(r"derived_from: sr\n    transform: serbian-latin-to-cyrillic", entry, text)
    (root / "site_config.yaml").write_text(text, encoding="utf-8")
    result = run_cli("build", "--site", str(root), cwd=root)
    assert result.returncode == 1 and message.split("error: ")[1] in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_named_in_a_derived_language_is_an_error(tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sr-cyrl.md": article()})
    with pytest.raises(BuildFailed) as failed:
        build(root)
    message = str(failed.value.report.errors[0].format())
    assert '"sr-cyrl" is made by the generator from "sr": nobody writes it' in message
    assert "rename it to a.sr.md" in message


def test_html_is_transliterated_only_where_it_is_serbian_text():
    lang = config.language("sr-cyrl", "sr_Cyrl_XK", "Српски", None)
    lang = config.Language(lang.code, lang.locale, lang.name, lang.tag, lang.catalog, "sr",
                           "serbian-latin-to-cyrillic", "Ћирилица", ("KEC",))
    page = ('<p title="Naslov" data-x="nadživeti" class="vesti">Vesti <a href="/sr/vesti/" lang="sq">Lajme '
            '<span lang="sr-Cyrl">(nije prevedeno)</span></a> <code>lj</code><pre><b>nj</b></pre> KEC &amp; ja'
            '<br/><img alt="Slika" src="/a.png"><!-- komentar --><span translate="no">Ime</span> kraj</p>')
    assert derive.html(lang, page) == (
        '<p title="Наслов" data-x="nadživeti" class="vesti">Вести <a href="/sr/vesti/" lang="sq">Lajme '
        '<span lang="sr-Cyrl">(није преведено)</span></a> <code>lj</code><pre><b>nj</b></pre> KEC &amp; ја'
        '<br/><img alt="Слика" src="/a.png"><!-- komentar --><span translate="no">Ime</span> крај</p>')
