"""Content discovery, languages from file names, translation sets and the route graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import article, make_site
from dritare import config, content, graph, publish, translations
from dritare.errors import Diagnostic


def load(root: Path):
    site, problems = config.load(root)
    assert problems == [], problems
    files, problems = content.discover(site)
    documents, projects, more = content.parse_all(site, files)
    sets, clashes = translations.link(site, documents)
    return site, sets, projects, problems + more + clashes


@pytest.mark.parametrize("name, expected", [
    ("a-b.sq.md", ("a-b", "sq")),
    ("kosint-2020-launch.sr.md", ("kosint-2020-launch", "sr")),
])
def test_language_comes_from_the_file_name(name, expected):
    assert content.find_language(name, name, ".md", ("sq", "sr", "en")) == expected


def test_unknown_language_in_file_name_is_an_error_with_hint():
    found = content.find_language("x.rs.md", "x.rs.md", ".md", ("sq", "sr", "en"))
    assert isinstance(found, Diagnostic)
    assert found.message == '"rs" is not a language of this site'
    assert found.hint == 'did you mean "sr"? rename it to x.sr.md'


def test_file_name_without_language_suggests_the_rename():
    found = content.find_language("x.md", "x.md", ".md", ("sq", "sr", "en"))
    assert "x.sq.md" in found.hint


def test_slug_with_letters_outside_ascii_suggests_a_valid_one():
    problem = content.check_slug("content/news/Takimi i Përbashkët.sq.md", "Takimi i Përbashkët")
    assert "takimi-i-perbashket" in problem.hint


def test_files_with_same_slug_are_translations(tmp_path):
    root = make_site(tmp_path, {"content/news/a.sq.md": article(), "content/news/a.en.md": article("Title")})
    _, sets, _, problems = load(root)
    assert [(s.key, sorted(s.docs)) for s in sets] == [("a", ["en", "sq"])]


def test_translation_key_links_files_whose_slugs_differ(tmp_path):
    root = make_site(tmp_path, {
        "content/news/takimi.sq.md": article(extra="translation_key: meeting\n"),
        "content/news/sastanak.sr.md": article(extra="translation_key: meeting\n"),
    })
    _, sets, _, _ = load(root)
    assert [(s.key, sorted(s.docs)) for s in sets] == [("meeting", ["sq", "sr"])]


def test_two_files_in_one_language_of_a_group_are_an_error(tmp_path):
    root = make_site(tmp_path, {
        "content/news/a.sq.md": article(),
        "content/news/b.sq.md": article(extra="translation_key: a\n"),
    })
    *_, problems = load(root)
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path == "content/news/b.sq.md"
    assert "content/news/a.sq.md is already" in problem.message


def test_drafts_are_read_and_held_back_by_the_build_date(tmp_path):
    root = make_site(tmp_path, {"content/news/a.sq.md": article(extra="draft: true\n"),
                                "content/news/b.sq.md": article(date="2021-07-01"),
                                "content/news/c.sq.md": article(date="2021-06-01")})
    _, sets, _, _ = load(root)
    docs = [d for s in sets for d in s.docs.values()]
    held = publish.unpublished(docs, dt.date(2021, 6, 1), drafts=False)
    assert held == {"content/news/a.sq.md": "a draft", "content/news/b.sq.md": "scheduled for 2021-07-01"}
    assert publish.unpublished(docs, dt.date(2021, 6, 1), drafts=True) == {}


def build_graph(tmp_path, files):
    site, sets, projects, problems = load(make_site(tmp_path, files))
    assert [p for p in problems if p.severity == "error"] == []
    site_graph, problems = graph.build(site, sets, projects)
    assert problems == []
    return site_graph


def route(site_graph, url):
    return next(r for r in site_graph.routes if r.url == url)


def test_switcher_leads_to_translation_or_to_news_list(tmp_path):
    g = build_graph(tmp_path, {"content/news/a.sq.md": article(), "content/news/a.en.md": article("A")})
    targets = {t.lang.code: (t.url, t.available) for t in g.switcher(route(g, "/sq/news/a/"))}
    assert targets == {"sq": ("/sq/news/a/", True), "sr": ("/sr/news/", False), "sr-cyrl": ("/sr-cyrl/news/", False),
                       "en": ("/en/news/a/", True)}


def test_alternates_are_reciprocal_and_end_with_x_default(tmp_path):
    g = build_graph(tmp_path, {"content/news/a.sq.md": article(), "content/news/a.en.md": article("A")})
    for r in g.routes:
        pairs = g.alternates(r)
        if r.lang and pairs:
            assert pairs[-1][0] == "x-default"
            for tag, url in pairs[:-1]:
                assert (g.site.lang(r.lang).tag, r.url) in g.alternates(route(g, url))


def test_untranslated_article_is_listed_with_its_own_language(tmp_path):
    g = build_graph(tmp_path, {"content/news/a.sq.md": article()})
    [entry] = g.entries("en")
    assert (entry.url, entry.fallback, entry.doc.lang) == ("/sq/news/a/", True, "sq")


def test_untranslated_articles_can_be_left_out_of_other_languages(tmp_path):
    root = make_site(tmp_path, {"content/news/a.sq.md": article()})
    cfg = root / "site_config.yaml"
    cfg.write_text(cfg.read_text().replace("list_untranslated: true", "list_untranslated: false"))
    site, sets, projects, _ = load(root)
    g, _ = graph.build(site, sets, projects)
    assert g.entries("en") == [] and len(g.entries("sq")) == 1


def test_news_list_is_paginated_with_stable_urls(tmp_path):
    files = {f"content/news/n{i:02d}.en.md": article(f"N{i}", f"2020-01-{i:02d}") for i in range(1, 24)}
    g = build_graph(tmp_path, files)
    lists = [r for r in g.routes if r.template == "news_list" and r.lang == "en" and r.identity[0] == "news"]
    assert [r.url for r in lists] == ["/en/news/", "/en/news/page/2/", "/en/news/page/3/"]
    years = [r.url for r in g.routes if r.lang == "en" and r.identity[0] == "year"]
    assert years == ["/en/news/2020/", "/en/news/2020/page/2/", "/en/news/2020/page/3/"]
    assert [e.doc.slug for e in lists[0].data.items][:2] == ["n23", "n22"]
    assert lists[1].data.pagination.prev == "/en/news/" and lists[1].data.pagination.next == "/en/news/page/3/"


def test_page_slug_that_takes_a_section_url_is_an_error(tmp_path):
    site, sets, projects, _ = load(make_site(tmp_path, {"content/pages/news.en.md": "---\ntitle: N\n---\nx\n"}))
    _, [problem] = graph.build(site, sets, projects)
    assert problem.path == "content/pages/news.en.md" and "/en/news/ is made twice" in problem.message
