"""Incremental builds equal clean ones, byte for byte: whatever was edited since the last build, the site a
build makes with its cache and the previous output is the one a build from nothing makes of the same sources."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from conftest import article, make_site, run_cli
from harness import time_bound
from dritare import cache as cache_module
from dritare import fingerprint, incremental, outdated, pipeline
from dritare.cache import Cache
from dritare.errors import BuildFailed

BUILD_DATE = dt.date(2021, 6, 1)
SECONDS = 60  # the bound of one build: a hang fails the test instead of stopping the run

Edit = Callable[[Path], None]

TAGS = """\
meetings: {sq: Takime, sr: Sastanci, en: Meetings}
strategy: {sq: Strategjia, sr: Strategija, en: Strategy}
"""
ALPHA = """\
title: {sq: Alfa, sr: Alfa, en: Alpha}
sector: {sq: Arsim, sr: Obrazovanje, en: Education}
start_date: 2020-01-01
end_date: 2022-12-31
budget: {currency: EUR, total: 1000.50, eu_contribution: 500}
sector_code: "11110"
implementing_agency: agency
"""
BETA = """\
title: Beta
sector: {sq: Energji, sr: Energija, en: Energy}
donors: [fund]
iati: {publish: false, reason: {en: No dates yet.}}
"""
ORGANISATIONS = """\
agency:
  name: {sq: Agjencia, en: The Agency}
  type: "24"
fund:
  name: Fondi
"""
# slug: (date, languages, front matter besides title, date and summary)
ARTICLES = {
    "a0": ("2020-01-05", "sq sr en", "tags: [meetings]\nproject: alpha\n"),
    "a1": ("2020-03-01", "sq en", "tags: [strategy, meetings]\n"),
    "a2": ("2020-06-10", "sq", "tags: [meetings]\n"),
    "a3": ("2021-01-15", "sq sr", "tags: [strategy]\nproject: alpha\n"),
    "a4": ("2021-02-20", "en", "tags: [meetings]\nproject: beta\n"),
    "a5": ("2021-04-01", "sq sr en", "tags: [strategy, meetings]\n"),
}


def site_files() -> dict[str, str]:
    """Return the sources of the test site: six articles in one to three languages, two projects with
    sectors, two tags and a page, with two news items per list page so that every list paginates."""
    files = {"content/tags.yaml": TAGS, "content/projects/alpha.yaml": ALPHA, "content/projects/beta.yaml": BETA,
             "content/organisations.yaml": ORGANISATIONS,
             "content/pages/about.sq.md": "---\ntitle: Rreth nesh\nsummary: Rreth.\n---\n\nKush jemi.\n",
             "content/pages/about.en.md": "---\ntitle: About us\nsummary: About.\n---\n\nWho we are.\n"}
    for slug, (date, langs, extra) in ARTICLES.items():
        for lang in langs.split():
            body = f"Teksti {slug} {lang}, për [projektin](../projects/alpha.yaml)."
            if slug == "a5":  # a link that leads to another language until a2 is translated
                body += " Shih [a2](a2.sq.md)."
            if slug == "a1":  # a warning, which every build must report again, cached or not
                body += "\n\n![foto](https://example.com/foto.jpg)"
            made_from = ""
            if (slug, lang) == ("a0", "en"):  # a translation that records its source: outdated once a0.sq changes
                source = SimpleNamespace(meta=SimpleNamespace(title="Titulli a0 sq", summary="Përmbledhja."),
                                         body=f"Teksti a0 sq, për [projektin](../projects/alpha.yaml).")
                made_from = f"translated_from: {{lang: sq, hash: {outdated.text_hash(source)}}}\n"
            files[f"content/news/{slug}.{lang}.md"] = article(f"Titulli {slug} {lang}", date, extra + made_from, body)
    return files


def make_test_site(root: Path) -> Path:
    """Write the test site at `root` and return it."""
    make_site(root, site_files())
    replace("site_config.yaml", "per_page: 10", "per_page: 2")(root)
    return root


# --- edits: each one change an officer, translator or developer makes -------------------------------------------

def replace(rel: str, old: str, new: str) -> Edit:
    """Return an edit that replaces the first `old` in the file `rel` by `new`."""
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}: the test site changed"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def write(rel: str, text: str) -> Edit:
    """Return an edit that writes `text` to the file `rel`."""
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return apply


def remove(*rels: str) -> Edit:
    """Return an edit that deletes the files `rels`."""
    def apply(root: Path) -> None:
        for rel in rels:
            (root / rel).unlink()
    return apply


def rename(rel: str, new: str) -> Edit:
    """Return an edit that renames the file `rel` to `new`."""
    return lambda root: (root / rel).rename(root / new)


def append(rel: str, text: str) -> Edit:
    """Return an edit that adds `text` at the end of the file `rel`."""
    def apply(root: Path) -> None:
        with open(root / rel, "a", encoding="utf-8") as fp:
            fp.write(text)
    return apply


def both(*edits: Edit) -> Edit:
    """Return an edit that makes every one of `edits`, in order."""
    def apply(root: Path) -> None:
        for each in edits:
            each(root)
    return apply


EDITS = {
    "article body": replace("content/news/a2.sq.md", "Teksti a2 sq", "Teksti i ri a2 sq"),
    "article title": replace("content/news/a1.sq.md", "title: Titulli a1 sq", "title: Titull tjeter"),
    "date moves between years and pages": replace("content/news/a2.sq.md", "date: 2020-06-10", "date: 2021-05-30"),
    "date within a year": replace("content/news/a0.sr.md", "date: 2020-01-05", "date: 2020-12-31"),
    # The same day as sorted (a month sorts as its first day), but shown and published otherwise.
    "date to its month, the day unknown": replace("content/news/a1.sq.md", "date: 2020-03-01", "date: 2020-03"),
    "date to a month of another year": replace("content/news/a2.sq.md", "date: 2020-06-10", "date: 2021-05"),
    "source": replace("content/news/a3.sq.md", "tags: [strategy]", "tags: [strategy]\nsource: Zyra e Kryeministrit"),
    "tags": replace("content/news/a0.en.md", "tags: [meetings]", "tags: [strategy]"),
    "tag removed": replace("content/news/a3.sr.md", "tags: [strategy]\n", ""),
    "project id": replace("content/news/a3.sq.md", "project: alpha", "project: beta"),
    "project added": replace("content/news/a2.sq.md", "tags: [meetings]\n", "tags: [meetings]\nproject: beta\n"),
    "translation_key links translations": replace("content/news/a4.en.md", "project: beta\n",
                                                  "project: beta\ntranslation_key: a3\n"),
    "translation_key unlinks a translation": replace("content/news/a5.sr.md", "tags:", "translation_key: solo\ntags:"),
    "summary": replace("content/news/a1.en.md", "summary: Përmbledhja.", "summary: A new summary."),
    "summary removed (a warning)": replace("content/news/a3.sr.md", "summary: Përmbledhja.\n", ""),
    "picture from another website (a warning)": replace("content/news/a3.sq.md", "Teksti a3 sq",
                                                        "![foto](https://example.com/a3.jpg) Teksti a3 sq"),
    "draft": replace("content/news/a1.en.md", "tags:", "draft: true\ntags:"),
    "source of a translation edited (its outdated notice)": replace("content/news/a0.sq.md", "Teksti a0 sq",
                                                                    "Teksti i ndryshuar a0 sq"),
    "date moved after the build date (scheduled)": replace("content/news/a4.en.md", "date: 2021-02-20",
                                                           "date: 2021-07-01"),
    "draft page": replace("content/pages/about.en.md", "summary:", "draft: true\nsummary:"),
    "page title": replace("content/pages/about.sq.md", "title: Rreth nesh", "title: Kush jemi"),
    "project title": replace("content/projects/alpha.yaml", "en: Alpha}", "en: Alpha Project}"),
    "project sector": replace("content/projects/beta.yaml", "{sq: Energji, sr: Energija, en: Energy}",
                              "{sq: Arsim, sr: Obrazovanje, en: Education}"),
    "project budget": replace("content/projects/alpha.yaml", "total: 1000.50", "total: 2000.75"),
    "project dates": replace("content/projects/alpha.yaml", "end_date: 2022-12-31", "end_date: 2021-03-31"),
    "project starts after the build date (status pages)": replace("content/projects/alpha.yaml",
                                                                  "start_date: 2020-01-01", "start_date: 2021-09-01"),
    "project budget removed (overview totals)": replace("content/projects/alpha.yaml",
                                                        "budget: {currency: EUR, total: 1000.50, eu_contribution: 500}\n",
                                                        ""),
    "project EU contribution removed": replace("content/projects/alpha.yaml", ", eu_contribution: 500}", "}"),
    "project deleted with its articles' links": both(
        remove("content/projects/beta.yaml"), replace("content/news/a4.en.md", "project: beta\n", "")),
    "organisations.yaml name": replace("content/organisations.yaml", "en: The Agency}", "en: The Roads Agency}"),
    "organisations.yaml new organisation named by a sheet": both(
        append("content/organisations.yaml", "partner:\n  name: {sq: Partneri, sr: Partner, en: The Partner}\n"),
        replace("content/projects/alpha.yaml", "implementing_agency: agency", "implementing_agency: agency\n"
                                                                               "partners: [partner]")),
    "project organisations": replace("content/projects/beta.yaml", "donors: [fund]", "donors: [fund, agency]"),
    "project sector_code (IATI)": replace("content/projects/alpha.yaml", 'sector_code: "11110"', 'sector_code: "11120"'),
    "project's reason to stay out of IATI": replace("content/projects/beta.yaml", "No dates yet.", "No budget yet."),
    "tags.yaml label": replace("content/tags.yaml", "en: Meetings}", "en: Gatherings}"),
    "tags.yaml new tag": both(
        replace("content/tags.yaml", "strategy:", "budget: {sq: Buxheti, sr: Budžet, en: Budget}\nstrategy:"),
        replace("content/news/a5.en.md", "tags: [strategy, meetings]", "tags: [budget]")),
    "template": replace("templates/article.html", "{% block main %}", "{% block main %}\n<p class=\"edited\">x</p>"),
    "base template": replace("templates/base.html", "</footer>", "<p>Edited footer.</p>\n</footer>"),
    "catalog (.po)": replace("locales/en/LC_MESSAGES/messages.po", 'msgid "News"\nmsgstr "News"',
                             'msgid "News"\nmsgstr "Newsroom"'),
    "config per_page": replace("site_config.yaml", "per_page: 2", "per_page: 3"),
    "config title": replace("site_config.yaml", "en: Project Transparency in Kosovo", "en: Transparency of Projects"),
    "config list_untranslated": replace("site_config.yaml", "list_untranslated: true", "list_untranslated: false"),
    "config home_news": replace("site_config.yaml", "home_news: 5", "home_news: 1"),
    "config default language": replace("site_config.yaml", "default_language: sq", "default_language: en"),
    "config base_url": replace("site_config.yaml", "https://transparency.example.org", "https://example.net/site"),
    "config locale": replace("site_config.yaml", "locale: sr_Latn_XK", "locale: sr_Latn_RS"),
    "static CSS": append("static/site.css", "\n.edited { color: red }\n"),
    "static script": append("static/sort-table.js", "\n// edited\n"),
    "static file added": write("static/files/report.txt", "a report\n"),
    "deleted article (one language)": remove("content/news/a1.en.md"),
    "a year's last articles deleted or moved": both(
        remove("content/news/a0.sq.md", "content/news/a0.sr.md", "content/news/a0.en.md", "content/news/a1.sq.md",
               "content/news/a1.en.md"),
        replace("content/news/a2.sq.md", "date: 2020-06-10", "date: 2021-05-30")),
    "deleted article (every language)": remove("content/news/a5.sq.md", "content/news/a5.sr.md",
                                               "content/news/a5.en.md"),
    "renamed article": rename("content/news/a4.en.md", "content/news/a4-renamed.en.md"),
    "renamed article and the links to it": both(
        rename("content/news/a2.sq.md", "content/news/a2-renamed.sq.md"),
        *(replace(f"content/news/a5.{lang}.md", "(a2.sq.md)", "(a2-renamed.sq.md)") for lang in ("sq", "sr", "en"))),
    "renamed translation (unlinks it)": rename("content/news/a3.sr.md", "content/news/a3-sr.sr.md"),
    "new language file for an article": write("content/news/a2.en.md", article("A2 in English", "2020-06-11",
                                                                               "tags: [strategy]\n")),
    "new article": write("content/news/a6.sr.md", article("Novi članak", "2021-05-01", "project: beta\n")),
    "new article with a link to another": write("content/news/a7.sq.md", article(
        "Lidhje", "2019-05-01", "", "Shih [lajmin](a0.sq.md) dhe [tjetrin](a4.en.md).")),
    "new page": write("content/pages/contact.sr.md", "---\ntitle: Kontakt\nsummary: Kontakt.\n---\n\nPišite nam.\n"),
    "page moved to the footer": replace("content/pages/about.sq.md", "title: Rreth nesh", "menu: footer\ntitle: Rreth nesh"),
    "config publisher, contact and licence": append("site_config.yaml", "publisher: {sq: Botuesi, en: The publisher}\n"
                                                    "contact: info@example.org\nlicence: {name: CC BY 4.0}\n"),
    "Serbian (Latin) article, and so its Cyrillic page": replace("content/news/a0.sr.md", "Teksti a0 sr",
                                                                 "Tekst -{a0}- sr, nadživeti"),
    "config keep_as_written (Cyrillic pages)": replace("site_config.yaml", "keep_as_written: [KOMF,",
                                                       "keep_as_written: [Titulli, KOMF,"),
    "hand-written Cyrillic catalog": write("locales/sr_Cyrl/LC_MESSAGES/messages.po", (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "News"\nmsgstr "Новости"\n')),
}


# --- comparing trees ----------------------------------------------------------------------------------------------

def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by relative path with its bytes; folders end in "/", links in " -> target"."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[f"{rel} -> {os.readlink(path)}"] = b""
            elif path.is_dir():
                found[rel + "/"] = b""
            else:
                found[rel] = path.read_bytes()
    return found


def differences(got: dict[str, bytes], expected: dict[str, bytes], limit: int = 3) -> str:
    """Return what differs between two trees: files only in one, and a short diff of the first changed files."""
    lines = [f"only in the incremental build: {sorted(set(got) - set(expected))}",
             f"only in the clean build: {sorted(set(expected) - set(got))}"]
    changed = sorted(p for p in set(got) & set(expected) if got[p] != expected[p])
    lines.append(f"different: {changed}")
    for path in changed[:limit]:
        diff = difflib.unified_diff(expected[path].decode("utf-8", "replace").splitlines(),
                                    got[path].decode("utf-8", "replace").splitlines(),
                                    f"clean/{path}", f"incremental/{path}", n=1, lineterm="")
        lines += list(diff)[:30]
    return "\n".join(lines)


def assert_same_tree(got: Path, expected: Path) -> None:
    """Assert that the folders `got` and `expected` hold the same files, folders and bytes."""
    mine, theirs = tree(got), tree(expected)
    assert mine == theirs, differences(mine, theirs)


# --- builds -------------------------------------------------------------------------------------------------------

class Builds:
    """A site in `tmp/site`, built incrementally into `tmp/out` with its cache in `tmp/cache`, and clean into
    a fresh folder each time."""

    def __init__(self, tmp: Path):
        self.tmp, self.root = tmp, make_test_site(tmp / "site")
        self.out, self.cache_dir, self.cleans = tmp / "out", tmp / "cache", 0

    def incremental(self, cache: Cache | None = None, jobs: int = 1, out: Path | None = None,
                    cache_dir: Path | None | str = "default") -> pipeline.BuildResult:
        """Return the result of a build with the cache and the previous output."""
        folder = self.cache_dir if cache_dir == "default" else cache_dir
        with time_bound(SECONDS):
            return pipeline.build(pipeline.Options(site_root=self.root, out_dir=out or self.out, build_date=BUILD_DATE,
                                                   cache_dir=folder, jobs=jobs), cache=cache)

    def clean(self) -> tuple[Path, str]:
        """Return a new folder with the site built from nothing (no cache, no previous output), and its report."""
        self.cleans += 1
        out = self.tmp / f"clean-{self.cleans}"
        with time_bound(SECONDS):
            result = pipeline.build(pipeline.Options(site_root=self.root, out_dir=out, build_date=BUILD_DATE,
                                                     cache_dir=None))
        return out, result.report.format()

    def assert_equals_clean(self, out: Path | None = None, result: pipeline.BuildResult | None = None) -> None:
        """Assert that the incremental output (and the warnings of `result`) are those of a clean build."""
        clean, report = self.clean()
        assert_same_tree(out or self.out, clean)
        if result is not None:
            assert result.report.format() == report

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Return the result of `build.py build` with the cache, as an officer runs it."""
        return run_cli("build", "--site", str(self.root), "--out", str(self.out), "--build-date",
                       BUILD_DATE.isoformat(), "--cache", str(self.cache_dir), "--jobs", "1", *args, timeout=SECONDS)


@pytest.fixture
def builds(tmp_path) -> Builds:
    """Return the test site, built with its cache, twice: the site of the first build is now the spare folder
    beside the output, which the next build updates in place of writing a new one."""
    site = Builds(tmp_path)
    first = site.incremental()
    assert not first.report.errors and first.counts.pages_cached == 0
    site.incremental()
    assert (tmp_path / ".out.spare").is_dir()
    return site


# --- one edit, then an incremental build ---------------------------------------------------------------------------

# Every text's HTML holds the site's address (to tell its own links from other websites'), so this edit
# renders everything again.
REBUILDS_EVERYTHING = {"config base_url"}


@pytest.mark.parametrize("name", EDITS)
def test_incremental_build_after_one_edit_equals_a_clean_build(builds, name):
    before = tree(builds.out)
    EDITS[name](builds.root)
    result = builds.incremental()
    assert tree(builds.out) != before, "the edit changed nothing on the site, so this test shows nothing"
    if name not in REBUILDS_EVERYTHING:
        assert result.counts.pages_cached + result.counts.texts_cached > 0, "nothing came from the cache"
    builds.assert_equals_clean(result=result)


def test_an_edit_to_a_latin_article_rebuilds_its_cyrillic_page(builds):
    page = builds.out / "sr-cyrl/news/a0/index.html"
    assert "<p>Текст a0" not in page.read_text(encoding="utf-8")
    EDITS["Serbian (Latin) article, and so its Cyrillic page"](builds.root)
    builds.incremental()
    assert "<p>Текст a0 ср, надживети" in page.read_text(encoding="utf-8")
    assert "<p>Tekst a0 sr, nadživeti" in (builds.out / "sr/news/a0/index.html").read_text(encoding="utf-8")
    builds.assert_equals_clean()


def test_an_edit_renders_only_what_it_changes(builds):
    EDITS["article body"](builds.root)
    result = builds.incremental()
    # The text, its page, and the lists and feeds that show it; never the whole site.
    assert result.counts.texts == 1 and result.counts.texts_cached == 16  # 13 written, 3 Cyrillic made from Latin
    assert 0 < result.counts.pages < result.counts.pages_cached
    builds.assert_equals_clean(result=result)


def test_the_warnings_of_texts_taken_from_the_cache_are_reported_again(builds):
    EDITS["article body"](builds.root)
    result = builds.incremental()
    assert [d.format().split(": warning: ")[0] for d in result.report.warnings] == ["content/news/a1.en.md:10",
                                                                                   "content/news/a1.sq.md:10"]
    builds.assert_equals_clean(result=result)


@pytest.mark.parametrize("names", [
    ("article title", "tags", "project budget"),
    ("deleted article (every language)", "new article", "renamed article"),
    ("template", "catalog (.po)", "config per_page", "static CSS"),
    ("translation_key links translations", "translation_key unlinks a translation", "draft"),
], ids=lambda names: " + ".join(names))
def test_a_series_of_incremental_builds_equals_a_clean_build_after_each(builds, names):
    for name in names:
        EDITS[name](builds.root)
        builds.incremental()
        builds.assert_equals_clean()


def test_an_edit_undone_gives_back_the_first_site(builds):
    first = tree(builds.out)
    original = (builds.root / "content/news/a2.sq.md").read_bytes()
    EDITS["date moves between years and pages"](builds.root)
    builds.incremental()
    (builds.root / "content/news/a2.sq.md").write_bytes(original)
    builds.incremental()
    assert tree(builds.out) == first
    builds.assert_equals_clean()


# --- builds that fail, then the fix ------------------------------------------------------------------------------

FAILURES = {
    "impossible date": (replace("content/news/a0.sq.md", "date: 2020-01-05", "date: 2020-13-05"),
                        replace("content/news/a0.sq.md", "date: 2020-13-05", "date: 2020-12-05")),
    "unknown tag": (replace("content/news/a1.sq.md", "tags: [strategy, meetings]", "tags: [strategie]"),
                    replace("content/news/a1.sq.md", "tags: [strategie]", "tags: [strategy]")),
    "link to no file": (replace("content/news/a2.sq.md", "../projects/alpha.yaml", "../projects/gamma.yaml"),
                        replace("content/news/a2.sq.md", "../projects/gamma.yaml", "../projects/beta.yaml")),
    "negative budget": (replace("content/projects/alpha.yaml", "total: 1000.50", "total: -5"),
                        replace("content/projects/alpha.yaml", "total: -5", "total: 3000")),
    "template syntax": (replace("templates/article.html", "{% block main %}", "{% block main %}{% if %}"),
                        replace("templates/article.html", "{% block main %}{% if %}", "{% block main %}<hr>")),
    "template undefined name": (replace("templates/home.html", "{% block main %}", "{% block main %}{{ nothing.x }}"),
                                replace("templates/home.html", "{{ nothing.x }}", "<hr>")),
    "tags.yaml broken": (replace("content/tags.yaml", "meetings: {", "meetings: [{"),
                         replace("content/tags.yaml", "meetings: [{sq: Takime", "meetings: {sq: Takimet")),
    "config out of range": (replace("site_config.yaml", "per_page: 2", "per_page: 0"),
                            replace("site_config.yaml", "per_page: 0", "per_page: 4")),
    "two files make one page": (write("content/news/2021.sq.md", article("Viti")),
                                rename("content/news/2021.sq.md", "content/news/viti.sq.md")),
}


@pytest.mark.parametrize("mistake, fix", FAILURES.values(), ids=FAILURES.keys())
def test_a_failed_build_keeps_the_site_and_the_fixed_build_equals_a_clean_one(builds, mistake, fix):
    before = tree(builds.out)
    mistake(builds.root)
    with pytest.raises(BuildFailed):
        builds.incremental()
    assert tree(builds.out) == before
    fix(builds.root)
    builds.incremental()
    assert tree(builds.out) != before
    builds.assert_equals_clean()


def test_a_failed_build_then_the_edit_undone_gives_back_the_first_site(builds):
    first = tree(builds.out)
    original = (builds.root / "templates/article.html").read_bytes()
    FAILURES["template syntax"][0](builds.root)
    with pytest.raises(BuildFailed):
        builds.incremental()
    (builds.root / "templates/article.html").write_bytes(original)
    builds.incremental()
    assert tree(builds.out) == first
    builds.assert_equals_clean()


# --- nothing changed, and changes the build must notice ------------------------------------------------------------

def test_a_build_with_nothing_changed_renders_nothing_and_keeps_the_site(builds):
    before = tree(builds.out)
    result = builds.incremental()
    assert (result.counts.pages, result.counts.texts) == (0, 0)
    assert tree(builds.out) == before
    builds.assert_equals_clean()


def test_the_command_line_says_nothing_changed_then_rebuilds_after_an_edit(builds):
    first = builds.cli()
    assert first.returncode == 0, first.stderr
    before = tree(builds.out)
    again = builds.cli()
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing changed since the last build"), again.stdout
    warnings = [line for line in first.stderr.splitlines() if ": warning: " in line]
    assert warnings and [line for line in again.stderr.splitlines() if ": warning: " in line] == warnings
    assert tree(builds.out) == before
    # The same size, so that only the content (and the file's time) tells the change.
    replace("content/news/a0.sq.md", "Teksti a0 sq", "Tekstx a0 sq")(builds.root)
    edited = builds.cli()
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.startswith("built "), edited.stdout
    builds.assert_equals_clean()


def test_a_file_saved_again_unchanged_rebuilds_to_the_same_site(builds):
    assert builds.cli().returncode == 0
    before = tree(builds.out)
    path = builds.root / "content/news/a0.sq.md"
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = builds.cli()
    assert again.returncode == 0 and again.stdout.startswith("built "), again.stdout
    assert tree(builds.out) == before


def test_an_edit_that_keeps_the_size_and_time_of_the_file_is_still_noticed(builds):
    # Made in the same clock tick as the last build read the file (or saved by a tool that keeps times):
    # the racy case git handles by comparing the contents of files not older than its record.
    assert builds.cli().returncode == 0
    path = builds.root / "content/news/a0.sq.md"
    seen = path.stat()
    with open(path, "r+b") as fp:  # in place: the same inode
        data = fp.read()
        fp.seek(0)
        fp.write(data.replace(b"Teksti a0 sq", b"Tekstx a0 sq"))
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert builds.cli().returncode == 0
    builds.assert_equals_clean()


@pytest.mark.parametrize("how", ["in place", "replaced", "deleted"])
def test_an_output_file_edited_by_hand_is_put_back_by_the_next_build(builds, how):
    assert builds.cli().returncode == 0
    page = builds.out / "sq/news/a0/index.html"
    if how == "in place":
        with open(page, "r+b") as fp:
            fp.write(b"<!-- hand -->")
    elif how == "replaced":
        page.unlink()
        page.write_bytes(b"edited by hand\n")
    else:
        page.unlink()
    again = builds.cli()
    assert again.returncode == 0 and again.stdout.startswith("built "), again.stdout
    builds.assert_equals_clean()


def test_an_output_file_edited_by_hand_is_put_back_by_an_in_process_build(builds):
    # The live site's files are links to those of the spare folder beside it: the edit shows in both.
    page = builds.out / "en/news/a4/index.html"
    with open(page, "r+b") as fp:
        fp.write(b"<!-- hand -->")
    builds.incremental()
    builds.assert_equals_clean()
    EDITS["article title"](builds.root)
    builds.incremental()
    builds.assert_equals_clean()


@pytest.mark.parametrize("stray", ["stray.html", "sq/news/stray.html", "sq/stray-folder/", "sq/news/a0/stray/"])
def test_a_file_or_folder_added_to_the_output_by_hand_is_removed_by_the_next_build(builds, stray):
    assert builds.cli().returncode == 0
    if stray.endswith("/"):
        (builds.out / stray).mkdir()
    else:
        (builds.out / stray).write_text("not part of the site\n", encoding="utf-8")
    again = builds.cli()
    assert again.returncode == 0, again.stderr
    builds.assert_equals_clean()


def test_the_output_folder_deleted_by_hand_is_built_again(builds):
    shutil.rmtree(builds.out)
    result = builds.incremental()
    assert result.counts.pages == 0  # every page from the cache
    builds.assert_equals_clean()


def test_a_build_into_another_folder_with_the_same_cache_equals_a_clean_build(builds):
    EDITS["article title"](builds.root)
    elsewhere = builds.tmp / "elsewhere"
    builds.incremental(out=elsewhere)
    builds.assert_equals_clean(elsewhere)
    EDITS["tags"](builds.root)
    builds.incremental()
    builds.assert_equals_clean()


def test_a_build_without_the_cache_in_between_does_not_confuse_the_next_one(builds):
    EDITS["article title"](builds.root)
    builds.incremental(cache_dir=None)  # --no-cache into the same output folder
    builds.assert_equals_clean()
    EDITS["tags"](builds.root)
    builds.incremental()
    builds.assert_equals_clean()
    EDITS["project budget"](builds.root)
    builds.incremental()
    builds.assert_equals_clean()


def test_another_build_date_equals_a_clean_build_as_of_that_date(builds):
    later = dt.date(2023, 1, 15)  # the project alpha ends on 2022-12-31: ongoing before, ended now
    with time_bound(SECONDS):
        pipeline.build(pipeline.Options(site_root=builds.root, out_dir=builds.out, build_date=later,
                                        cache_dir=builds.cache_dir))
        pipeline.build(pipeline.Options(site_root=builds.root, out_dir=builds.tmp / "later", build_date=later))
    assert_same_tree(builds.out, builds.tmp / "later")


def test_an_output_folder_that_is_a_link_is_built_incrementally_like_a_clean_one(builds):
    real = builds.tmp / "real-out"
    real.mkdir()
    link = builds.tmp / "linked-out"
    link.symlink_to(real)
    builds.incremental(out=link)
    EDITS["tags"](builds.root)
    builds.incremental(out=link)
    assert link.is_symlink()
    builds.assert_equals_clean(real)


def test_a_damaged_record_of_the_last_build_is_not_trusted(builds):
    assert builds.cli().returncode == 0
    (builds.cache_dir / fingerprint.STAMP_FILE).write_text("{not json", encoding="utf-8")
    EDITS["article title"](builds.root)
    result = builds.cli()
    assert result.returncode == 0 and result.stdout.startswith("built "), result.stdout + result.stderr
    builds.assert_equals_clean()


# --- the cache: damaged, from other code, removed -------------------------------------------------------------------

def test_a_corrupted_cache_file_is_set_aside_with_one_note(builds):
    (builds.cache_dir / cache_module.DB_FILE).write_bytes(b"this is not a database" * 100)
    EDITS["article title"](builds.root)
    result = builds.cli()
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: the cache")]
    assert len(notes) == 1 and "Traceback" not in result.stderr, result.stderr
    builds.assert_equals_clean()
    EDITS["tags"](builds.root)
    again = builds.cli()
    assert again.returncode == 0 and "note:" not in again.stderr, again.stderr
    builds.assert_equals_clean()


def test_damaged_cache_entries_are_rendered_again(builds):
    with sqlite3.connect(builds.cache_dir / cache_module.DB_FILE) as db:
        for table in cache_module.TABLES:
            db.execute(f"UPDATE {table} SET value = ?", (b"\x80garbage",))
    db.close()
    EDITS["article title"](builds.root)
    result = builds.incremental(out=builds.tmp / "fresh")  # every page's bytes are needed
    assert not result.report.errors
    builds.assert_equals_clean(builds.tmp / "fresh")


def test_a_cache_that_lost_the_bytes_of_its_pages_renders_them_again(builds):
    # The pages' links are kept apart from their bytes, which are read only when a page is written: a cache
    # damaged there (or trimmed by another build sharing it in between) must be a miss, never a crash.
    with sqlite3.connect(builds.cache_dir / cache_module.DB_FILE) as db:
        db.execute("UPDATE blobs SET value = ?", (b"\x80garbage",))
    db.close()
    result = builds.incremental(out=builds.tmp / "fresh")  # every page's bytes are needed
    assert not result.report.errors
    builds.assert_equals_clean(builds.tmp / "fresh")


def test_a_cache_that_lost_the_bytes_of_its_pages_is_no_internal_error_on_the_command_line(builds):
    with sqlite3.connect(builds.cache_dir / cache_module.DB_FILE) as db:
        db.execute("DELETE FROM blobs")
    db.close()
    shutil.rmtree(builds.out)
    result = builds.cli()
    assert result.returncode == 0 and "internal error" not in result.stderr, result.stderr
    builds.assert_equals_clean()


def test_a_cache_from_another_version_of_the_generator_is_not_used(builds):
    with sqlite3.connect(builds.cache_dir / cache_module.DB_FILE) as db:
        db.execute("UPDATE meta SET value = 'another' WHERE name = 'version'")
    db.close()
    EDITS["article body"](builds.root)
    result = builds.incremental()
    assert [n for n in result.notices if n.startswith("note: the cache")] == [
        f"note: the cache {builds.cache_dir / cache_module.DB_FILE} is not used: it was made by another version of "
        "the generator; it is built anew"]
    assert result.counts.pages_cached == 0
    builds.assert_equals_clean()
    assert builds.incremental().counts.pages == 0  # the cache built anew is used by the next build


def test_a_cache_from_another_version_is_not_used_through_the_command_line(builds):
    assert builds.cli().returncode == 0
    with sqlite3.connect(builds.cache_dir / cache_module.DB_FILE) as db:
        db.execute("UPDATE meta SET value = 'another' WHERE name = 'version'")
    db.close()
    EDITS["article body"](builds.root)
    result = builds.cli()
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("note: the cache")], result.stderr
    builds.assert_equals_clean()


def test_clean_removes_the_cache_and_the_next_build_equals_a_clean_one(builds):
    assert builds.cli().returncode == 0
    cleaned = run_cli("clean", "--site", str(builds.root), "--cache", str(builds.cache_dir))
    assert cleaned.returncode == 0 and cleaned.stdout.strip() == f"removed the cache {builds.cache_dir}"
    assert not builds.cache_dir.exists()
    again = run_cli("clean", "--site", str(builds.root), "--cache", str(builds.cache_dir))
    assert again.returncode == 0 and again.stdout.strip() == f"no cache at {builds.cache_dir}"
    EDITS["tags"](builds.root)
    rebuilt = builds.cli()
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("built "), rebuilt.stdout
    builds.assert_equals_clean()
    assert builds.cli().stdout.startswith("nothing changed since the last build")


# --- one cache kept in memory between builds, as the preview server does --------------------------------------------

@pytest.mark.parametrize("cache_dir", [None, "default"], ids=["memory only", "memory and file"])
def test_one_cache_object_reused_across_builds_equals_clean_builds(builds, cache_dir):
    folder = None if cache_dir is None else builds.tmp / "serve-cache"
    kept = Cache(folder)
    out = builds.tmp / "served"
    builds.incremental(cache=kept, out=out, cache_dir=folder)
    for name in ("article title", "date moves between years and pages", "template", "tags.yaml label",
                 "renamed article", "draft", "config per_page"):
        EDITS[name](builds.root)
        result = builds.incremental(cache=kept, out=out, cache_dir=folder)
        assert result.counts.pages_cached + result.counts.texts_cached > 0
        builds.assert_equals_clean(out)
    mistake, fix = FAILURES["impossible date"]
    mistake(builds.root)
    with pytest.raises(BuildFailed):
        builds.incremental(cache=kept, out=out, cache_dir=folder)
    fix(builds.root)
    builds.incremental(cache=kept, out=out, cache_dir=folder)
    builds.assert_equals_clean(out)
    unchanged = builds.incremental(cache=kept, out=out, cache_dir=folder)
    assert (unchanged.counts.pages, unchanged.counts.texts) == (0, 0)
    builds.assert_equals_clean(out)


# --- worker processes -----------------------------------------------------------------------------------------------

def large_site(root: Path) -> Path:
    """Write a site whose texts and pages are each more than `incremental.PARALLEL_FROM`."""
    files = {"content/tags.yaml": TAGS, "content/projects/alpha.yaml": ALPHA, "content/projects/beta.yaml": BETA,
             "content/organisations.yaml": ORGANISATIONS}
    for n in range(24):
        extra = f"tags: [{'meetings' if n % 2 else 'strategy'}]\n" + ("project: alpha\n" if n % 3 == 0 else "")
        for lang in ("sq", "sr", "en"):
            date = f"{2018 + n % 3}-0{1 + n % 9}-1{n % 10}"  # before the build date: none is scheduled
            files[f"content/news/n{n}.{lang}.md"] = article(f"Lajmi {n} {lang}", date, extra,
                                                           f"Teksti {n}, [alfa](../projects/alpha.yaml).")
    make_site(root, files)
    replace("site_config.yaml", "per_page: 10", "per_page: 2")(root)
    return root


def test_jobs_1_and_jobs_2_make_byte_identical_sites(tmp_path):
    root = large_site(tmp_path / "site")

    def build(out: Path, jobs: int, cache_dir: Path | None) -> pipeline.BuildResult:
        with time_bound(SECONDS):
            return pipeline.build(pipeline.Options(site_root=root, out_dir=out, build_date=BUILD_DATE,
                                                   cache_dir=cache_dir, jobs=jobs))

    one = build(tmp_path / "one", 1, None)
    two = build(tmp_path / "two", 2, tmp_path / "cache")
    # Enough of each to be rendered in worker processes.
    assert two.counts.texts >= incremental.PARALLEL_FROM and two.counts.pages >= incremental.PARALLEL_FROM
    assert_same_tree(tmp_path / "two", tmp_path / "one")
    # An edit every page shows (the stylesheet's address), rendered again in workers, with the texts cached.
    EDITS["static CSS"](root)
    again = build(tmp_path / "two", 2, tmp_path / "cache")
    assert again.counts.pages >= incremental.PARALLEL_FROM and again.counts.texts == 0
    build(tmp_path / "one-again", 1, None)
    assert_same_tree(tmp_path / "two", tmp_path / "one-again")
    assert one.report.format() == two.report.format()
