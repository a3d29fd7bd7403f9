"""Content kinds as one table (content.KINDS), and the typed, frozen value each page hands its template."""

from __future__ import annotations

import dataclasses
import pickle
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import BUILD_DATE, article, make_site
from dritare import config, content, graph, i18n, incremental, pages, pipeline, render, translations, urls
from dritare.content import Document, Project
from dritare.schema import NewsMeta, PageMeta

PROJECT = """\
title: {en: Roads, sq: Rrugët}
sector: {en: Transport, sq: Transporti}
start_date: 2020-01-01
end_date: 2022-01-01
budget: {currency: EUR, total: "100.00", eu_contribution: "25.00"}
"""
PAGE = "---\ntitle: {title}\nsummary: One sentence.\n---\n\nText of {title}.\n"
SMALL_SITE = {
    "content/tags.yaml": "roads: {en: Roads, sq: Rrugët}\n",
    "content/news/a.en.md": article("Opened", extra="project: roads\ntags: [roads]\n"),
    "content/news/a.sq.md": article("Hapur", extra="project: roads\ntags: [roads]\n"),
    "content/pages/about.en.md": PAGE.format(title="About"),
    "content/projects/roads.yaml": PROJECT,
    "content/organisations.yaml": "agency: {name: Roads Agency}\n",
}
# A kind the site does not have: short notes, one file per language, read with the pages' schema.
NOTES = content.ContentKind("notes", ".md", "notes", True, PageMeta, content.parse_document, "page", "note")
NOTE_SHAPE = urls.Shape("/{lang}/notes/{slug}/", ("slug",))


def load_graph(root: Path) -> graph.SiteGraph:
    """Return the graph of the site at `root`, which must have no mistakes."""
    site, problems = config.load(root)
    files, found = content.discover(site)
    documents, projects, more = content.parse_all(site, files)
    tags, more_tags = content.parse_tags(site)
    organisations, more_orgs = content.parse_organisations(site)
    sets, clashes = translations.link(site, documents)
    site_graph, collisions = graph.build(site, sets, projects, tags, organisations=organisations)
    assert problems + found + more + more_tags + more_orgs + clashes + collisions == []
    return site_graph


@pytest.fixture
def notes(monkeypatch):
    """Add the kind `notes` to the table and its address to the URL scheme, for one test."""
    monkeypatch.setitem(content.KINDS, "notes", NOTES)
    monkeypatch.setitem(urls.SHAPES, "note", NOTE_SHAPE)


def test_the_table_has_news_pages_and_projects_in_the_order_messages_name_them():
    assert [(k.name, k.suffix, k.per_language, k.schema.__name__, k.template, k.url) for k in content.KINDS.values()] \
        == [("news", ".md", True, "NewsMeta", "article", "article"), ("pages", ".md", True, "PageMeta", "page", "page"),
            ("projects", ".yaml", False, "ProjectSheet", "project", "project")]


def test_a_file_outside_every_kind_folder_is_ignored_with_a_hint_naming_each_folder(tmp_path):
    site, _ = config.load(make_site(tmp_path, {"content/drafts/a.en.md": PAGE.format(title="A")}))
    files, [problem] = content.discover(site)
    assert files == [] and problem.format() == (
        "content/drafts/a.en.md: warning: this file is not in a content folder and is ignored\n"
        "    hint: put articles in content/news/, pages in content/pages/, projects in content/projects/")


def test_a_kind_with_one_file_for_every_language_takes_no_language_from_the_name(tmp_path):
    site, _ = config.load(make_site(tmp_path, {"content/projects/roads.yaml": PROJECT}))
    [found], _ = content.discover(site)
    assert (found.section, found.slug, found.lang) == ("projects", "roads", None)


def test_a_kind_added_to_the_table_is_discovered_parsed_and_routed(tmp_path, notes):
    site_graph = load_graph(make_site(tmp_path, {"content/notes/first.en.md": PAGE.format(title="First")}))
    [route] = [r for r in site_graph.routes if r.source == "content/notes/first.en.md"]
    assert (route.url, route.lang, route.template) == ("/en/notes/first/", "en", "page")
    assert isinstance(route.data, pages.DocumentPage) and route.data.doc.section == "notes"
    assert site_graph.url_of_source("content/notes/first.en.md", "sq") == "/en/notes/first/"
    assert site_graph.entries("en") == [] and site_graph.pages("en") == []  # neither listed nor in the menu


def test_a_kind_added_to_the_table_names_its_folder_in_the_hint(tmp_path, notes):
    site, _ = config.load(make_site(tmp_path, {"content/drafts/a.en.md": PAGE.format(title="A")}))
    _, [problem] = content.discover(site)
    assert problem.hint.endswith("projects in content/projects/, notes in content/notes/")


def test_a_kind_added_to_the_table_is_built_into_the_site(tmp_path, notes):
    root = make_site(tmp_path / "site", {"content/notes/first.en.md": PAGE.format(title="First")})
    result = pipeline.build(pipeline.Options(site_root=root, out_dir=tmp_path / "out", build_date=BUILD_DATE))
    assert result.report.errors == ()
    assert "Text of First." in (tmp_path / "out/en/notes/first/index.html").read_text(encoding="utf-8")
    assert "/en/notes/first/" in (tmp_path / "out/sitemap.xml").read_text(encoding="utf-8")


def test_a_listed_kind_is_in_the_news_lists_and_checked_for_missing_translations(tmp_path, monkeypatch):
    notices = dataclasses.replace(NOTES, name="notices", schema=NewsMeta, template="article", listed=True)
    monkeypatch.setitem(content.KINDS, "notices", notices)
    monkeypatch.setitem(urls.SHAPES, "note", NOTE_SHAPE)
    root = make_site(tmp_path, {"content/notices/closed.en.md": article("Closed")})
    site_graph = load_graph(root)
    assert [e.url for e in site_graph.entries("en")] == ["/en/notes/closed/"]
    assert [f.docs[0].slug for f in site_graph.feeds if f.url == "/en/feed.xml"] == ["closed"]
    cfg = root / "site_config.yaml"
    cfg.write_text(cfg.read_text().replace("list_untranslated: true", "list_untranslated: false"))
    site, _ = config.load(root)
    warnings = translations.check_missing(site, list(site_graph.sets))
    assert [w.message for w in warnings][:1] == ["there is no Shqip translation; the article does not appear in "
                                                 "that language"]


def test_every_kind_of_page_has_its_own_value(tmp_path):
    site_graph = load_graph(make_site(tmp_path, SMALL_SITE))
    assert {type(r.data) for r in site_graph.routes} == set(typing.get_args(pages.PageValue))


def _callables(value: object, seen: set[int]) -> list[object]:
    """Return every callable inside a page value; documents and projects count by their digest, not looked in."""
    if id(value) in seen or isinstance(value, (str, Document, Project)):
        return []
    seen.add(id(value))
    if callable(value):
        return [value]
    if dataclasses.is_dataclass(value):
        return [c for f in dataclasses.fields(value) for c in _callables(getattr(value, f.name), seen)]
    if isinstance(value, dict):
        return [c for item in value.items() for c in _callables(item, seen)]
    if isinstance(value, (tuple, list)):
        return [c for item in value for c in _callables(item, seen)]
    return []


def test_page_values_are_frozen_keyable_picklable_and_hold_no_callables(tmp_path):
    site_graph = load_graph(make_site(tmp_path, SMALL_SITE))
    for route in site_graph.routes:
        value = route.data
        assert type(value).__dataclass_params__.frozen, route.url
        assert _callables(value, set()) == [], route.url
        incremental.canonical(value, {}, [], {})  # a value without a content key raises TypeError
        assert type(pickle.loads(pickle.dumps(value))) is type(value)


def test_lists_and_listings_in_page_values_are_tuples(tmp_path):
    site_graph = load_graph(make_site(tmp_path, SMALL_SITE))
    news = next(r.data for r in site_graph.routes if r.url == "/en/news/")
    project = next(r.data for r in site_graph.routes if r.url == "/en/projects/roads/")
    assert (news.years, [e.url for e in news.items], news.feed) == ((2021,), ["/en/news/a/"], "/en/feed.xml")
    assert (project.sector.id, [e.url for e in project.entries]) == ("transporti", ["/en/news/a/"])


def _renderer(site_graph: graph.SiteGraph) -> render.Renderer:
    formatters = {lang.code: i18n.Formatter(site_graph.site, lang) for lang in site_graph.site.languages}
    return render.Renderer(site_graph, {}, {}, {}, BUILD_DATE, {}, formatters)


def test_the_context_spreads_the_page_value_and_has_no_lambdas(tmp_path):
    site_graph = load_graph(make_site(tmp_path, SMALL_SITE))
    route = next(r for r in site_graph.routes if r.url == "/en/projects/roads/")
    context = _renderer(site_graph).context(route)
    assert context["project"] is route.data.project and context["feed"] == "/en/projects/roads/feed.xml"
    assert [name for name, value in context.items() if getattr(value, "__name__", "") == "<lambda>"] == []
    pickle.dumps((context["status"], context["sector_of"]))  # plain functions with their inputs, not closures


def test_a_projects_status_and_sector_come_from_the_sheet_and_the_build_date(tmp_path):
    site_graph = load_graph(make_site(tmp_path, SMALL_SITE))
    context = _renderer(site_graph).context(site_graph.routes[0])
    status = context["status"](site_graph.project("roads"))
    # 517 of the 731 days from the start to the end have passed on the build date.
    assert (status.state, status.progress) == ("ongoing", Decimal(517) / Decimal(731))
    assert context["shares"](site_graph.project("roads")).eu_share == Decimal("0.25")
    assert context["sector_of"](site_graph.project("roads")).id == "transporti"
