"""Open data under /data/: projects, news and organisations as JSON and CSV, the JSON Schema, the files of each
project, and the Open data page in every language."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import jsonschema
import pytest
import yaml

from conftest import BUILD_DATE, REPO, article, make_site, parse_html
from harness import build_cli

LETTERS = "ë ç š đ ž ć č"
ORGS = """\
zyra:
  name: {sq: Zyra për Çështje Sociale, sr: Kancelarija za socijalna pitanja, en: Office for Social Affairs}
  type: "10"
"""
PROJECT = f"""\
title: {{sq: "Projekti {LETTERS}", sr: "Projekat {LETTERS.upper()}", en: "Project, with \\"quotes\\""}}
objective: "Line one\\nline two; a comma, too"
start_date: 2020-01-01
end_date: 2022-12-31
budget: {{currency: EUR, total: "1000000.05", eu_contribution: "999999.99"}}
implementing_agency: zyra
"""


def languages() -> list[str]:
    return list(yaml.safe_load((REPO / "site_config.yaml").read_text(encoding="utf-8"))["languages"])


def load_json(root, rel: str):
    return json.loads((root / rel).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("od") / "site", {
        "content/organisations.yaml": ORGS, "content/projects/letters.yaml": PROJECT,
        "content/news/a.sq.md": article("Lajmi", extra="project: letters\n"),
        "content/news/a.en.md": article("The news", extra="project: letters\n"),
    })
    result = build_cli(root)
    assert result.returncode == 0, result.stderr
    return root / "public"


# --- projects.json --------------------------------------------------------------------------------------------------

def test_projects_json_validates_against_its_published_schema(real_site):
    schema = load_json(real_site, "data/projects.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(load_json(real_site, "data/projects.json"))
    for sheet in sorted((REPO / "content/projects").glob("*.yaml")):
        validator.validate(load_json(real_site, f"data/projects/{sheet.stem}.json"))


def test_the_schema_rejects_money_written_as_a_number(real_site):
    data = load_json(real_site, "data/projects.json")
    data["projects"][0]["budget"] = {"currency": "EUR", "total": 535295.52, "eu_contribution": None}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, load_json(real_site, "data/projects.schema.json"))


def test_money_in_projects_json_equals_the_sheets_exactly(real_site):
    projects = {p["id"]: p for p in load_json(real_site, "data/projects.json")["projects"]}
    for sheet in sorted((REPO / "content/projects").glob("*.yaml")):
        written = yaml.safe_load(sheet.read_text(encoding="utf-8")).get("budget")
        budget = projects[sheet.stem]["budget"]
        if written is None:
            assert budget is None
            continue
        assert Decimal(budget["total"]) == Decimal(str(written["total"]))
        assert budget["total"] == str(written["total"])
        assert Decimal(budget["eu_contribution"]) == Decimal(str(written["eu_contribution"]))
    assert projects["joint-action-for-decentralization"]["budget"] == {
        "currency": "EUR", "total": "535295.52", "eu_contribution": "480963.02"}


def test_projects_json_holds_every_sheet_in_every_language_with_organisations_resolved(real_site):
    data = load_json(real_site, "data/projects.json")
    assert data["languages"] == languages()
    assert data["build_date"] == BUILD_DATE.isoformat()
    assert data["licence"]["name"] == "CC BY 4.0"
    projects = {p["id"]: p for p in data["projects"]}
    assert set(projects) == {s.stem for s in (REPO / "content/projects").glob("*.yaml")}
    jad = projects["joint-action-for-decentralization"]
    assert jad["title"]["sq"] == "Aksioni i Përbashkët për Decentralizim"
    assert jad["title"]["en"] == "Joint Action for Decentralization"
    assert [(o["id"], o["role"]) for o in jad["organisations"]] == [
        ("komf", "implementing"), ("sos-kosova", "partner"), ("ofap", "partner"), ("kmop", "partner"),
        ("european-union", "funding")]
    komf = jad["organisations"][0]
    assert komf["name"] == {"sq": "Koalicioni i OJQ-ve për Mbrojtjen e Fëmijëve – KOMF",
                            "en": "Coalition of NGOs for Child Protection – KOMF"}
    assert (komf["iati_role"], komf["iati_type"]) == ("4", "24")
    assert jad["status"] == "ongoing"  # as of the tests' build date, 2021-06-01
    assert [a["id"] for a in jad["activities"]] == [f"A{n}" for n in range(1, 9)]


def test_what_a_sheet_does_not_state_is_null_never_guessed(real_site):
    kosint = {p["id"]: p for p in load_json(real_site, "data/projects.json")["projects"]}["kosint-2020"]
    for field in ("objective", "beneficiaries", "start_date", "end_date", "budget", "status", "sector_code"):
        assert kosint[field] is None, field
    assert kosint["activities"] == [] and kosint["results"] == []
    assert kosint["iati"]["published"] is False
    assert "budget" in kosint["iati"]["reason"]["en"]


def test_what_a_sheet_does_not_state_shows_as_not_stated_on_its_page(real_pages):
    words = {"sq": ("nuk është shënuar", "Përfituesit"), "sr": ("nije navedeno", "Korisnici"),
             "en": ("not stated", "Beneficiaries")}
    for lang, (not_stated, beneficiaries) in words.items():
        page = real_pages[f"/{lang}/projects/kosint-2020/"]
        assert page.find("section", attrs={"aria-labelledby": "objective"}).p.get_text() == not_stated, lang
        assert page.find("dt", string=beneficiaries).find_next("dd").get_text() == not_stated, lang
        jad = real_pages[f"/{lang}/projects/joint-action-for-decentralization/"]
        assert jad.find("dt", string=beneficiaries).find_next("dd").get_text() != not_stated, lang


def test_the_kosint_sheet_states_only_what_its_source_states():
    sheet = yaml.safe_load((REPO / "content/projects/kosint-2020.yaml").read_text(encoding="utf-8"))
    assert "objective" not in sheet and "beneficiaries" not in sheet
    assert len(sheet["purposes"]) == 3


# --- CSV ------------------------------------------------------------------------------------------------------------

def test_the_csv_starts_with_a_bom_and_ends_its_lines_with_crlf(small):
    data = (small / "data/projects.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    # Every record ends in CRLF; the only bare line breaks are those written inside a (quoted) cell.
    assert data.count(b"\r\n") == 2
    assert data.replace(b"Line one\nline two", b"").count(b"\n") == 2
    assert b'"Line one\nline two; a comma, too"' in data


def test_the_csv_round_trips_every_letter_and_every_cell(small):
    text = (small / "data/projects.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 1
    row = rows[0]
    assert row["title_sq"] == f"Projekti {LETTERS}"
    for letter in LETTERS.split():
        assert letter in row["title_sq"] and letter.upper() in row["title_sr"]
    assert row["title_en"] == 'Project, with "quotes"'
    assert row["objective_sq"] == "Line one\nline two; a comma, too"  # a line break inside a quoted cell
    assert (row["total"], row["eu_contribution"], row["currency"]) == ("1000000.05", "999999.99", "EUR")
    assert row["implementing_agency"] == "zyra"
    assert row["implementing_agency_sq"] == "Zyra për Çështje Sociale"
    assert row["implementing_agency_en"] == "Office for Social Affairs"
    assert row["beneficiaries_en"] == "" and row["sector_code"] == ""  # not stated: empty, never guessed


def test_the_csv_has_one_column_per_language_for_each_text(small):
    header = next(csv.reader(io.StringIO((small / "data/projects.csv").read_bytes().decode("utf-8-sig"))))
    for lang in languages():
        assert f"title_{lang}" in header and f"url_{lang}" in header


def test_each_project_has_its_own_json_and_csv_linked_from_its_page(small):
    own = load_json(small, "data/projects/letters.json")
    assert [p["id"] for p in own["projects"]] == ["letters"]
    assert own["projects"][0]["budget"]["total"] == "1000000.05"
    rows = list(csv.reader(io.StringIO((small / "data/projects/letters.csv").read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "letters"
    for lang in languages():
        page = parse_html(small / f"{lang}/projects/letters/index.html")
        assert page.find("a", href="/data/projects/letters.json"), lang
        assert page.find("a", href="/data/projects/letters.csv"), lang


# --- news and organisations ------------------------------------------------------------------------------------------

def test_news_json_lists_every_article_in_every_language_with_its_translations(real_site):
    news = load_json(real_site, "data/news.json")["news"]
    files = sorted((REPO / "content/news").glob("*.md"))
    assert len(news) == len(files)
    launch = next(n for n in news if n["key"] == "kosint-2020-launch" and n["language"] == "sq")
    assert launch["date"] == "2017-03-09"
    assert launch["project"] == "kosint-2020"
    assert launch["url"].endswith("/sq/news/kosint-2020-launch/")
    # The Serbian Cyrillic edition is made from the Serbian text: a translation to link, not a record of its own.
    assert {t["language"] for t in launch["translations"]} == {"sr", "sr-cyrl", "en"}
    assert "sr-cyrl" not in {n["language"] for n in news}
    assert [n["date"] for n in news] == sorted((n["date"] for n in news), reverse=True)


def test_organisations_json_lists_each_organisation_with_its_projects(real_site):
    orgs = {o["id"]: o for o in load_json(real_site, "data/organisations.json")["organisations"]}
    assert orgs["komf"]["projects"] == [{"id": "joint-action-for-decentralization", "roles": ["implementing"]}]
    assert orgs["rio-osf"]["projects"] == [{"id": "kosint-2020", "roles": ["funding"]}]
    assert orgs["kec"]["iati_id"] is None and orgs["kec"]["website"] is None
    assert set(orgs["komf"]["url"]) == set(languages())


# --- the Open data page, determinism ---------------------------------------------------------------------------------

def test_the_open_data_page_in_every_language_links_every_file_and_says_the_licence_and_date(real_pages):
    for lang in languages():
        page = real_pages[f"/{lang}/open-data/"]
        hrefs = {a["href"] for a in page.find_all("a")}
        for path in ("projects.json", "projects.csv", "projects.schema.json", "news.json", "organisations.json",
                     "iati-activities.xml"):
            assert f"/data/{path}" in hrefs, (lang, path)
        assert page.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
        assert page.find("time", datetime=BUILD_DATE.isoformat()), lang
        assert page.find("code", string="sector_code"), lang
        assert real_pages[f"/{lang}/"].find("a", href=f"/{lang}/open-data/"), lang  # the footer


def test_the_data_files_are_byte_identical_across_builds(tmp_path):
    outs = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        result = build_cli(REPO, "--out", str(out), "--no-cache")
        assert result.returncode == 0, result.stderr
        outs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "data").rglob("*") if p.is_file()})
    assert outs[0] == outs[1]
    assert len(outs[0]) == 6 + 2 * len(list((REPO / "content/projects").glob("*.yaml")))
