"""Dates known only to the month, British English dates, and the organisation an article's text comes from."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import BUILD_DATE, REPO, article, make_site, parse_html
from dritare import config, dates, i18n, pipeline
from harness import assert_rejected, good_site, write

ATOM = "{http://www.w3.org/2005/Atom}"


def build(root):
    """Build the small site at `root` into root/public and return that folder."""
    pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public", build_date=BUILD_DATE))
    return root / "public"


def json_ld(page) -> dict:
    [data] = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return data


@pytest.fixture(scope="module")
def site():
    """The real site's configuration (its languages and locales)."""
    found, problems = config.load(REPO)
    assert found is not None, problems
    return found


# --- reading ---

def test_a_month_without_a_day_is_read_as_that_month():
    month = dates.parse("2019-03", month_allowed=True)
    assert isinstance(month, dates.Month) and (month.year, month.month) == (2019, 3)
    assert month.isoformat() == str(month) == "2019-03"
    assert dates.day_of(month) == "2019-03-01"
    assert pickle.loads(pickle.dumps(month)) == month and type(pickle.loads(pickle.dumps(month))) is dates.Month


def test_a_whole_date_stays_a_date():
    day = dates.parse("2019-03-31", month_allowed=True)
    assert type(day) is dt.date and day.isoformat() == "2019-03-31"


@pytest.mark.parametrize("text, why", [("2019-13", "calendar"), ("2019-00", "calendar"), ("2019-3", "form"),
                                       ("March 2019", "form"), ("2019-02-30", "calendar")])
def test_impossible_or_misshapen_dates_are_refused(text, why):
    with pytest.raises(ValueError, match=why):
        dates.parse(text, month_allowed=True)


def test_project_dates_need_the_day():
    """Only an article's date may leave out the day: a project sheet's dates are contract dates."""
    with pytest.raises(ValueError, match="form"):
        dates.parse("2019-03", month_allowed=False)


def test_an_impossible_month_is_an_error_at_its_line(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/a.sq.md", article(date="2019-13")),
                    'content/news/a.sq.md:3:7: error: date: "2019-13" is not a real month', "months go from 01 to 12")


def test_a_date_in_another_form_suggests_the_month_form_too(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/a.sq.md", article(date="03.2019")),
                    'content/news/a.sq.md:3:7: error: date: "03.2019" is not a date in the form YYYY-MM-DD',
                    "or 2021-02 when only the month is known")


def test_updated_before_a_month_is_an_error(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/a.sq.md", article(date="2019-03", extra="updated: 2019-02-27\n")),
                    "content/news/a.sq.md:5:10: error: updated: is before date")


# --- showing ---

@pytest.mark.parametrize("code, month, day", [("sq", "mars 2019", "21 dhjetor 2018"),
                                              ("sr", "mart 2019.", "21. decembar 2018."),
                                              ("en", "March 2019", "21 December 2018")])
def test_dates_are_shown_in_each_languages_form(site, code, month, day):
    """A month alone in each locale's own order and spelling; English in British form (en_GB)."""
    fmt = i18n.Formatter(site, site.lang(code))
    assert fmt.date(dates.Month(2019, 3)) == month
    assert fmt.date(dt.date(2018, 12, 21)) == day


def test_english_medium_dates_are_british(site):
    assert i18n.Formatter(site, site.lang("en")).date(dt.date(2018, 12, 21), "medium") == "21 Dec 2018"


@pytest.fixture(scope="module")
def month_site(tmp_path_factory):
    """A small site with articles of 15 March, of March (no day) and of 28 February 2019, the March one with a
    source and an `updated` day, built once."""
    root = tmp_path_factory.mktemp("months") / "site"
    make_site(root, {
        "content/news/mid.sq.md": article("Mesi", "2019-03-15"),
        "content/news/month.sq.md": article("Muaji", "2019-03", extra="updated: 2019-04-02\nsource: Zyra për Qeverisje të Mirë\n"),
        "content/news/month.en.md": article("Month", "2019-03", extra="source:\n  name: Office for Good Governance\n"
                                                                     "  url: https://example.org/news/1\n"),
        "content/news/feb.sq.md": article("Shkurti", "2019-02-28"),
    })
    return build(root)


def test_a_month_article_shows_the_month_and_a_machine_readable_month(month_site):
    page = parse_html(month_site / "sq/news/month/index.html")
    time = page.find("main").find("time")
    assert time["datetime"] == "2019-03" and time.get_text() == "mars 2019"
    assert parse_html(month_site / "en/news/month/index.html").find("main").find("time").get_text() == "March 2019"


def test_a_month_article_sorts_as_of_the_first_day_of_its_month(month_site):
    """Newest first: 15 March, then March (its day unknown, taken as the 1st), then 28 February."""
    for listing in ("sq/news/index.html", "sq/news/2019/index.html"):
        titles = [h.get_text(strip=True) for h in parse_html(month_site / listing).find("main").find_all(["h2", "h3"])]
        order = [t for t in titles if t in ("Mesi", "Muaji", "Shkurti")]
        assert order == ["Mesi", "Muaji", "Shkurti"], (listing, titles)


def test_a_month_article_is_in_feeds_as_of_the_first_day(month_site):
    root = ET.parse(month_site / "sq/feed.xml").getroot()
    [entry] = [e for e in root.iter(ATOM + "entry") if e.find(ATOM + "title").text == "Muaji"]
    assert entry.find(ATOM + "published").text == "2019-03-01T00:00:00Z"
    assert entry.find(ATOM + "updated").text == "2019-04-02T00:00:00Z"
    assert entry.find(ATOM + "id").text.startswith("tag:transparency.example.org,2019-03:")
    parsed = feedparser.parse((month_site / "sq/feed.xml").read_bytes())
    assert not parsed.bozo
    [item] = [e for e in parsed.entries if e.title == "Muaji"]
    assert item.published_parsed[:3] == (2019, 3, 1)


def test_a_month_article_has_a_reduced_precision_date_in_json_ld(month_site):
    data = json_ld(parse_html(month_site / "sq/news/month/index.html"))
    assert data["datePublished"] == "2019-03" and data["dateModified"] == "2019-04-02"
    assert json_ld(parse_html(month_site / "sq/news/mid/index.html"))["datePublished"] == "2019-03-15"


# --- the source of a text ---

def test_an_article_credits_its_source_on_the_page_and_as_its_author(month_site):
    page = parse_html(month_site / "sq/news/month/index.html")
    credit = page.find(class_="source")
    assert " ".join(credit.get_text().split()) == "Burimi: Zyra për Qeverisje të Mirë" and credit.find("a") is None
    assert json_ld(page)["author"] == {"@type": "Organization", "name": "Zyra për Qeverisje të Mirë"}


def test_a_source_with_an_address_links_to_the_original(month_site):
    page = parse_html(month_site / "en/news/month/index.html")
    link = page.find(class_="source").find("a")
    assert link["href"] == "https://example.org/news/1" and link.get_text() == "Office for Good Governance"
    assert json_ld(page)["author"] == {"@type": "Organization", "name": "Office for Good Governance",
                                       "url": "https://example.org/news/1"}


def test_an_article_without_a_source_is_the_sites_own(month_site):
    page = parse_html(month_site / "sq/news/mid/index.html")
    assert page.find(class_="source") is None
    assert json_ld(page)["author"]["url"] == "https://transparency.example.org/"


def test_a_source_address_must_be_a_web_address(tmp_path):
    root = good_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    assert_rejected(root, write("content/news/a.sq.md", article(extra="source:\n  name: KEC\n  url: www.kec\n")),
                    'content/news/a.sq.md:7:8: error: source.url: "www.kec" is not a web address')


# --- the real site ---

@pytest.mark.parametrize("url, month", [("/sq/news/takime-sektoriale-zqm/", "mars 2019"),
                                        ("/sr/news/sektorski-sastanci-kdu/", "mart 2019."),
                                        ("/en/news/sector-meetings-2019/", "March 2019")])
def test_the_sector_meetings_are_dated_by_their_month_only(real_pages, url, month):
    """The sources give only "March" 2019: no day is shown or published."""
    page = real_pages[url]
    time = page.find("main").find("time")
    assert (time["datetime"], time.get_text()) == ("2019-03", month)
    assert json_ld(page)["datePublished"] == "2019-03"


def test_every_real_article_credits_its_organisation(real_pages):
    articles = {url: page for url, page in real_pages.items()
                if url.count("/") == 4 and "/news/" in url and not url.split("/")[3].isdigit()}
    assert len(articles) >= 8
    for url, page in articles.items():
        assert page.find(class_="source") is not None, url
        author = json_ld(page)["author"]
        assert author["@type"] == "Organization" and author["name"] in page.find(class_="source").get_text(), url
