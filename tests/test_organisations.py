"""Organisations as data: content/organisations.yaml, sheets that name organisations by id, the names shown in
the page's language, a page per organisation in every language, and the mistakes an officer can make."""

from __future__ import annotations

import yaml

from conftest import REPO, article, make_site, parse_html
from harness import assert_rejected, build_cli, good_site, write

JAD = "/{}/projects/joint-action-for-decentralization/"
KOMF_SQ = "Koalicioni i OJQ-ve për Mbrojtjen e Fëmijëve – KOMF"
KOMF_EN = "Coalition of NGOs for Child Protection – KOMF"

ORGS = """\
agency:
  name: {sq: Agjencia e Rrugëve, en: Roads Agency}
  acronym: AR
  type: "10"
donor:
  name: Fondacioni Ç
  type: "60"
"""
PROJECT = """\
title: {sq: Rrugët, en: Roads}
implementing_agency: agency
donors: [donor]
"""


def languages() -> list[str]:
    config = yaml.safe_load((REPO / "site_config.yaml").read_text(encoding="utf-8"))
    return list(config["languages"])


def facts(page) -> str:
    return " ".join(page.find("section", attrs={"aria-labelledby": "facts"}).get_text(" ").split())


def test_the_project_page_shows_each_organisation_in_the_page_language(real_pages):
    assert KOMF_SQ in facts(real_pages[JAD.format("sq")])
    assert KOMF_EN in facts(real_pages[JAD.format("en")])
    assert KOMF_SQ not in facts(real_pages[JAD.format("en")])
    assert "European Union" in facts(real_pages[JAD.format("en")])
    assert "Bashkimi Evropian" in facts(real_pages[JAD.format("sq")])
    assert "Evropska unija" in facts(real_pages[JAD.format("sr")])


def test_a_name_unknown_in_a_language_falls_back_marked_with_its_language(real_pages):
    # No source gives KOMF's Serbian name: the Serbian page shows the Albanian one, marked for screen readers.
    page = real_pages[JAD.format("sr")]
    link = page.find("a", href="/sr/organisations/komf/")
    assert link.get_text() == KOMF_SQ
    assert link.find("span", lang="sq") is not None


def test_every_organisation_of_a_project_links_its_page_and_the_page_lists_the_project(real_pages):
    for lang in languages():
        page = real_pages[JAD.format(lang)]
        for org in ("komf", "sos-kosova", "ofap", "kmop", "european-union"):
            href = f"/{lang}/organisations/{org}/"
            assert page.find("a", href=href), (lang, org)
            assert real_pages[href].find("a", href=JAD.format(lang)), (lang, org)


def test_the_article_box_shows_the_implementing_agency_in_the_page_language(real_pages):
    box = real_pages["/en/news/joint-action-regular-meeting-2021/"].get_text(" ")
    assert KOMF_EN in box
    assert KOMF_SQ in real_pages["/sq/news/joint-action-regular-meeting-2021/"].get_text(" ")


def test_an_organisation_page_lists_its_projects_roles_and_news(real_pages):
    page = real_pages["/en/organisations/komf/"]
    assert page.h1.get_text() == KOMF_EN
    assert "implementing agency" in page.get_text(" ")
    assert page.find("a", href="/en/news/joint-action-regular-meeting-2021/")
    funder = real_pages["/sq/organisations/rio-osf/"]
    assert funder.find("a", href="/sq/projects/kosint-2020/")
    assert "financues" in funder.get_text(" ")


def test_the_organisations_index_exists_in_every_language(real_pages):
    for lang in languages():
        index = real_pages[f"/{lang}/organisations/"]
        hrefs = {a["href"] for a in index.select("main a")} if index.main else {a["href"] for a in index.find_all("a")}
        assert f"/{lang}/organisations/komf/" in hrefs, lang
        assert real_pages[f"/{lang}/"].find("a", href=f"/{lang}/organisations/"), lang  # the footer


def test_the_sheets_and_the_organisations_file_name_no_organisation_twice():
    orgs = yaml.safe_load((REPO / "content/organisations.yaml").read_text(encoding="utf-8"))
    names = [str(entry["name"]) for entry in orgs.values()]
    assert len(names) == len(set(names))
    # Albanian names are written with their letters (ë, ç), never the keyboard-less forms of the sources.
    assert "Femijeve" not in (REPO / "content/organisations.yaml").read_text(encoding="utf-8").replace(
        '"Organizata per femije pa kujdes prindor"', "")


def test_a_small_site_shows_a_name_written_once_in_every_language(tmp_path):
    root = make_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    result = build_cli(root)
    assert result.returncode == 0, result.stderr
    for lang in languages():
        page = parse_html(root / f"public/{lang}/projects/roads/index.html")
        assert "Fondacioni Ç" in page.get_text(" "), lang
    assert "Roads Agency" in parse_html(root / "public/en/projects/roads/index.html").get_text(" ")
    assert "Agjencia e Rrugëve" in parse_html(root / "public/sq/projects/roads/index.html").get_text(" ")


# --- mistakes -----------------------------------------------------------------------------------------------------

def test_an_unknown_organisation_id_is_an_error_at_its_line_with_the_closest_id(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    assert_rejected(root, write("content/projects/roads.yaml", PROJECT.replace("donors: [donor]", "donors: [doner]")),
                    'content/projects/roads.yaml:3:10: error: there is no organisation "doner" in '
                    "content/organisations.yaml", 'hint: did you mean "donor"?')


def test_an_unknown_implementing_agency_is_an_error_at_its_line(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    assert_rejected(root, write("content/projects/roads.yaml", PROJECT.replace("agency: agency", "agency: agenci")),
                    'content/projects/roads.yaml:2:22: error: there is no organisation "agenci"',
                    'did you mean "agency"?')


def test_a_name_written_where_an_id_belongs_is_an_error_saying_what_to_write(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    assert_rejected(root, write("content/projects/roads.yaml",
                                PROJECT.replace("donors: [donor]", "donors: [Fondacioni Ç]")),
                    "content/projects/roads.yaml:3", '"Fondacioni Ç" is not an organisation id',
                    "write the id of the organisation in content/organisations.yaml")


def test_an_organisation_type_outside_the_iati_codelist_is_an_error_at_its_line(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    assert_rejected(root, write("content/organisations.yaml", ORGS.replace('type: "60"', 'type: "61"')),
                    'content/organisations.yaml:7:9: error: donor.type: "61" is not an IATI organisation type',
                    "OrganisationType")
    # While the file has a mistake, the sheets' ids are not reported as unknown as well.


def test_a_mistake_in_the_organisations_file_is_not_also_reported_in_every_sheet(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    result = assert_rejected(root, write("content/organisations.yaml", ORGS.replace('type: "60"', 'type: "61"')),
                             "content/organisations.yaml:7:9")
    assert "there is no organisation" not in result.stderr


def test_an_unknown_key_of_an_organisation_is_an_error_with_did_you_mean(tmp_path):
    root = good_site(tmp_path / "site", {"content/organisations.yaml": ORGS, "content/projects/roads.yaml": PROJECT})
    assert_rejected(root, write("content/organisations.yaml", ORGS.replace("acronym: AR", "acronim: AR")),
                    'content/organisations.yaml:3:3: error: unknown key "acronim"', 'did you mean "acronym"?')


def test_an_organisation_id_without_the_file_is_an_error(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/projects/roads.yaml", PROJECT),
                    'content/projects/roads.yaml:2:22: error: there is no organisation "agency" in '
                    "content/organisations.yaml", "add it to content/organisations.yaml")
