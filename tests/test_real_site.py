"""The real site of this repository, built and read back as a reader and a search engine would."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, BUILD_DATE, parse_html
from dritare import pipeline

BASE = "https://transparency.example.org"
TAGS = {"sq": "sq", "sr": "sr-Latn", "sr-cyrl": "sr-Cyrl", "en": "en"}
JAD = "/{}/projects/joint-action-for-decentralization/"


def alternates(page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}


def text(page) -> str:
    return " ".join(page.get_text(" ").split())


def test_every_page_has_lang_canonical_and_alternates(real_pages):
    assert len(real_pages) > 25
    for url, page in real_pages.items():
        lang = page.html["lang"]
        if url.split("/")[1] in TAGS:
            assert lang == TAGS[url.split("/")[1]], url
        if url.endswith("404.html"):
            continue
        assert page.find("link", rel="canonical")["href"] == BASE + url, url
        alts = alternates(page)
        assert "x-default" in alts and BASE + url in alts.values(), url


def test_alternates_are_reciprocal(real_pages):
    for url, page in real_pages.items():
        if url.endswith("404.html") or url == "/":
            continue
        own_tag = TAGS[url.split("/")[1]]
        for tag, href in alternates(page).items():
            if tag == "x-default":
                continue
            other = real_pages[href.removeprefix(BASE)]
            assert alternates(other).get(own_tag) == BASE + url, (url, href)


def test_switcher_leads_to_the_same_article_in_each_language(real_pages):
    links = real_pages["/sq/news/kosint-2020-launch/"].select("nav.languages a")
    assert {a["hreflang"]: a["href"] for a in links} == {
        "sq": "/sq/news/kosint-2020-launch/", "sr-Latn": "/sr/news/kosint-2020-launch/",
        "en": "/en/news/kosint-2020-launch/"}


def test_switcher_follows_translation_key_across_different_slugs(real_pages):
    links = real_pages["/sq/news/takime-sektoriale-zqm/"].select("nav.languages a")
    assert {a["hreflang"]: a["href"] for a in links}["sr-Latn"] == "/sr/news/sektorski-sastanci-kdu/"


def test_switcher_without_translation_leads_to_news_list_and_says_so(real_pages):
    page = real_pages["/sq/news/joint-action-regular-meeting-2021/"]
    [serbian] = [a for a in page.select("nav.languages a") if a["hreflang"] == "sr-Latn"]
    assert serbian["href"] == "/sr/news/#not-translated"
    assert "nuk është përkthyer" in serbian.get_text()
    notice = real_pages["/sr/news/"].find(id="not-translated")
    assert "nije prevedena" in notice.get_text()


def test_untranslated_article_is_listed_with_marker_and_its_real_lang(real_pages):
    page = real_pages["/sr/news/"]
    link = page.find("a", href="/sq/news/joint-action-regular-meeting-2021/")
    assert link["lang"] == "sq"
    entry = link.find_parent("li")
    assert "jezik: albanski" in entry.select_one(".marker").get_text()
    assert entry.select_one(".summary")["lang"] == "sq"


def test_dates_are_formatted_for_each_locale(real_pages):
    expected = {"sq": "10 shkurt 2021", "sr": "10. februar 2021.", "en": "10 February 2021"}
    for lang, date in expected.items():
        url = f"/{lang}/news/joint-action-regular-meeting-2021/"
        page = real_pages.get(url) or real_pages[f"/{lang}/news/"]
        assert date in text(page), lang


def test_money_and_eu_share_are_formatted_for_each_locale(real_pages):
    expected = {
        "sq": ("535 295,52 €", "480 963,02 €", "89,8%"),
        "sr": ("535.295,52 €", "480.963,02 €", "89,8%"),
        "en": ("€535,295.52", "€480,963.02", "89.8%"),
    }
    for lang, values in expected.items():
        table = real_pages[JAD.format(lang)].find("table", class_="budget")
        cells = " ".join(table.get_text(" ").split()).replace("\xa0", " ").replace("\u202f", " ")
        for value in values:
            assert value in cells, (lang, value, cells)


def test_project_page_shows_every_sheet_field(real_pages):
    page = real_pages[JAD.format("en")]
    body = text(page)
    for expected in ("Social Welfare", "Coalition of NGOs for Child Protection – KOMF",
                     "SOS Fshatrat e Fëmijëve Kosovë", "European Union", "Citizens in need of social and family services",
                     "21 December 2018", "20 June 2022", "A8", "ER5", "Ongoing"):
        assert expected in body, expected
    assert len(page.select("#activities ~ dl dt, section[aria-labelledby=activities] dt")) == 8
    assert page.find("a", href="/en/news/joint-action-regular-meeting-2021/")


def test_project_status_follows_the_build_date(real_pages):
    assert BUILD_DATE.isoformat() == "2021-06-01"
    assert "Status as of 1 June 2021" in text(real_pages[JAD.format("en")])


def test_article_shows_its_project_box(real_pages):
    box = real_pages["/sr/news/kosint-2020-launch/"].find("aside", class_="project-box")
    assert box.find("a")["href"] == "/sr/projects/kosint-2020/"


def test_translations_written_here_carry_the_review_notice(real_pages):
    assert real_pages["/en/news/kosint-2020-launch/"].find(class_="notice", role="note")
    assert real_pages["/sq/news/kosint-2020-launch/"].find(class_="notice", role="note") is None
    assert "nije pregledan" in text(real_pages[JAD.format("sr")])
    assert real_pages[JAD.format("en")].find(class_="notice", role="note") is None


def test_project_text_missing_in_a_language_is_marked_with_its_language(site_factory):
    root = site_factory({"content/projects/p.yaml": "title:\n  sq: Projekti\n"})
    out = root / "public"
    pipeline.build(pipeline.Options(site_root=root, out_dir=out, build_date=BUILD_DATE))
    heading = parse_html(out / "en/projects/p/index.html").find("h1")
    assert heading.find("span")["lang"] == "sq" and heading.get_text() == "Projekti"


def test_copied_page_footer_and_expired_image_are_not_on_the_site(real_site):
    html = "".join(p.read_text(encoding="utf-8") for p in real_site.rglob("*.html"))
    assert "Leave a Reply" not in html and "fbcdn" not in html


def test_root_is_a_language_chooser(real_pages):
    links = real_pages["/"].select("ul.choices a")
    assert [(a["href"], a["hreflang"]) for a in links] == [("/sq/", "sq"), ("/sr/", "sr-Latn"), ("/en/", "en")]


def test_each_language_has_its_404_page(real_pages):
    assert real_pages["/sq/404.html"].h1.get_text() == "Faqja nuk u gjet"
    assert real_pages["/sr/404.html"].h1.get_text() == "Stranica nije pronađena"
    assert real_pages["/en/404.html"].h1.get_text() == "Page not found"


def test_sitemap_lists_every_page_with_hreflang(real_site, real_pages):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(real_site / "sitemap.xml").getroot()
    locs = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    pages = {BASE + url for url in real_pages if not url.endswith("404.html")}
    assert set(locs) == pages
    links = locs[BASE + "/sr/news/sektorski-sastanci-kdu/"].findall("x:link", ns)
    assert {link.get("hreflang"): link.get("href") for link in links} == {
        "sq": BASE + "/sq/news/takime-sektoriale-zqm/", "sr-Latn": BASE + "/sr/news/sektorski-sastanci-kdu/",
        "sr-Cyrl": BASE + "/sr-cyrl/news/sektorski-sastanci-kdu/", "en": BASE + "/en/news/sector-meetings-2019/", "x-default": BASE + "/sq/news/takime-sektoriale-zqm/"}


def test_internal_links_all_resolve_to_files(real_site, real_pages):
    for url, page in real_pages.items():
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src")):
            for element in page.find_all(tag):
                target = element.get(attr, "")
                if not target.startswith("/") or target.startswith("//"):
                    continue
                path = target.split("#")[0].split("?")[0]
                file = real_site / path.lstrip("/")
                assert (file / "index.html" if path.endswith("/") else file).is_file(), (url, target)


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for name in ("one", "two"):
        out = tmp_path / name
        pipeline.build(pipeline.Options(site_root=REPO, out_dir=out, build_date=BUILD_DATE))
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("lang", ["sq", "sr", "en"])
def test_no_interface_string_is_left_in_english_on_other_languages(real_pages, lang):
    words = text(real_pages[JAD.format(lang)])
    if lang != "en":
        for english in ("Budget", "Partners", "Timeline", "Expected results", "Skip to main content"):
            assert english not in words, (lang, english)
