"""Interface catalogs and templates from careless or hostile hands: clear errors at the line, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, article
from harness import assert_rejected, good_site, time_bound
from dritare import config, i18n, pipeline
from dritare.errors import BuildFailed, error

SQ = "locales/sq/LC_MESSAGES/messages.po"
MARKER = "Not translated; language: %(language)s"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small site in sq with one article only in sr (so sq lists it with the "not translated" marker)."""
    return good_site(tmp_path_factory.mktemp("i18n") / "site",
                     {"content/news/a.sq.md": article(), "content/news/b.sr.md": article("Naslov")})


@pytest.fixture
def site(built, tmp_path) -> Path:
    """A fresh copy of the built site, to make one mistake in."""
    return Path(shutil.copytree(built, tmp_path / "site", symlinks=True))


def line_of(root: Path, rel: str, text: str) -> int:
    """Return the line of `rel` where `text` first appears."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def replace_in(rel: str, old: str, new: str):
    """Return a mutation that replaces `old` by `new` in the site file `rel`."""
    def apply(root: Path) -> None:
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, old
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def translate(msgid: str, msgstr: str):
    """Return a mutation that gives `msgid` the translation `msgstr` in the sq catalog."""
    def apply(root: Path) -> None:
        lines = (root / SQ).read_text(encoding="utf-8").splitlines(keepends=True)
        at = lines.index(f'msgid "{msgid}"\n') + 1
        lines[at] = f'msgstr "{msgstr}"\n'
        (root / SQ).write_text("".join(lines), encoding="utf-8")
    return apply


def build_pages(root: Path) -> dict[str, BeautifulSoup]:
    """Return every page of the site at `root`, built in-process without writing, by output path."""
    result = pipeline.build(pipeline.Options(site_root=root, build_date=BUILD_DATE, write=False))
    return {f.path: BeautifulSoup(f.data, "html.parser") for f in result.files if f.path.endswith(".html")}


def build_errors(root: Path) -> list[str]:
    """Return the formatted errors of a build of `root` that must fail."""
    with pytest.raises(BuildFailed) as failed:
        pipeline.build(pipeline.Options(site_root=root, build_date=BUILD_DATE, write=False))
    return [d.format() for d in failed.value.report.errors]


# 1. A translation is text, never markup.

def test_script_in_a_translation_shows_as_text(site):
    translate(MARKER, "<script>alert(1)</script> %(language)s")(site)
    page = build_pages(site)["sq/news/index.html"]
    marker = page.select_one(".marker")
    assert marker.get_text() == "<script>alert(1)</script> serbisht"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(marker)
    assert not any("alert" in script.get_text() for script in page.find_all("script"))


def test_quote_in_a_translation_cannot_leave_its_attribute(site):
    translate("Language", 'Gjuha" onmouseover="alert(1)')(site)
    nav = build_pages(site)["sq/index.html"].select_one("nav.languages")
    assert nav["aria-label"] == 'Gjuha" onmouseover="alert(1)'
    assert not nav.has_attr("onmouseover")


def test_a_translation_with_a_placeholder_still_reads_right(site):
    pages = build_pages(site)
    assert pages["sq/news/index.html"].select_one(".marker").get_text() == "Pa përkthim; gjuha: serbisht"
    assert pages["sr/news/index.html"].select_one(".marker").get_text() == "Nije prevedeno; jezik: albanski"


# 2. Placeholders of a translation must fit its msgid.

@pytest.mark.parametrize("msgstr, reason", [
    ("Pa përkthim; gjuha: %(jezik)s", "unknown named placeholder 'jezik'"),
    ("Pa përkthim; gjuha: %(language)d", "incompatible format for placeholder 'language'"),
    ("Pa përkthim 100%; gjuha: %(language)s", "it has a % sign that is not part of a placeholder"),
])
def test_a_renamed_or_retyped_placeholder_is_an_error_at_its_line(site, msgstr, reason):
    line = line_of(site, SQ, f'msgid "{MARKER}"')
    assert_rejected(site, translate(MARKER, msgstr),
                    f'{SQ}:{line}: error: the translation of "{MARKER}" does not fit: {reason}',
                    "hint: copy every placeholder such as %(language)s from the msgid exactly as it is")


def test_a_lone_percent_sign_in_a_plain_translation_is_an_error(site):
    line = line_of(site, SQ, 'msgid "News"')
    assert_rejected(site, translate("News", "50% Lajme"),
                    f'{SQ}:{line}: error: the translation of "News" does not fit: it has a % sign')


def test_a_bad_placeholder_that_slips_through_is_a_template_error_not_a_traceback(site, monkeypatch):
    translate(MARKER, "Pa përkthim; gjuha: %(jezik)s")(site)
    monkeypatch.setattr(i18n, "placeholder_problems", lambda rel, catalog: [])
    line = line_of(site, "templates/macros.html", MARKER)
    problems = [p for p in build_errors(site) if "jezik" in p]
    assert problems and all(p.startswith(f"templates/macros.html:{line}: error: 'jezik' (KeyError)") for p in problems)


# 3. Headers that Babel or gettext cannot use.

def test_a_bogus_charset_is_an_error_at_the_header(site):
    line = line_of(site, SQ, "charset=utf-8")
    assert_rejected(site, replace_in(SQ, "charset=utf-8", "charset=BOGUS"),
                    f'{SQ}:{line}: error: the header "Content-Type: text/plain; charset=BOGUS" is wrong: '
                    "unknown encoding: bogus",
                    'hint: write "Content-Type: text/plain; charset=UTF-8\\n"')


@pytest.mark.parametrize("plural, reason", [
    ("nplurals=x; plural=(n", 'the header "Plural-Forms: nplurals=x; plural=(n" is wrong'),
    ("nplurals=2; plural=(n", "the catalog cannot be compiled: unbalanced parenthesis in plural form"),
    # Babel would fill each plural message out to a billion translations, and never finish.
    ("nplurals=1000000000; plural=n;", 'the header "Plural-Forms: nplurals=1000000000; plural=n;" is wrong: '
                                       "nplurals=1000000000, but a language has from 1 to 6 plural forms"),
])
def test_a_broken_plural_forms_header_is_an_error_at_the_header(site, plural, reason):
    line = line_of(site, SQ, "Plural-Forms:")
    assert_rejected(site, replace_in(SQ, "nplurals=2; plural=(n != 1);", plural),
                    f"{SQ}:{line}: error: {reason}",
                    'hint: write "Plural-Forms: nplurals=2; plural=(n != 1);\\n", the rule for Shqip')


def test_a_catalog_not_in_the_charset_it_names_is_an_error_at_the_header(site):
    line = line_of(site, SQ, "charset=utf-8")
    assert_rejected(site, replace_in(SQ, "charset=utf-8", "charset=ascii"),
                    f"{SQ}:{line}: error: the text is not in the charset the header names")


# 4. Catalogs that cannot be read.

def test_a_catalog_that_is_not_utf8_is_an_error_at_the_byte(site):
    line = line_of(site, SQ, 'msgstr "Lajmet"')

    def damage(root: Path) -> None:
        (root / SQ).write_bytes((root / SQ).read_bytes().replace(b'msgstr "Lajmet"', b'msgstr "La\xffjmet"'))
    assert_rejected(site, damage, f"{SQ}:{line}:11: error: the file is not UTF-8 (byte 0xff)")


@pytest.mark.parametrize("replace_with, what", [(os.mkfifo, "a named pipe (FIFO)"), (os.mkdir, "a folder")])
def test_a_catalog_that_is_not_an_ordinary_file_is_an_error(site, replace_with, what):
    def swap(root: Path) -> None:
        (root / SQ).unlink()
        replace_with(root / SQ)
    assert_rejected(site, swap, f"{SQ}: error: this is {what}, not a file", timeout=30)


def test_a_catalog_the_builder_may_not_read_is_an_error(site, monkeypatch):
    # The tests run as root, who may read anything: refuse the catalog the way the system would.
    real_open, target = os.open, str(site / SQ)

    def refuse(path, *args, **kwargs):
        if os.fspath(path) == target:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    loaded, _ = config.load(site)
    with time_bound(5):
        catalog, problems = i18n.compile_catalog(loaded, loaded.lang("sq"))
    assert catalog is None
    assert problems == [error(SQ, 0, 0, "this file cannot be read: Permission denied",
                              "let the user who builds the site read it: check its permissions and its owner")]


# 5. Templates that fail while rendering or cannot be read.

def test_a_division_by_zero_in_a_template_is_an_error_at_its_line(site):
    line = line_of(site, "templates/base.html", '<main id="main"')
    assert_rejected(site, replace_in("templates/base.html", '<main id="main">',
                                     '<main id="main">{{ 1/0 }}'),
                    f"templates/base.html:{line}: error: division by zero (ZeroDivisionError) (on /",
                    "hint: correct the expression on this line")


def test_a_macro_that_calls_itself_forever_is_an_error_at_its_line(site):
    line = line_of(site, "templates/home.html", "{% block main %}") + 1
    assert_rejected(site, replace_in("templates/home.html", "{% block main %}\n",
                                     "{% block main %}\n{% macro forever() %}{{ forever() }}{% endmacro %}"
                                     "{{ forever() }}\n"),
                    f"templates/home.html:{line}: error: maximum recursion depth exceeded (RecursionError) (on /",
                    "hint: a macro, include or block calls itself without end")


def test_an_include_of_a_missing_template_is_an_error_at_its_line(site):
    line = line_of(site, "templates/home.html", "<h1>{{ site_title }}</h1>")
    assert_rejected(site, replace_in("templates/home.html", "<h1>{{ site_title }}</h1>",
                                     '<h1>{{ site_title }}</h1>{% include "nope.html" %}'),
                    f'templates/home.html:{line}: error: there is no template "nope.html" (on /')


def test_a_template_that_is_not_utf8_is_an_error_at_the_byte(site):
    line = line_of(site, "templates/home.html", "<h1>{{ site_title }}</h1>")

    def damage(root: Path) -> None:
        path = root / "templates/home.html"
        path.write_bytes(path.read_bytes().replace(b"<h1>{{ site_title }}", b"<h1>\xff{{ site_title }}"))
    assert_rejected(site, damage, f"templates/home.html:{line}:5: error: the file is not UTF-8 (byte 0xff)")


def test_the_template_check_refuses_a_named_pipe_without_waiting_for_it(site):
    os.mkfifo(site / "templates/extra.html")
    loaded, _ = config.load(site)
    sq = loaded.lang("sq")
    env = i18n.environment(loaded, i18n.Formatter(loaded, sq), i18n.compile_catalog(loaded, sq)[0])
    with time_bound(5):
        _, problems = i18n.check_templates(env, {})
    assert error("templates/extra.html", 0, 0, "this is a named pipe (FIFO), not a file",
                 "remove it: only ordinary files can be part of the site") in problems


def test_a_named_pipe_among_the_templates_is_an_error_not_a_hang(site):
    assert_rejected(site, lambda root: os.mkfifo(root / "templates/extra.html"),
                    "templates/extra.html: error: this is a named pipe (FIFO), not a file", timeout=30)


def test_the_same_template_error_on_every_page_is_one_message_with_a_count(site):
    replace_in("templates/base.html", '<main id="main">', '<main id="main">{{ 1/0 }}')(site)
    line = line_of(site, "templates/base.html", '<main id="main"')
    with pytest.raises(BuildFailed) as failed:
        pipeline.build(pipeline.Options(site_root=site, build_date=BUILD_DATE, write=False))
    [merged] = [d for d in failed.value.report.errors if "division by zero" in d.message]
    assert re.match(rf"templates/base.html:{line}: error: division by zero \(ZeroDivisionError\) "
                    r"\(on /\S* and [1-9]\d+ other pages\)", merged.format())


def test_repeats_of_one_error_on_many_pages_merge_into_one_with_a_count():
    problems = [error("templates/base.html", 3, 0, f"division by zero (ZeroDivisionError) (on /{n}/)") for n in range(5)]
    [merged] = i18n.merge_repeats(problems + [error("templates/base.html", 4, 0, "other (on /x/)")])[:1]
    assert merged.message == "division by zero (ZeroDivisionError) (on /0/ and 4 other pages)"
