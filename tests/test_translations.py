"""build.py translations: what is missing, unreviewed or out of date per language, from a site whose gaps are
known; --mark-done; the outdated notice on the page; the preview's page; the real site's gaps."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
import yaml

from conftest import REPO, article, make_site, parse_html, run_cli
from dritare import config, outdated
from dritare.serve import Preview


def text_hash(title: str, body: str, summary: str = "Përmbledhja.") -> str:
    return outdated.text_hash(SimpleNamespace(meta=SimpleNamespace(title=title, summary=summary), body=body))


FILES = {
    "content/news/a.sq.md": article("A", body="Teksti A."),
    "content/news/a.en.md": article("A en", extra=f"translated_from: {{lang: sq, hash: {text_hash('A', 'Teksti A.')}}}\n"),
    "content/news/b.sq.md": article("B"),
    "content/news/b.sr.md": article("B sr", extra="translation_reviewed: false\n"),
    "content/news/b.en.md": article("B en"),
    "content/news/c.sq.md": article("C", body="Teksti C, i ndryshuar pas përkthimit."),
    "content/news/c.sr.md": article("C sr"),
    "content/news/c.en.md": article("C en", extra="translated_from: {lang: sq, hash: 0badc0de}\n"),
    "content/projects/p.yaml": ("title: {sq: P sq, en: P en}\nobjective: {sq: O, sr: O, en: O}\n"
                                "location: {sq: Komuna, en: The municipality}\n"
                                "iati: {publish: false, reason: not known}\n"
                                "translation_reviewed: {en: false}\n"),
    "content/tags.yaml": "meetings: {sq: Takime, sr: Sastanci}\nkosovo: Kosovo\n",
}
# The gaps of FILES, and two of the interface: "News" untranslated in English, "Home" fuzzy in Serbian.
EXPECTED = {
    "sq": {"missing": [], "unreviewed": [], "outdated": []},
    "sr": {"missing": [("article", "a"), ("project field", "p: title"), ("project field", "p: location")],
           "unreviewed": [("article", "b")], "outdated": [("interface", "Home")]},
    "en": {"missing": [("tag label", "meetings"), ("interface", "News")],
           "unreviewed": [("project", "p")], "outdated": [("article", "c")]},
}


@pytest.fixture
def root(tmp_path):
    root = make_site(tmp_path / "site", FILES)
    english = root / "locales/en/LC_MESSAGES/messages.po"
    english.write_text(english.read_text().replace('msgid "News"\nmsgstr "News"', 'msgid "News"\nmsgstr ""'))
    serbian = root / "locales/sr_Latn/LC_MESSAGES/messages.po"
    serbian.write_text(serbian.read_text().replace('msgid "Home"\nmsgstr', '#, fuzzy\nmsgid "Home"\nmsgstr'))
    return root


def report(root, *args):
    return run_cli("translations", "--site", str(root), *args)


def test_json_report_gives_exactly_the_known_gaps(root):
    result = report(root, "--format", "json")
    assert result.returncode == 0, result.stderr
    languages = {entry["code"]: entry for entry in json.loads(result.stdout)["languages"]}
    assert list(languages) == ["sq", "sr", "en"]
    for code, states in EXPECTED.items():
        for state, items in states.items():
            assert [(i["kind"], i["name"]) for i in languages[code][state]] == items, (code, state)
    catalog_size = languages["sq"]["total"] - 3 - 3 - 1  # three texts, three project fields, one tag label
    assert languages["en"]["total"] == languages["sq"]["total"] and catalog_size > 50
    assert languages["sq"]["percent"] == 100.0
    assert languages["en"]["percent"] == float(int((1 - 3 / languages["en"]["total"]) * 1000) / 10)
    where = {i["name"]: i for i in languages["en"]["outdated"] + languages["sr"]["missing"]}
    assert where["c"]["where"] == "content/news/c.en.md" and "content/news/c.sq.md changed" in where["c"]["note"]
    assert where["p: title"]["where"] == "content/projects/p.yaml:1"


def test_table_report_counts_and_lists_the_gaps(root):
    result = report(root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.match(r"language\s+done\s+total\s+missing\s+unreviewed\s+outdated$", lines[0])
    assert re.match(r"sq \(Shqip\)\s+100\.0%\s+\d+\s+0\s+0\s+0$", lines[1])
    assert re.match(r"sr \(Srpski\)\s+9\d\.\d%\s+\d+\s+3\s+1\s+1$", lines[2])
    assert re.match(r"en \(English\)\s+9\d\.\d%\s+\d+\s+2\s+1\s+1$", lines[3])
    assert "Missing in sr (Srpski): 3" in result.stdout and "Outdated in en (English): 1" in result.stdout
    assert re.search(r"article\s+c\s+content/news/c\.en\.md", result.stdout)


def test_fail_under_fails_for_a_language_below(root):
    result = report(root, "--fail-under", "99.9")
    assert result.returncode == 1
    assert re.search(r"error: sr \(Srpski\) is 9\d\.\d% translated and up to date, under 99.9%", result.stderr)
    assert report(root, "--fail-under", "90").returncode == 0


def test_outdated_translation_shows_a_notice_until_marked_done(root):
    build = ("build", "--site", str(root), "--build-date", "2021-06-01")
    assert run_cli(*build).returncode == 0
    notice = parse_html(root / "public/en/news/c/index.html").select_one(".notice-outdated")
    assert notice is not None and "Albanian" in notice.get_text()
    assert parse_html(root / "public/en/news/a/index.html").select_one(".notice-outdated") is None
    done = report(root, "--mark-done", "content/news/c.en.md")
    assert done.returncode == 0, done.stderr
    assert f"translated_from: {{lang: sq, hash: {text_hash('C', 'Teksti C, i ndryshuar pas përkthimit.')}}}" in \
        (root / "content/news/c.en.md").read_text()
    assert run_cli(*build).returncode == 0
    assert parse_html(root / "public/en/news/c/index.html").select_one(".notice-outdated") is None
    after = json.loads(report(root, "--format", "json").stdout)["languages"][2]
    assert [i["name"] for i in after["outdated"]] == []
    # The source changes again: the translation is outdated again.
    source = root / "content/news/a.sq.md"
    source.write_text(source.read_text().replace("Teksti A.", "Teksti A, më i gjatë."))
    again = json.loads(report(root, "--format", "json").stdout)["languages"][2]
    assert [i["name"] for i in again["outdated"]] == ["a"]


def test_mark_done_without_a_recorded_source_says_what_to_add(root):
    result = report(root, "--mark-done", "content/news/b.en.md")
    assert result.returncode == 1
    assert "content/news/b.en.md does not say what it was translated from" in result.stderr
    assert "translated_from: {lang: sq, hash: " in result.stderr


def test_derived_languages_are_not_in_the_report(tmp_path):
    site, _ = config.load(make_site(tmp_path, {}))
    derived = {code: SimpleNamespace(derived_from="sr" if code == "sr" else None)
               for code in site.config.languages}
    fake = SimpleNamespace(languages=site.languages, config=SimpleNamespace(languages=derived))
    assert [lang.code for lang in outdated.written_languages(fake)] == ["sq", "en"]


def test_preview_serves_the_report_and_the_build_never_has_it(root):
    assert run_cli("build", "--site", str(root), "--build-date", "2021-06-01").returncode == 0
    seen = {}
    app = Preview(root / "public", site_root=root)
    body = b"".join(app({"PATH_INFO": "/_translations/"}, lambda status, headers: seen.update(status=status)))
    assert seen["status"] == "200 OK"
    page = parse_html_bytes(body)
    assert [th.get_text() for th in page.select("table tr th")][6:] == ["sq (Shqip)", "sr (Srpski)", "en (English)"]
    assert "Missing in Srpski: 3" in page.get_text()
    assert not any("_translations" in str(p) for p in (root / "public").rglob("*"))


def parse_html_bytes(data: bytes):
    from bs4 import BeautifulSoup
    return BeautifulSoup(data.decode("utf-8"), "html.parser")


def test_real_site_report_matches_its_files():
    """The articles and pages missing in each language, worked out here from the file names and translation keys."""
    groups: dict[tuple[str, str], set[str]] = {}
    for path in sorted((REPO / "content").glob("*/*.md")):
        slug, lang = path.name[:-3].rsplit(".", 1)
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if meta.get("draft"):
            continue
        groups.setdefault((path.parent.name, meta.get("translation_key") or slug), set()).add(lang)
    result = run_cli("translations", "--site", str(REPO), "--format", "json")
    assert result.returncode == 0, result.stderr
    for entry in json.loads(result.stdout)["languages"]:
        expected = sorted(key for (_, key), langs in groups.items() if entry["code"] not in langs)
        assert sorted(i["name"] for i in entry["missing"] if i["kind"] in ("article", "page")) == expected
        assert [i for i in entry["missing"] if i["kind"] == "interface"] == []
