"""The IATI file, /data/iati-activities.xml: valid against the official IATI 2.03 schema, every code in its
codelist, only what the sheets state, and a warning (or, on purpose, a note on the Open data page) for a sheet
that lacks what an activity needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, make_site
from harness import build_cli

FIXTURES = Path(__file__).parent / "fixtures" / "iati-2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JAD = "XK-PTK-joint-action-for-decentralization"

ORGS = """\
agency: {name: {sq: Agjencia, en: The Agency}, type: "24"}
"""
COMPLETE = """\
title: {sq: Rrugët, en: Roads}
objective: {sq: Rrugë më të mira., en: Better roads.}
sector_code: "21020"
start_date: 2020-01-01
end_date: 2022-12-31
budget: {currency: EUR, total: "1000.50"}
implementing_agency: agency
"""
LACKING = """\
title: Ura
implementing_agency: agency
"""


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "schemas" / "iati-activities-schema.xsd")))


def codelist(name: str) -> set[str]:
    tree = etree.parse(str(FIXTURES / "codelists" / f"{name}.xml"))
    return {code.text for code in tree.iter("code")}


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path))


def build(root: Path, *args: str):
    return build_cli(root, *args)


def test_the_real_iati_file_validates_against_the_iati_2_03_schema(real_site, schema):
    doc = parse(real_site / "data/iati-activities.xml")
    schema.assertValid(doc)
    assert doc.getroot().get("version") == "2.03"


def test_every_code_of_the_real_iati_file_is_in_its_codelist(real_site):
    doc = parse(real_site / "data/iati-activities.xml")
    checks = [
        ("//activity-status/@code", "ActivityStatus"), ("//activity-date/@type", "ActivityDateType"),
        ("//participating-org/@role", "OrganisationRole"), ("//participating-org/@type", "OrganisationType"),
        ("//reporting-org/@type", "OrganisationType"), ("//sector/@code", "Sector"),
        ("//sector/@vocabulary", "SectorVocabulary"), ("//recipient-country/@code", "Country"),
        ("//@default-currency", "Currency"), ("//value/@currency", "Currency"),
        ("//description/@type", "DescriptionType"), ("//budget/@type", "BudgetType"),
        ("//budget/@status", "BudgetStatus"), ("//narrative/@xml:lang", "Language"),
        ("//iati-activity/@xml:lang", "Language"), ("//document-link/language/@code", "Language"),
    ]
    for path, name in checks:
        found = doc.xpath(path)
        assert found, path
        assert set(found) <= codelist(name), (path, set(found) - codelist(name))


def test_the_real_activity_says_what_the_sheet_says(real_site):
    doc = parse(real_site / "data/iati-activities.xml")
    [activity] = doc.xpath(f"//iati-activity[iati-identifier='{JAD}']")
    assert activity.get("default-currency") == "EUR"
    titles = {n.get(XML_LANG): n.text for n in activity.find("title")}
    assert titles == {"sq": "Aksioni i Përbashkët për Decentralizim", "sr": "Zajednička akcija za decentralizaciju",
                      "en": "Joint Action for Decentralization"}
    assert activity.xpath("activity-status/@code") == ["2"]  # ongoing on 2021-06-01, the tests' build date
    assert activity.xpath("activity-date/@iso-date") == ["2018-12-21", "2022-06-20"]
    assert activity.xpath("activity-date/@type") == ["1", "3"]
    assert activity.xpath("recipient-country/@code") == ["XK"]
    assert activity.xpath("sector/@code") == ["16010"] and activity.xpath("sector/@vocabulary") == ["1"]
    assert activity.xpath("budget/value/text()") == ["535295.52"]
    assert activity.xpath("budget/value/@value-date") == ["2018-12-21"]
    assert activity.xpath("budget/period-start/@iso-date") == ["2018-12-21"]
    roles = [(o.get("role"), o.findtext("narrative")) for o in activity.findall("participating-org")]
    assert roles[0] == ("4", "Koalicioni i OJQ-ve për Mbrojtjen e Fëmijëve – KOMF")
    assert ("1", "Bashkimi Evropian") in roles
    assert activity.xpath("reporting-org/@ref") == ["XK-PTK"]
    pages = activity.xpath("document-link[category/@code='A12']/@url")
    assert "https://transparency.example.org/en/projects/joint-action-for-decentralization/" in pages


def test_a_sheet_left_out_on_purpose_is_not_an_activity_and_not_a_warning(real_site):
    doc = parse(real_site / "data/iati-activities.xml")
    assert doc.xpath("//iati-identifier/text()") == [JAD]  # KOSINT 2020 says iati: {publish: false, ...}
    result = build_cli(REPO, "--no-cache", "--out", str(real_site.parent / "strict"), "--strict")
    assert result.returncode == 0, result.stderr
    assert "IATI" not in result.stderr


def test_a_sheet_missing_what_iati_needs_is_a_warning_naming_the_keys_and_no_activity(tmp_path, schema):
    root = make_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": COMPLETE,
                                         "content/projects/ura.yaml": LACKING})
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert ("content/projects/ura.yaml:1:1: warning: the project is left out of the IATI file: the sheet has no "
            "start_date, end_date, budget, sector_code") in result.stderr
    doc = parse(root / "public/data/iati-activities.xml")
    schema.assertValid(doc)
    assert doc.xpath("//iati-identifier/text()") == ["XK-PTK-roads"]
    assert not (root / "public/data/iati-activities.xml").read_text(encoding="utf-8").count("Ura")
    strict = build(root, "--strict")
    assert strict.returncode == 1 and "left out of the IATI file" in strict.stderr


def test_iati_false_with_a_reason_ends_the_warning_and_shows_the_reason(tmp_path):
    lacking = LACKING + "iati: {publish: false, reason: {en: No budget has been published., sq: Pa buxhet.}}\n"
    root = make_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": COMPLETE,
                                         "content/projects/ura.yaml": lacking})
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "No budget has been published." in (root / "public/en/open-data/index.html").read_text(encoding="utf-8")
    assert "Pa buxhet." in (root / "public/sq/open-data/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("day, code", [("2019-12-31", "1"), ("2020-01-01", "2"), ("2022-12-31", "2"),
                                       ("2023-01-01", "3")])
def test_the_activity_status_follows_the_dates_and_the_build_date(tmp_path, day, code):
    root = make_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": COMPLETE})
    result = build_cli(root, "--build-date", day)  # the last --build-date wins over the harness's
    assert result.returncode == 0, result.stderr
    doc = parse(root / "public/data/iati-activities.xml")
    assert doc.xpath("//activity-status/@code") == [code]


def test_a_sector_code_that_is_not_five_digits_is_an_error_at_its_line(tmp_path):
    root = make_site(tmp_path / "site", {"content/organisations.yaml": ORGS,
                                         "content/projects/roads.yaml": COMPLETE.replace('"21020"', '"210"')})
    result = build(root)
    assert result.returncode == 1
    assert 'content/projects/roads.yaml:3:14: error: sector_code: "210" is not a DAC 5-digit sector code' in result.stderr
