"""Drafts and scheduled texts: left out of a build (pages, lists, feeds, sitemap, alternates) until their day,
shown with a banner by --drafts, and a link to one from a published page is an error that says so."""

from __future__ import annotations

import json

import feedparser

from conftest import article, make_site, parse_html, run_cli
from dritare import fingerprint

FILES = {
    "content/tags.yaml": "meetings: {sq: Takime, sr: Sastanci, en: Meetings}\n",
    "content/news/live.sq.md": article("Lajm", date="2021-05-01", extra="tags: [meetings]\n"),
    "content/news/live.en.md": article("News", date="2021-05-01", extra="tags: [meetings]\ndraft: true\n"),
    "content/news/wip.sq.md": article("Skicë e lajmit", date="2021-05-02", extra="tags: [meetings]\ndraft: true\n"),
    "content/news/later.sq.md": article("Më vonë", date="2021-06-15", extra="tags: [meetings]\n"),
    "content/pages/about.sq.md": "---\ntitle: Rreth nesh\nsummary: S.\ndraft: true\n---\n\nTekst.\n",
}


def build(root, *extra, date="2021-06-01"):
    return run_cli("build", "--site", str(root), "--build-date", date, *extra)


def every_text(out):
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.suffix in (".html", ".xml"))


def test_drafts_and_scheduled_texts_are_not_published(tmp_path):
    root = make_site(tmp_path / "site", FILES)
    result = build(root)
    assert result.returncode == 0, result.stderr
    out = root / "public"
    assert (out / "sq/news/live/index.html").is_file()
    for gone in ("sq/news/wip", "sq/news/later", "en/news/live", "sq/about"):
        assert not (out / gone).exists(), gone
    text = every_text(out)
    for leak in ("/sq/news/wip/", "/sq/news/later/", "/en/news/live/", "/sq/about/", "Skicë e lajmit", "Më vonë"):
        assert leak not in text, leak
    page = parse_html(out / "sq/news/live/index.html")
    assert [link["hreflang"] for link in page.select('link[rel="alternate"][hreflang]')] == ["sq", "x-default"]
    feed = feedparser.parse((out / "sq/feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Lajm"]
    assert [e.title for e in feedparser.parse((out / "sq/tags/meetings/feed.xml").read_bytes()).entries] == ["Lajm"]


def test_a_scheduled_text_is_published_by_the_first_build_on_its_day(tmp_path):
    root = make_site(tmp_path / "site", FILES)
    assert build(root, date="2021-06-15").returncode == 0
    out = root / "public"
    assert (out / "sq/news/later/index.html").is_file()
    assert "/sq/news/later/" in (out / "sitemap.xml").read_text()
    assert "Më vonë" in (out / "sq/news/index.html").read_text()
    assert "banner" not in (out / "sq/news/later/index.html").read_text()


def test_drafts_option_shows_them_with_a_translated_banner(tmp_path):
    root = make_site(tmp_path / "site", FILES)
    result = build(root, "--drafts")
    assert result.returncode == 0, result.stderr
    out = root / "public"
    draft = parse_html(out / "sq/news/wip/index.html").select_one(".banner-draft")
    assert draft is not None and "Skicë" in draft.get_text()
    english = parse_html(out / "en/news/live/index.html").select_one(".banner-draft")
    assert english is not None and "Draft" in english.get_text()
    later = parse_html(out / "sq/news/later/index.html").select_one(".banner-scheduled")
    assert later is not None and "Planifikuar për 15 qershor 2021" in later.get_text(), later
    assert parse_html(out / "sq/about/index.html").select_one(".banner-draft") is not None
    assert parse_html(out / "sq/news/live/index.html").select_one(".banner") is None
    assert "/sq/news/later/" in (out / "sq/feed.xml").read_text()


def test_a_link_to_a_draft_from_a_published_text_is_an_error_that_says_so(tmp_path):
    root = make_site(tmp_path / "site", {**FILES, "content/news/live.sq.md": article(
        "Lajm", date="2021-05-01", body="Shih [skicën](wip.sq.md) dhe [më vonë](later.sq.md).")})
    result = build(root)
    assert result.returncode == 1
    assert ('content/news/live.sq.md:7: error: the link "wip.sq.md" leads to content/news/wip.sq.md, which is a '
            "draft and not published") in result.stderr, result.stderr
    assert "later.sq.md, which is scheduled for 2021-06-15 and not published" in result.stderr
    assert "hint: publish it first" in result.stderr
    assert build(root, "--drafts").returncode == 0


def test_a_draft_with_a_mistake_is_still_reported(tmp_path):
    root = make_site(tmp_path / "site", {**FILES, "content/news/wip.sq.md": article(
        extra="draft: true\ntags: [meeting]\n")})
    result = build(root)
    assert result.returncode == 1 and 'the tag "meeting" is not in content/tags.yaml' in result.stderr


def test_nothing_changed_notices_the_drafts_option_and_a_new_day(tmp_path):
    root = make_site(tmp_path / "site", FILES)
    first = run_cli("build", "--site", str(root))
    assert first.returncode == 0, first.stderr
    assert "nothing changed" in run_cli("build", "--site", str(root)).stdout
    assert "nothing changed" not in run_cli("build", "--site", str(root), "--drafts").stdout
    assert "nothing changed" not in run_cli("build", "--site", str(root)).stdout
    # The day the build ran is in its record: the next day's build runs (and publishes what is scheduled for it).
    stamp_file = root / ".cache" / fingerprint.STAMP_FILE
    stamp = json.loads(stamp_file.read_text())
    assert stamp["request"]["today"] and stamp["request"]["drafts"] is False
    stamp["request"]["today"] = "2000-01-01"
    stamp_file.write_text(json.dumps(stamp))
    again = run_cli("build", "--site", str(root))
    assert again.returncode == 0 and "nothing changed" not in again.stdout


def test_preview_with_drafts_serves_them_with_the_banner(tmp_path):
    import datetime as dt

    from dritare import pipeline
    from dritare.serve import Preview

    root = make_site(tmp_path / "site", FILES)
    options = pipeline.Options(site_root=root, out_dir=root / "public", build_date=dt.date(2021, 6, 1), drafts=True)
    preview = Preview(root / "public")
    preview.rebuild(options)
    seen = {}
    body = b"".join(preview({"PATH_INFO": "/sq/news/later/"}, lambda status, headers: seen.update(status=status)))
    assert seen["status"] == "200 OK" and b"banner-scheduled" in body
