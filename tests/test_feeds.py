"""Atom feeds per language, project and tag: parsed by feedparser and checked against RFC 4287's rules."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import parse_html

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TAGS = {"sq": "sq", "sr": "sr-Latn", "sr-cyrl": "sr-Cyrl", "en": "en"}


def all_feeds(real_site):
    return sorted(real_site.rglob("feed.xml"))


def test_there_is_a_feed_per_language_project_and_tag(real_site):
    rel = {p.relative_to(real_site).as_posix() for p in all_feeds(real_site)}
    for lang in TAGS:
        assert f"{lang}/feed.xml" in rel
        assert f"{lang}/projects/kosint-2020/feed.xml" in rel
        assert f"{lang}/projects/joint-action-for-decentralization/feed.xml" in rel
        assert f"{lang}/tags/meetings/feed.xml" in rel


def test_every_feed_parses_without_bozo(real_site):
    for path in all_feeds(real_site):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"


def check_rfc4287(root: ET.Element, lang: str) -> None:
    """The rules of RFC 4287 that feedparser does not enforce, plus the page language."""
    assert root.tag == f"{A}feed" and root.get(XML_LANG) == TAGS[lang]
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{name}")) == 1, name
    assert RFC3339.match(root.findtext(f"{A}updated"))
    assert root.find(f"{A}author/{A}name").text
    assert [link.get("rel") for link in root.findall(f"{A}link")].count("self") == 1
    ids = []
    for entry in root.findall(f"{A}entry"):
        assert entry.get(XML_LANG) == TAGS[lang]
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        ids.append(entry.findtext(f"{A}id"))
        for name in ("updated", "published"):
            assert RFC3339.match(entry.findtext(f"{A}{name}")), name
        alternates = [link for link in entry.findall(f"{A}link") if link.get("rel") == "alternate"]
        assert alternates and alternates[0].get("hreflang") == TAGS[lang]
        pairs = [(link.get("type"), link.get("hreflang")) for link in alternates]
        assert len(pairs) == len(set(pairs)), "two alternates with the same type and hreflang"
        content = entry.find(f"{A}content")
        assert content is not None and content.get("type") == "html" and "<p>" in content.text
        assert "<script" not in content.text
    assert len(ids) == len(set(ids)) and all(ids)


def test_every_feed_meets_rfc4287_and_its_language(real_site):
    for path in all_feeds(real_site):
        lang = path.relative_to(real_site).parts[0]
        check_rfc4287(ET.parse(path).getroot(), lang)


def test_language_feed_has_the_languages_own_news_with_translation_links(real_site):
    feed = feedparser.parse((real_site / "sr/feed.xml").read_bytes())
    titles = [e.title for e in feed.entries]
    assert titles == ["Sektorski sastanci organizovani od KDU",
                      "Pokretanje projekta „Kosovska inicijativa za uključivanje 2020 - KOSINT 2020“"]
    assert feed.entries[0].link == "https://transparency.example.org/sr/news/sektorski-sastanci-kdu/"
    links = {link["hreflang"]: link["href"] for link in feed.entries[0].links if link["rel"] == "related"}
    assert links["sq"].endswith("/sq/news/takime-sektoriale-zqm/")
    assert links["en"].endswith("/en/news/sector-meetings-2019/")
    assert [t.term for t in feed.entries[0].tags] == ["roma-ashkali-egyptian-inclusion", "strategy", "meetings"]
    assert feed.entries[0].tags[2].label == "Sastanci"


def test_entry_ids_are_stable_and_differ_per_language(real_site):
    sq = feedparser.parse((real_site / "sq/feed.xml").read_bytes()).entries
    en = feedparser.parse((real_site / "en/feed.xml").read_bytes()).entries
    assert sq[0].id == "tag:transparency.example.org,2021-02-10:/news/joint-action-regular-meeting-2021/sq"
    assert {e.id for e in sq}.isdisjoint({e.id for e in en})


def test_project_feed_holds_the_projects_news(real_site):
    feed = feedparser.parse((real_site / "en/projects/kosint-2020/feed.xml").read_bytes())
    assert [e.link for e in feed.entries] == ["https://transparency.example.org/en/news/kosint-2020-launch/"]


@pytest.mark.parametrize("url, feeds", [
    ("sq/index.html", ["/sq/feed.xml"]),
    ("en/news/index.html", ["/en/feed.xml"]),
    ("sr/projects/kosint-2020/index.html", ["/sr/feed.xml", "/sr/projects/kosint-2020/feed.xml"]),
    ("en/tags/meetings/index.html", ["/en/feed.xml", "/en/tags/meetings/feed.xml"]),
])
def test_pages_announce_their_feeds(real_site, url, feeds):
    links = parse_html(real_site / url).find_all("link", type="application/atom+xml")
    assert [link["href"] for link in links] == feeds
    assert all(link["rel"] == ["alternate"] for link in links)
