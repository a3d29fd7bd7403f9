"""Taxonomies, archives, pagination and the metadata that search engines and social networks read."""

from __future__ import annotations

import json

import pytest

from conftest import BUILD_DATE, article, parse_html
from dritare import pipeline
from dritare.errors import BuildFailed

BASE = "https://transparency.example.org"
OG = {"sq": "sq_XK", "sr": "sr_XK", "en": "en_GB"}
TAGS = {"sq": "sq", "sr": "sr-Latn", "sr-cyrl": "sr-Cyrl", "en": "en"}


def json_ld(page):
    scripts = page.find_all("script", type="application/ld+json")
    return [json.loads(s.string) for s in scripts]


def meta(page, prop):
    return [m["content"] for m in page.find_all("meta", property=prop)]


def test_home_article_and_project_pages_carry_json_ld_that_parses(real_pages):
    kinds = {"/": None, "/sq/": "WebSite", "/sr/news/kosint-2020-launch/": "NewsArticle",
             "/en/news/sector-meetings-2019/": "NewsArticle", "/sq/projects/kosint-2020/": "Project"}
    for url, kind in kinds.items():
        data = json_ld(real_pages[url])
        assert [d["@type"] for d in data] == ([kind] if kind else []), url
    with_data = [url for url, page in real_pages.items() if json_ld(page)]
    articles = [url for url in real_pages if url.count("/") == 4 and "/news/" in url and not url[9:13].isdigit()]
    assert len(with_data) == 3 + len(articles) + 6


@pytest.mark.parametrize("lang", ["sq", "sr", "sr-cyrl", "en"])
def test_articles_are_news_articles_with_language_dates_publisher_and_project(real_pages, lang):
    [data] = json_ld(real_pages[f"/{lang}/news/kosint-2020-launch/"])
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["inLanguage"] == TAGS[lang] and data["datePublished"] == "2017-03-09"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"]
    assert data["about"] == {"@type": "Project", "name": data["about"]["name"],
                             "url": f"{BASE}/{lang}/projects/kosint-2020/"}
    assert data["headline"] == real_pages[f"/{lang}/news/kosint-2020-launch/"].h1.get_text()
    assert {t["inLanguage"] for t in data["workTranslation"]} == set(TAGS.values()) - {TAGS[lang]}


def test_project_page_is_a_schema_org_project_with_funder_and_budget(real_pages):
    [data] = json_ld(real_pages["/en/projects/joint-action-for-decentralization/"])
    assert data["@type"] == "Project" and data["name"] == "Joint Action for Decentralization"
    assert data["funder"] == [{"@type": "Organization", "name": "European Union"}]
    assert data["funding"]["amount"] == {"@type": "MonetaryAmount", "currency": "EUR", "value": "480963.02"}
    assert data["additionalProperty"]["value"] == "535295.52"


@pytest.mark.parametrize("url", ["/{}/", "/{}/news/", "/{}/news/kosint-2020-launch/", "/{}/projects/kosint-2020/",
                                 "/{}/tags/meetings/"])
@pytest.mark.parametrize("lang", ["sq", "sr", "en"])
def test_open_graph_locale_matches_the_page_and_lists_its_translations(real_pages, url, lang):
    page = real_pages[url.format(lang)]
    assert meta(page, "og:locale") == [OG[lang]]
    assert sorted(meta(page, "og:locale:alternate")) == sorted(v for k, v in OG.items() if k != lang)
    assert meta(page, "og:url") == [BASE + url.format(lang)]
    assert meta(page, "og:title")[0] in page.title.get_text()


def test_description_comes_from_the_summary(real_pages):
    page = real_pages["/en/news/kosint-2020-launch/"]
    summary = page.find("meta", attrs={"name": "description"})["content"]
    assert summary.startswith("The launch event of the") and meta(page, "og:description") == [summary]
    assert meta(page, "og:type") == ["article"]


def test_robots_txt_points_at_the_sitemap(real_site):
    assert (real_site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"


def test_sitemap_gives_lastmod_of_articles(real_site):
    text = (real_site / "sitemap.xml").read_text()
    assert f"<loc>{BASE}/sr/news/kosint-2020-launch/</loc>\n    <lastmod>2017-03-09</lastmod>" in text


@pytest.mark.parametrize("lang, label", [("sq", "Takimet"), ("sr", "Sastanci"), ("en", "Meetings")])
def test_tag_lists_exist_in_every_language_with_translated_labels(real_pages, lang, label):
    index = real_pages[f"/{lang}/tags/"]
    link = index.find("a", href=f"/{lang}/tags/meetings/")
    assert link.get_text() == label
    page = real_pages[f"/{lang}/tags/meetings/"]
    assert page.h1.get_text() == label
    assert len(page.select("li.entry")) == 2
    article_tags = real_pages[f"/{lang}/news/kosint-2020-launch/"].select("ul.tags a")
    assert all(a["href"].startswith(f"/{lang}/tags/") for a in article_tags)


@pytest.mark.parametrize("lang, label", [("sq", "Mirëqenie Sociale"), ("sr", "Socijalno staranje"),
                                         ("en", "Social Welfare")])
def test_sector_lists_exist_in_every_language(real_pages, lang, label):
    link = real_pages[f"/{lang}/sectors/"].find("a", string=label)
    page = real_pages[link["href"]]
    assert page.h1.get_text() == label
    assert [a["href"] for a in page.select("table.pv-table tbody th a")] == [
        f"/{lang}/projects/joint-action-for-decentralization/"]


@pytest.mark.parametrize("lang, heading", [("sq", "Lajmet 2021"), ("sr", "Vesti 2021"), ("en", "News 2021")])
def test_yearly_archive_lists_that_years_news(real_pages, lang, heading):
    page = real_pages[f"/{lang}/news/2021/"]
    assert page.h1.get_text() == heading
    assert [a["href"] for a in page.select(".entry-title a")][0].endswith("/news/joint-action-regular-meeting-2021/")
    assert len(page.select("li.entry")) == 1
    years = [a.get_text() for a in real_pages[f"/{lang}/news/"].select("nav.archive a")]
    assert years == ["2021", "2019", "2017"]


def test_pagination_has_rel_links_numbers_and_localized_position(site_factory):
    files = {f"content/news/n{i:02d}.sr.md": article(f"Vest {i}", f"2020-01-{i:02d}") for i in range(1, 26)}
    root = site_factory(files)
    pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public", build_date=BUILD_DATE))
    page = parse_html(root / "public/sr/news/page/2/index.html")
    assert page.find("link", rel="prev")["href"] == "/sr/news/"
    assert page.find("link", rel="next")["href"] == "/sr/news/page/3/"
    assert "stranica 2 od 3" in page.select_one("main p.meta").get_text()
    nav = page.select_one("nav.pagination")
    assert [a.get_text() for a in nav.select("a:not([rel])")] == ["1", "2", "3"]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "2"
    assert page.find("link", rel="canonical")["href"] == BASE + "/sr/news/page/2/"
    last = parse_html(root / "public/sr/news/page/3/index.html")
    assert last.find("link", rel="next") is None and len(last.select("li.entry")) == 5
    year = parse_html(root / "public/sr/news/2020/page/2/index.html")
    assert year.find("link", rel="prev")["href"] == "/sr/news/2020/"


def test_unknown_tag_is_an_error_with_hint(site_factory):
    root = site_factory({"content/tags.yaml": "meetings: {sq: Takime, sr: Sastanci, en: Meetings}\n",
                         "content/news/a.sq.md": article(extra="tags: [meeting]\n")})
    with pytest.raises(BuildFailed) as failed:
        pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public"))
    [problem] = failed.value.report.errors
    assert (problem.path, problem.line, problem.col) == ("content/news/a.sq.md", 5, 8)
    assert problem.message == 'the tag "meeting" is not in content/tags.yaml'
    assert problem.hint == 'did you mean "meetings"?'


def test_root_404_names_every_language_and_is_not_indexed(real_pages):
    page = real_pages["/404.html"]
    assert [h.get_text() for h in page.select("h1")] == ["Faqja nuk u gjet", "Stranica nije pronađena",
                                                         "Page not found"]
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert real_pages["/sr/404.html"].find("meta", attrs={"name": "robots"})["content"] == "noindex"
