"""Markdown that would take minutes, nest without end, reuse the layout's ids or smuggle in control characters:
a clear message at its line, in bounded time, and a page and feed that stay well-formed."""

from __future__ import annotations

import re
import signal
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import article, parse_html
from harness import assert_rejected, build_cli, good_site, time_bound, write
from dritare import markdown_html
from dritare.sources import CONTROL

ARTICLE = "content/news/a.sq.md"
BODY_LINE = 7  # article() puts the text on the 7th line of the file
INTRO = "Hyrja.\n\n"  # so that the slow part starts on line 9, not on the body's first line


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Return a small site that built once; each test below writes its own article over it."""
    return good_site(tmp_path_factory.mktemp("hardening") / "site", {ARTICLE: article()})


def rejected(root, body: str, *expected: str) -> str:
    """Write `body` as the article's text, build, and return the messages of the failed build."""
    result = assert_rejected(root, write(ARTICLE, article(body=body)), *expected, timeout=40)
    return result.stderr


@pytest.mark.parametrize("slow, hint", [
    ("<a " * 20000, 'hint: it has 20000 "<": split it into shorter paragraphs'),
    ("<http://" * 20000, 'hint: it has 20000 "<": split it into shorter paragraphs'),
    ("term\n" + ": def\n" * 10000, 'hint: it has 10000 lines starting with ":": put a blank line between'),
], ids=["unclosed-tags", "unclosed-autolinks", "definitions"])
def test_text_that_is_slow_to_convert_is_an_error_at_its_paragraph(built, slow, hint):
    started = time.monotonic()
    rejected(built, INTRO + slow, f"{ARTICLE}:9: error: this paragraph takes too long to turn into HTML", hint)
    assert time.monotonic() - started < 30


def test_many_paragraphs_each_slow_are_an_error_at_one_of_them(built):
    paragraphs = ("[" * 999 + "\n\n") * 100
    said = rejected(built, INTRO + paragraphs, "error: this paragraph takes too long to turn into HTML",
                    'hint: it has 999 "[": split it into shorter paragraphs, or write \\[ for a "[" that opens no link')
    line = int(re.search(rf"{ARTICLE}:(\d+): error", said).group(1))
    assert line in range(9, 9 + 200, 2)


@pytest.mark.parametrize("body, line", [
    ('<div markdown="1">\n' * 400 + "x\n" + "</div>\n" * 400, 9 + 50),
    ('<div markdown="1">' * 50000 + "x" + "</span>" * 50000, 9),
    ("".join("    " * level + "- pikë\n" for level in range(300)), 9 + 50),
    (">" * 1000 + " citat\n", 9),
], ids=["divs", "divs-on-one-line", "lists", "quotes"])
def test_text_nested_too_deeply_is_an_error_at_the_line(built, body, line):
    rejected(built, INTRO + body, f"{ARTICLE}:{line}: error: this line is nested more than 50 levels deep (lists, "
                                  "quotes and HTML elements inside each other)",
             "hint: take some of the levels out: a page cannot show that many")


def test_markdown_recursing_too_deeply_is_an_error_not_a_traceback(built):
    glossary = "".join(f"termi {n}\n: përkufizimi {n}\n" for n in range(3000))
    rejected(built, INTRO + glossary, f"{ARTICLE}:9: error: this text is nested too deeply to turn into HTML",
             "in a definition list, put a blank line before each new term")


def test_fifty_levels_of_lists_quotes_and_divs_still_build(tmp_path):
    body = ("".join("    " * level + "- pikë\n" for level in range(50)) + "\n" + ">" * 50 + " citat\n\n"
            + '<div markdown="1">\n' * 50 + "x\n" + "</div>\n" * 50)
    root = good_site(tmp_path / "site", {ARTICLE: article(body=body)})
    prose = parse_html(root / "public/sq/news/a/index.html").select_one(".prose")
    assert len(prose.find_all("ul")) == 50 and len(prose.find_all("blockquote")) == 50


def test_valid_texts_with_thousands_of_brackets_or_references_build(tmp_path):
    code = "Kodi:\n\n    " + "[" * 2000 + "\n"
    references = ("".join(f"Shih [burimin {n}][r{n}].\n\n" for n in range(1500))
                  + "".join(f"[r{n}]: https://example.org/{n}\n" for n in range(1500)))
    root = good_site(tmp_path / "site", {ARTICLE: article(body=code), "content/news/b.sq.md": article(body=references)})
    assert parse_html(root / "public/sq/news/a/index.html").select_one("pre code").get_text() == "[" * 2000 + "\n"
    links = parse_html(root / "public/sq/news/b/index.html").select(".prose a")
    assert len(links) == 1500 and links[-1]["href"] == "https://example.org/1499"


def test_ids_in_the_text_never_repeat_the_layouts_or_each_other(tmp_path):
    body = 'Hyrja <span id="main">këtu</span>.\n\n## Buxheti {#shuma}\n\nTjetër <b id="shuma">shumë</b>.\n'
    root = good_site(tmp_path / "site", {ARTICLE: article(body=body)})
    result = build_cli(root)
    assert f'{ARTICLE}:7: warning: the id "main" is taken out: the page layout uses it' in result.stderr
    assert f'{ARTICLE}:11: warning: the id "shuma" is used twice on this page; the second one is taken out' \
        in result.stderr
    page = parse_html(root / "public/sq/news/a/index.html")
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)) and page.find(id="main").name == "main"
    assert page.select_one(".prose h2")["id"] == "shuma" and page.select_one(".prose b").get("id") is None


def test_layout_ids_are_those_of_base_and_of_the_templates_that_show_a_text(tmp_path):
    (tmp_path / "base.html").write_text('<main id="main">{% block main %}{% endblock %}</main>')
    (tmp_path / "article.html").write_text('<h2 id="box">x</h2>{{ body }}<p id="{{ dynamic }}">')
    (tmp_path / "home.html").write_text('<h2 id="latest">x</h2>')
    assert markdown_html.layout_ids(tmp_path) == {"main", "box"}


def test_control_characters_never_reach_the_page_or_the_feed(tmp_path):
    body = "Sipas &#xFFFE;planit&#x1; dhe &#x81;buxhetit \ufffe dhe \x85 fund.\n"
    root = good_site(tmp_path / "site", {"content/news/a.en.md": article("A", body=body)})
    result = build_cli(root)
    assert 'a.en.md:7: warning: "&#xFFFE;" stands for an invisible control character (U+FFFE)' in result.stderr
    feed = (root / "public/en/feed.xml").read_text(encoding="utf-8")
    page = (root / "public/en/news/a/index.html").read_text(encoding="utf-8")
    assert ET.fromstring(feed.encode()).tag.endswith("feed")
    assert CONTROL.search(feed) is None and CONTROL.search(page) is None
    assert "planit" in page and "buxhetit" in page


def test_paragraph_with_a_few_hundred_brackets_still_renders():
    with time_bound(10):
        html, problems = markdown_html.render("[" * 500 + " fund", lambda path: None, "example.org")
    assert html == "<p>" + "[" * 500 + " fund</p>" and problems == []


def test_deadline_interrupts_python_code_and_puts_back_the_outer_timer():
    with time_bound(20):
        outer = signal.getsignal(signal.SIGALRM)
        with pytest.raises(markdown_html.TooSlow):
            with markdown_html.deadline(0.2):
                while True:
                    pass
        assert signal.getsignal(signal.SIGALRM) is outer
        assert 15 < signal.getitimer(signal.ITIMER_REAL)[0] <= 20


def test_deadline_leaves_a_sooner_outer_timer_alone():
    with time_bound(1):
        with markdown_html.deadline(5):
            assert signal.getitimer(signal.ITIMER_REAL)[0] <= 1


def test_deadline_off_the_main_thread_does_not_bound():
    finished = []

    def work():
        with markdown_html.deadline(0.01):
            time.sleep(0.1)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert finished == [True]
