"""The URL scheme in one place (dritare/urls.py), the `url` template global, and the graph's indexed lookups."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, article, make_site
from dritare import config, content, graph, i18n, translations, urls
from dritare.urls import UrlError, url_for
from harness import assert_rejected, good_site, write

# The whole URL scheme of the site, as a reader sees it.
SCHEME = [
    ("chooser", None, (), "/"),
    ("not_found_root", None, (), "/404.html"),
    ("sitemap", None, (), "/sitemap.xml"),
    ("robots", None, (), "/robots.txt"),
    ("home", "{lang}", (), "/{lang}/"),
    ("not_found", "{lang}", (), "/{lang}/404.html"),
    ("news", "{lang}", (), "/{lang}/news/"),
    ("year", "{lang}", (2021,), "/{lang}/news/2021/"),
    ("article", "{lang}", ("takimi",), "/{lang}/news/takimi/"),
    ("page", "{lang}", ("about",), "/{lang}/about/"),
    ("projects", "{lang}", (), "/{lang}/projects/"),
    ("project", "{lang}", ("kosint-2020",), "/{lang}/projects/kosint-2020/"),
    ("projects_status", "{lang}", ("ongoing",), "/{lang}/projects/status/ongoing/"),
    ("projects_organisation", "{lang}", ("komf",), "/{lang}/projects/organisation/komf/"),
    ("tags", "{lang}", (), "/{lang}/tags/"),
    ("tag", "{lang}", ("education",), "/{lang}/tags/education/"),
    ("sectors", "{lang}", (), "/{lang}/sectors/"),
    ("sector", "{lang}", ("social-policy",), "/{lang}/sectors/social-policy/"),
    ("feed", "{lang}", (), "/{lang}/feed.xml"),
    ("project_feed", "{lang}", ("kosint-2020",), "/{lang}/projects/kosint-2020/feed.xml"),
    ("tag_feed", "{lang}", ("education",), "/{lang}/tags/education/feed.xml"),
    ("organisations", "{lang}", (), "/{lang}/organisations/"),
    ("organisation", "{lang}", ("komf",), "/{lang}/organisations/komf/"),
    ("open_data", "{lang}", (), "/{lang}/open-data/"),
    ("data_projects_json", None, (), "/data/projects.json"),
    ("data_projects_schema", None, (), "/data/projects.schema.json"),
    ("data_projects_csv", None, (), "/data/projects.csv"),
    ("data_news_json", None, (), "/data/news.json"),
    ("data_organisations_json", None, (), "/data/organisations.json"),
    ("data_iati", None, (), "/data/iati-activities.xml"),
    ("data_project_json", None, ("kosint-2020",), "/data/projects/kosint-2020.json"),
    ("data_project_csv", None, ("kosint-2020",), "/data/projects/kosint-2020.csv"),
]
PAGED = {"news", "year", "projects", "tag", "sector"}


@pytest.mark.parametrize("code", ["sq", "sr", "en"])
@pytest.mark.parametrize("kind, lang, args, expected", SCHEME)
def test_url_for_gives_every_kind_of_page_in_every_language(kind, lang, args, expected, code):
    assert url_for(kind, lang and lang.format(lang=code), *args) == expected.format(lang=code)


def test_the_scheme_covers_every_kind_there_is():
    assert {kind for kind, *_ in SCHEME} == set(urls.SHAPES)


@pytest.mark.parametrize("kind, lang, args, expected", [row for row in SCHEME if row[0] in PAGED])
def test_later_pages_of_a_listing_are_under_its_first_page(kind, lang, args, expected):
    assert url_for(kind, "sr", *args, number=1) == expected.format(lang="sr")
    assert url_for(kind, "sr", *args, number=3) == expected.format(lang="sr") + "page/3/"


@pytest.mark.parametrize("call, message", [
    (lambda: url_for("newz", "sq"), 'url("newz"): there is no such kind of page; did you mean "news"?'),
    (lambda: url_for("home", None), 'url("home"): the page is in one language, and none was given'),
    (lambda: url_for("sitemap", "sq"), 'url("sitemap"): the page is in no single language, but "sq" was given'),
    (lambda: url_for("tag", "sq"), 'url("tag") takes 1 value(s) after the kind, not 0: write url("tag", tag_id)'),
    (lambda: url_for("home", "sq", "x"), 'url("home") takes 0 value(s) after the kind, not 1: write url("home")'),
    (lambda: url_for("project", "sq", None), 'url("project"): the project_id is empty'),
    (lambda: url_for("project", "sq", "p", number=2), 'url("project", number=2): this page is not a listing'),
    (lambda: url_for("news", "sq", number=0), 'url("news", number=0): a page number is a whole number from 1'),
])
def test_a_url_the_scheme_does_not_have_is_an_error_that_says_why(call, message):
    with pytest.raises(UrlError) as raised:
        call()
    assert str(raised.value).startswith(message)


def test_a_url_in_a_template_is_in_the_page_language_unless_another_is_asked_for():
    url = urls.in_language("sr", ("sq", "sr", "en"))
    assert url("project", "p") == "/sr/projects/p/"
    assert url("news", number=2) == "/sr/news/page/2/"
    assert url("home", lang="en") == "/en/"
    assert url("sitemap") == "/sitemap.xml"
    with pytest.raises(UrlError, match='url\\("home", lang="de"\\): there is no such language on this site; '
                                       "its languages are sq, sr, en"):
        url("home", lang="de")


def test_a_url_names_the_file_that_serves_it():
    assert [urls.file_of(u) for u in ("/", "/sq/news/page/2/", "/sq/feed.xml", "/404.html")] == \
        ["index.html", "sq/news/page/2/index.html", "sq/feed.xml", "404.html"]


def test_templates_get_url_bound_to_their_language(tmp_path):
    site, _ = config.load(make_site(tmp_path, {}))
    sr = site.lang("sr")
    env = i18n.environment(site, i18n.Formatter(site, sr), i18n.Translations())
    page = env.from_string('{{ url("tag", "education") }} {{ url("home", lang="sq") }} {{ url("sitemap") }}')
    assert page.render() == "/sr/tags/education/ /sq/ /sitemap.xml"
    with pytest.raises(jinja2.TemplateRuntimeError, match='did you mean "news"'):
        env.from_string('{{ url("newz") }}').render()


# An internal address written out by hand in a template: an href or src starting with "/", or a path built
# around a template expression such as /{{ lang.code }}/ (a closing tag "</{{ heading }}>" is not one).
HAND_WRITTEN = re.compile(r'(?:href|src|action)="/|(?<!<)/\{\{')


@pytest.mark.parametrize("template", sorted(p.name for p in (REPO / "templates").glob("*.html")))
def test_templates_write_no_internal_url_by_hand(template):
    text = (REPO / "templates" / template).read_text(encoding="utf-8")
    found = [line for line in text.splitlines() if HAND_WRITTEN.search(line) or "/{{ lang.code }}/" in line]
    assert found == []


def test_a_mistake_in_a_url_of_a_template_names_its_line_and_keeps_the_site(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    home = (root / "templates" / "home.html").read_text(encoding="utf-8")
    assert '{{ url("news") }}' in home
    assert_rejected(root, write("templates/home.html", home.replace('url("news")', 'url("newz")')),
                    'templates/home.html:12: error: url("newz"): there is no such kind of page; '
                    'did you mean "news"? (on /sq/ and 3 other pages)')


# The graph's lookups against a plain scan of its fields, the way they were first written --------------------

SMALL_SITE = {
    "content/tags.yaml": "a: {sq: A, sr: A, en: A}\nb: {sq: B, sr: B, en: B}\nc: {sq: C, sr: C, en: C}\n",
    "content/projects/p.yaml": "title: P\nstart_date: 2020-01-01\nsector: Arsimi\n",
    "content/projects/q.yaml": "title: Q\nstart_date: 2021-01-01\n",
    "content/news/one.sq.md": article("Një", "2021-03-01", "tags: [a, b]\nproject: p\n"),
    "content/news/one.en.md": article("One", "2021-03-01", "tags: [a, b]\nproject: p\n"),
    "content/news/two.sr.md": article("Dva", "2020-05-01", "tags: [b, b]\n"),
    "content/news/three.en.md": article("Three", "2021-03-01", "tags: [c]\nproject: q\n"),
    "content/news/four.sq.md": article("Katër", "2019-01-01", "project: p\n"),
    "content/news/cetiri.sr.md": article("Četiri", "2019-01-01", "translation_key: four\nproject: q\n"),
    "content/pages/about.sq.md": "---\ntitle: Rreth nesh\n---\nx\n",
    "content/pages/about.en.md": "---\ntitle: About\n---\nx\n",
}


def small_graph(root: Path, list_untranslated: bool = True) -> graph.SiteGraph:
    make_site(root, SMALL_SITE)
    cfg = root / "site_config.yaml"
    cfg.write_text(cfg.read_text().replace("list_untranslated: true", f"list_untranslated: {list_untranslated}"))
    site, _ = config.load(root)
    files, _ = content.discover(site)
    documents, projects, problems = content.parse_all(site, files)
    tags, more = content.parse_tags(site)
    sets, clashes = translations.link(site, documents)
    assert [p for p in problems + more + clashes if p.severity == "error"] == []
    built, problems = graph.build(site, sets, projects, tags)
    assert problems == []
    return built


def scanned_entries(g: graph.SiteGraph, lang: str, keep=lambda doc: True) -> list[graph.Entry]:
    order = g.site.fallback_order(lang)
    out = [graph.Entry(s.best(order), content.doc_url(s.best(order)), s.best(order).lang != lang) for s in g.sets
           if s.section == "news" and keep(s.best(order)) and (lang in s.docs or g.site.config.list_untranslated)]
    return sorted(out, key=lambda e: (e.doc.meta.date, e.doc.key), reverse=True)


@pytest.mark.parametrize("list_untranslated", [True, False])
def test_listed_news_are_those_a_scan_finds_in_the_same_order(tmp_path, list_untranslated):
    g = small_graph(tmp_path / "site", list_untranslated)
    for code in g.site.codes:
        assert g.entries(code) == scanned_entries(g, code)
        for tag in ("a", "b", "c", "nope"):
            assert g.entries(code, tag=tag) == scanned_entries(g, code, lambda d: tag in d.meta.tags)
        for project in ("p", "q", "nope"):
            assert g.entries(code, project=project) == scanned_entries(g, code, lambda d: d.meta.project == project)
        for year in (2019, 2020, 2021, 1999):
            assert g.entries(code, year=year) == scanned_entries(g, code, lambda d: d.meta.date.year == year)
    assert [e.doc.key for e in g.entries("sr", tag="b")].count("two") == 1  # written twice, listed once


def test_lookups_by_path_key_and_id_find_what_a_scan_finds(tmp_path):
    g = small_graph(tmp_path / "site")
    docs = [d for s in g.sets for d in s.docs.values()]
    paths = [d.path for d in docs] + [p.path for p in g.projects] + ["content/news/nope.sq.md"]
    for code in g.site.codes:
        for path in paths:
            project = next((p for p in g.projects if p.path == path), None)
            tset = next((s for s in g.sets if any(d.path == path for d in s.docs.values())), None)
            expected = (url_for("project", code, project.id) if project else
                        content.doc_url(tset.best(g.site.fallback_order(code))) if tset else None)
            assert g.url_of_source(path, code) == expected
        assert g.pages(code) == [(s.docs[code].meta.title, content.doc_url(s.docs[code])) for s in g.sets
                                 if s.section == "pages" and code in s.docs]
    for doc in docs:
        tset = next(s for s in g.sets if (s.section, s.key) == (doc.section, doc.key))
        assert g.translations(doc) == [d for d in tset.docs.values() if d.lang != doc.lang]
    assert [g.project(i) for i in ("p", "q", "nope", None)] == [*g.projects[::-1], None, None]
    assert [g.tag(i) for i in ("a", "c", "nope")] == [g.tags[0], g.tags[2], None]


def test_the_graph_stays_frozen_and_its_lookups_give_fresh_lists(tmp_path):
    g = small_graph(tmp_path / "site")
    g.entries("sq").clear()
    assert [e.doc.key for e in g.entries("sq")] == ["three", "one", "two", "four"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.routes = ()  # type: ignore[misc]
