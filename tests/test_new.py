"""build.py new: from the command to a valid, previewed text without opening any other file."""

from __future__ import annotations

import re

import pytest

from conftest import article, make_site, parse_html, run_cli
from dritare.newcontent import slug_of

FILES = {
    "content/tags.yaml": "meetings: {sq: Takime, sr: Sastanci, en: Meetings}\ncivil-society: {sq: S, sr: C, en: C}\n",
    "content/projects/kosint-2020.yaml": "title: KOSINT 2020\niati: {publish: false, reason: not known}\n",
    "content/news/old.sq.md": article("I vjetër", date="2021-01-01"),
}


@pytest.fixture
def root(tmp_path):
    return make_site(tmp_path / "site", FILES)


def new(root, *args):
    return run_cli("new", *args, "--site", str(root), "--build-date", "2021-06-01")


def printed(result) -> tuple[str, str]:
    """Return the file and the address `new` printed."""
    path = re.search(r"^created (\S+)$", result.stdout, re.M).group(1)
    url = re.search(r"^preview: http://127\.0\.0\.1:8000(/\S*)", result.stdout, re.M).group(1)
    return path, url


@pytest.mark.parametrize("title, slug", [
    ("Takimi i rregullt në Prishtinë: çështjet", "takimi-i-rregullt-ne-prishtine-ceshtjet"),
    ("Sastanak u Đakovici, šta će žene", "sastanak-u-djakovici-sta-ce-zene"),
    ("Редовни састанак у Ђаковици: шта ће", "redovni-sastanak-u-djakovici-sta-ce"),
    ("A very " + "long " * 20 + "title", "a-very" + "-long" * 10),
])
def test_slug_from_title_is_ascii(title, slug):
    assert slug_of(title) == slug


def test_new_article_builds_and_is_at_the_printed_address(root):
    result = new(root, "news", "--lang", "sq", "--title", "Takimi në Prishtinë: çështjet", "--project", "kosint-2020",
                 "--tags", "meetings, civil-society", "--summary", "Një përmbledhje.")
    assert result.returncode == 0, result.stderr
    path, url = printed(result)
    assert (path, url) == ("content/news/takimi-ne-prishtine-ceshtjet.sq.md", "/sq/news/takimi-ne-prishtine-ceshtjet/")
    text = (root / path).read_text(encoding="utf-8")
    assert 'title: "Takimi në Prishtinë: çështjet"\ndate: 2021-06-01\n' in text
    assert "project: kosint-2020\ntags: [meetings, civil-society]\n" in text and "# draft: true" in text
    check = run_cli("check", "--site", str(root), "--strict", "--build-date", "2021-06-01")
    assert check.returncode == 0, check.stderr
    assert run_cli("build", "--site", str(root), "--build-date", "2021-06-01").returncode == 0
    page = parse_html(root / "public" / url.lstrip("/") / "index.html")
    assert page.h1.get_text() == "Takimi në Prishtinë: çështjet"


def test_date_follows_source_date_epoch(root):
    import os, subprocess, sys
    from conftest import REPO
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1600000000"}
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "news", "--site", str(root), "--lang", "en",
                           "--title", "Epoch"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "date: 2020-09-13\n" in (root / "content/news/epoch.en.md").read_text()


def test_a_malformed_source_date_epoch_writes_nothing(root):
    import os, subprocess, sys
    from conftest import REPO
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "yesterday"}
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "news", "--site", str(root), "--lang", "en",
                           "--title", "Epoch"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and 'SOURCE_DATE_EPOCH: error: "yesterday" is not a time' in done.stderr
    assert not (root / "content/news/epoch.en.md").exists()


def test_translation_is_linked_and_records_its_source(root):
    first = new(root, "news", "--lang", "sq", "--title", "Takimi", "--summary", "P.", "--tags", "meetings")
    assert first.returncode == 0, first.stderr
    result = new(root, "news", "--lang", "sr", "--title", "Састанак", "--summary", "S.",
                 "--translation-of", "content/news/takimi.sq.md")
    assert result.returncode == 0, result.stderr
    path, url = printed(result)
    assert (path, url) == ("content/news/sastanak.sr.md", "/sr/news/sastanak/")
    text = (root / path).read_text(encoding="utf-8")
    assert "translation_key: takimi" in text and re.search(r"translated_from: \{lang: sq, hash: [0-9a-f]{8}\}", text)
    assert "tags: [meetings]" in text and "translation_reviewed: false" in text
    assert "translation_key: takimi\n---\n" in (root / "content/news/takimi.sq.md").read_text(encoding="utf-8")
    assert run_cli("build", "--site", str(root), "--build-date", "2021-06-01", "--strict").returncode == 0
    page = parse_html(root / "public/sr/news/sastanak/index.html")
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates["sq"].endswith("/sq/news/takimi/") and alternates["sr-Latn"].endswith("/sr/news/sastanak/")
    assert page.select_one(".notice-outdated") is None


def test_translation_with_the_same_slug_needs_no_key(root):
    result = new(root, "news", "--lang", "en", "--translation-of", str(root / "content/news/old.sq.md"))
    assert result.returncode == 0, result.stderr
    assert printed(result) == ("content/news/old.en.md", "/en/news/old/")
    text = (root / "content/news/old.en.md").read_text()
    assert 'title: "I vjetër"  # translate the title' in text and "date: 2021-01-01" in text
    assert "translation_key" not in text and "translation_key" not in (root / "content/news/old.sq.md").read_text()


def test_new_refuses_to_overwrite_or_to_link_by_accident(root):
    before = (root / "content/news/old.sq.md").read_bytes()
    same = new(root, "news", "--lang", "sq", "--title", "Old")
    assert same.returncode == 2 and "content/news/old.sq.md already exists; nothing was written" in same.stderr
    assert (root / "content/news/old.sq.md").read_bytes() == before
    other = new(root, "news", "--lang", "en", "--title", "Old")
    assert other.returncode == 2 and "would be translations of each other" in other.stderr
    assert "--translation-of content/news/old.sq.md" in other.stderr
    assert not (root / "content/news/old.en.md").exists()
    again = new(root, "news", "--lang", "sq", "--translation-of", "content/news/old.sq.md")
    assert again.returncode == 2 and 'already has its sq text' in again.stderr


@pytest.mark.parametrize("args, expected", [
    (("--lang", "rs", "--title", "T"), 'there is no language "rs" on this site\n    hint: did you mean "sr"?'),
    (("--lang", "sq", "--title", "T", "--project", "kosint"), 'did you mean "kosint-2020"?'),
    (("--lang", "sq", "--title", "T", "--tags", "meeting"),
     'there is no tag "meeting" in content/tags.yaml\n    hint: did you mean "meetings"?'),
    (("--lang", "sq"), "give the text a title"),
    (("--lang", "sq", "--translation-of", "content/news/nothing.en.md"), "is not an article or page of this site"),
])
def test_new_checks_its_arguments_against_the_site(root, args, expected):
    result = new(root, "news", *args)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "content/news").iterdir()) == ["old.sq.md"]


def test_new_project_sheet_builds_with_every_field_explained(root):
    result = new(root, "project", "water-supply", "--title", "Furnizimi me ujë")
    assert result.returncode == 0, result.stderr
    path, url = printed(result)
    assert (path, url) == ("content/projects/water-supply.yaml", "/sq/projects/water-supply/")
    text = (root / path).read_text(encoding="utf-8")
    for key in ("objective", "budget", "eu_contribution", "partners", "activities", "results", "website"):
        assert f"# {key}:" in text or f"#   {key}:" in text, key
    assert run_cli("check", "--site", str(root), "--strict", "--build-date", "2021-06-01").returncode == 0
    assert new(root, "project", "water-supply").returncode == 2
    assert new(root, "project", "Water Supply").returncode == 2
