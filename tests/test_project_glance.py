"""Project pages at a glance and the projects overview: status from the dates and the build date, the budget and
timeline pictures with their text, the overview's table, totals and filter pages, in every language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel.numbers import format_currency, format_percent

from conftest import REPO, parse_html, run_cli
from dritare import config, projectview

SITE, _ = config.load(REPO)
LANGS = [lang.code for lang in SITE.languages]

# A project with both dates and a budget, one with a start date only, one with nothing but a title.
FULL = """\
title: {sq: Plotë, sr: Pun, en: Full}
sector: {sq: Arsim, sr: Obrazovanje, en: Education}
start_date: 2020-01-01
end_date: 2022-12-31
budget: {currency: EUR, total: 1234567.89, eu_contribution: 1000000.01}
"""
STARTED = """\
title: {sq: Filluar, sr: Započet, en: Started}
start_date: 2019-03-01
budget: {currency: EUR, total: 100.10}
"""
BARE = "title: {sq: Zhveshur, sr: Prazan, en: Bare}\n"


def build(root: Path, day: str, out: Path) -> Path:
    """Build the site at `root` as of `day` through the command line, as an officer would, into `out`."""
    result = run_cli("build", "--site", str(root), "--build-date", day, "--out", str(out), "--no-cache", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Return a small site with the three projects above."""
    from conftest import make_site
    return make_site(tmp_path_factory.mktemp("glance") / "site", {
        "content/projects/full.yaml": FULL, "content/projects/started.yaml": STARTED, "content/projects/bare.yaml": BARE})


def words(page) -> str:
    return " ".join(page.get_text(" ").split()).replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("day", "state", "expected"), [
    ("2019-06-01", "planned", "Planned: it starts on 1 January 2020"),
    ("2021-06-01", "ongoing", "Ongoing: planned to end on 31 December 2022"),
    ("2022-12-31", "ongoing", "Ongoing: planned to end on 31 December 2022"),
    ("2023-01-01", "ended", "Ended: it was planned to end on 31 December 2022"),
])
def test_status_in_words_follows_the_build_date(small, tmp_path, day, state, expected):
    out = build(small, day, tmp_path / "out")
    header = parse_html(out / "en/projects/full/index.html").find("main").find("header")
    status = header.find(class_="pv-status")
    assert words(status) == expected and f"pv-status-{state}" in status["class"]
    listed = parse_html(out / f"en/projects/status/{state}/index.html").select("table.pv-table tbody th a")
    assert "/en/projects/full/" in [a["href"] for a in listed]
    for other in set(projectview.STATUSES) - {state}:
        rows = parse_html(out / f"en/projects/status/{other}/index.html").select("table.pv-table tbody th a")
        assert "/en/projects/full/" not in [a["href"] for a in rows], other


def test_missing_dates_and_budget_say_not_stated_and_draw_nothing(small, tmp_path):
    out = build(small, "2021-06-01", tmp_path / "out")
    bare = parse_html(out / "en/projects/bare/index.html")
    assert bare.find("svg") is None
    assert words(bare.find(class_="pv-status")) == "The dates are not stated"
    assert "Budget: not stated" in words(bare.find("section", class_="pv-budget"))
    assert words(bare.find("section", class_="pv-timeline")).count("not stated") == 2
    started = parse_html(out / "sq/projects/started/index.html")
    assert started.find("svg") is None  # no end date: no timeline; no EU contribution: no budget bar
    assert words(started.find(class_="pv-status")) == \
        "Ka filluar më 1 mars 2019; data e përfundimit nuk është shënuar"
    assert "nuk është shënuar" in words(started.find("table", class_="budget"))


def test_budget_picture_has_its_figures_in_text_in_every_language(small, tmp_path):
    out = build(small, "2021-06-01", tmp_path / "out")
    total, eu = Decimal("1234567.89"), Decimal("1000000.01")
    for code in LANGS:
        locale = SITE.lang(code).locale
        page = parse_html(out / f"{code}/projects/full/index.html")
        svg = page.find("section", class_="pv-budget").find("svg")
        assert svg["role"] == "img" and svg.find("title")
        caption = page.find(id=svg["aria-labelledby"])
        text = words(caption)
        for amount in (eu, total - eu, total):
            assert format_currency(amount, "EUR", locale=locale).replace("\xa0", " ").replace("\u202f", " ") in text
        share = format_percent(eu / total, "#,##0.0%", locale=locale, decimal_quantization=True)
        assert share.replace("\xa0", " ").replace("\u202f", " ") in text, (code, text)
        assert words(svg.find("title")) == text
        bars = {rect["class"][0]: Decimal(rect["width"]) for rect in svg.find_all("rect", class_=["pv-eu", "pv-other"])}
        assert bars == {"pv-eu": Decimal("81.00"), "pv-other": Decimal("19.00")}


def test_timeline_marks_start_end_and_build_date(small, tmp_path):
    out = build(small, "2021-06-01", tmp_path / "out")
    page = parse_html(out / "en/projects/full/index.html")
    svg = page.find("section", class_="pv-timeline").find("svg")
    assert svg["role"] == "img"
    caption = words(page.find(id=svg["aria-labelledby"]))
    assert caption == ("From 1 January 2020 to 31 December 2022 (planned). As of 1 June 2021, "
                       "47% of the planned time has passed.")
    today = svg.find("line", class_="pv-today")
    planned = svg.find("rect", class_="pv-planned")
    assert Decimal(planned["x"]) == 2 and Decimal(planned["width"]) == 96
    expected = 2 + 96 * Decimal((dt.date(2021, 6, 1) - dt.date(2020, 1, 1)).days) / 1095
    assert abs(Decimal(today["x1"]) - expected) < Decimal("0.01")
    assert page.find("time", datetime="2021-06-01")


def test_a_build_date_after_the_end_widens_the_timeline(small, tmp_path):
    out = build(small, "2024-12-31", tmp_path / "out")
    svg = parse_html(out / "en/projects/full/index.html").find("section", class_="pv-timeline").find("svg")
    assert Decimal(svg.find("line", class_="pv-today")["x1"]) == 98
    assert Decimal(svg.find("rect", class_="pv-planned")["width"]) < 96


# --- the real site ------------------------------------------------------------------------------------------------

def sheets() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "content/projects").glob("*.yaml"))}


def money(value: str | Decimal, code: str) -> str:
    return format_currency(Decimal(str(value)), "EUR", locale=SITE.lang(code).locale)


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("code", LANGS)
def test_overview_totals_equal_the_sheets_in_each_language(real_pages, code):
    found = sheets()
    budgets = [s["budget"] for s in found.values() if s.get("budget")]
    assert all(b["currency"] == "EUR" for b in budgets)  # the real site has one currency
    page = real_pages[f"/{code}/projects/"]
    table = page.find("table", class_="pv-table")
    assert table.find("caption") and all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    assert page.find("div", class_="table-scroll").find("table") is table
    assert len(table.tbody.find_all("tr")) == len(found)
    total_row = table.tfoot.find("tr")
    cells = [plain(td.get_text(" ", strip=True)) for td in total_row.find_all("td")]
    assert cells == [plain(money(sum(Decimal(str(b["total"])) for b in budgets), code)),
                     plain(money(sum(Decimal(str(b["eu_contribution"])) for b in budgets if "eu_contribution" in b),
                                 code))]
    missing = len(found) - len(budgets)
    note = plain(words(page.find(id="pv-notes")))
    assert missing and note.startswith(f"* {missing} "), note
    for row in table.tbody.find_all("tr"):
        project = row.th.a["href"].rstrip("/").rsplit("/", 1)[1]
        budget = found[project].get("budget")
        amount = plain(row.find_all("td")[-2].get_text(" ", strip=True))
        assert amount == (plain(money(budget["total"], code)) if budget else words(
            real_pages[f"/{code}/projects/"].find(class_="pv-missing")))


@pytest.mark.parametrize("code", LANGS)
def test_filter_pages_exist_and_mark_the_current_one(real_pages, code):
    overview = real_pages[f"/{code}/projects/"]
    nav = overview.find("nav", class_="pv-filters")
    links = [a["href"] for a in nav.find_all("a")]
    for state in projectview.STATUSES:
        url = f"/{code}/projects/status/{state}/"
        assert url in links and url in real_pages
        current = real_pages[url].find("nav", class_="pv-filters").find_all("a", attrs={"aria-current": "page"})
        assert [a["href"] for a in current] == [url]
    for href in links:
        assert href in real_pages, href
        current = real_pages[href].find("nav", class_="pv-filters").find_all("a", attrs={"aria-current": "page"})
        assert [a["href"] for a in current] == [href]
    assert any("/projects/organisation/" in href for href in links)
    assert any("/sectors/" in href for href in links)


def test_real_project_pages_in_every_language(real_pages):
    found = sheets()
    for code in LANGS:
        for project, sheet in found.items():
            page = real_pages[f"/{code}/projects/{project}/"]
            has_both = bool(sheet.get("budget", {}).get("eu_contribution"))
            assert bool(page.find("section", class_="pv-budget").find("svg")) == has_both, (code, project)
            dated = "start_date" in sheet and "end_date" in sheet
            assert bool(page.find("section", class_="pv-timeline").find("svg")) == dated, (code, project)
            assert page.find(class_="pv-status")
    jad = real_pages["/en/projects/joint-action-for-decentralization/"]
    assert words(jad.find(class_="pv-status")) == "Ongoing: planned to end on 20 June 2022"
    kosint = real_pages["/sr/projects/kosint-2020/"]
    assert "nije navedeno" in words(kosint.find("section", class_="pv-budget"))


def test_titles_are_plain_text_where_a_name_falls_back_to_another_language(real_site):
    """A name shown in another language is marked <span lang> in the page, but never inside the title or the
    og:title attribute (the Serbian pages of organisations named only in Albanian)."""
    import re
    pattern = re.compile(r'<meta property="og:title" content="([^"]*)"')
    checked = 0
    for path in real_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        found = pattern.search(html)
        if found:
            checked += 1
            assert "<" not in found.group(1), path
    assert checked > 100


def test_overview_sums_each_currency_apart_and_counts_what_it_leaves_out(site_factory, tmp_path):
    root = site_factory({
        "content/projects/a.yaml": "title: A\nbudget: {currency: EUR, total: 0.10, eu_contribution: 0.05}\n",
        "content/projects/b.yaml": "title: B\nbudget: {currency: EUR, total: 0.20}\n",
        "content/projects/c.yaml": "title: C\nbudget: {currency: USD, total: 1000000, eu_contribution: 1}\n",
        "content/projects/d.yaml": "title: D\n",
        "content/projects/e.yaml": "title: E\n",
    })
    out = build(root, "2021-06-01", tmp_path / "out")
    for code in LANGS:
        locale = SITE.lang(code).locale
        page = parse_html(out / f"{code}/projects/index.html")
        rows = [[plain(td.get_text(" ", strip=True)) for td in tr.find_all("td")]
                for tr in page.find("table", class_="pv-table").tfoot.find_all("tr")]
        assert rows == [[plain(format_currency(Decimal("0.30"), "EUR", locale=locale)),
                         plain(format_currency(Decimal("0.05"), "EUR", locale=locale))],
                        [plain(format_currency(Decimal("1000000"), "USD", locale=locale)),
                         plain(format_currency(Decimal("1"), "USD", locale=locale))]], code
        notes = [words(p) for p in page.find(id="pv-notes").find_all("p")]
        assert [note.split()[1] for note in notes] == ["2", "1"], notes
    english = [words(p) for p in parse_html(out / "en/projects/index.html").find(id="pv-notes").find_all("p")]
    assert english == ["* 2 projects have no stated budget; they are not counted in the totals.",
                       "* 1 project states no EU contribution; it is not counted in the EU total."]


def sheet(text: str):
    """Return a project parsed from the YAML `text` of its sheet."""
    from dritare import schema
    from dritare.content import Project
    value, located, problems = schema.load(schema.ProjectSheet, text, "content/projects/p.yaml", 0,
                                           {"languages": SITE.codes})
    assert value is not None, problems
    return Project("projects", "p", "content/projects/p.yaml", value, located)


@pytest.mark.parametrize(("text", "day", "state"), [
    ("start_date: 2021-06-02\nend_date: 2021-06-03\n", "2021-06-01", "planned"),
    ("start_date: 2021-06-01\nend_date: 2021-06-01\n", "2021-06-01", "ongoing"),
    ("start_date: 2021-06-01\nend_date: 2021-06-01\n", "2021-06-02", "ended"),
    ("start_date: 2021-06-02\n", "2021-06-01", "planned"),
    ("start_date: 2021-06-01\n", "2022-06-01", "not-stated"),
    ("end_date: 2021-05-31\n", "2021-06-01", "ended"),
    ("end_date: 2021-06-01\n", "2021-06-01", "not-stated"),
    ("", "2021-06-01", "not-stated"),
])
def test_status_from_the_dates_that_are_stated(text, day, state):
    assert projectview.status(sheet("title: P\n" + text), dt.date.fromisoformat(day)).state == state


def test_a_one_day_project_has_a_timeline_and_no_division_by_zero():
    marks = projectview.timeline(sheet("title: P\nstart_date: 2021-06-01\nend_date: 2021-06-01\n"),
                                 dt.date(2021, 6, 1))
    assert marks is not None and Decimal(marks.start) == 2 and Decimal(marks.today) == 2


def test_a_currency_without_any_eu_contribution_has_no_eu_total():
    found = projectview.overview([sheet("title: P\nbudget: {currency: EUR, total: 5}\n")], dt.date(2021, 6, 1))
    assert found.totals[0].eu_projects == 0 and found.no_eu == 1 and found.no_budget == 0
