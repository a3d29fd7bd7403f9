"""The design in the system's Chromium: the header on phones, the menu, two columns on desktop, the footer at
the bottom, tap targets and the dark scheme."""

from __future__ import annotations

import pytest

from test_browser import DESKTOP, base_url, browser, context, expect, page  # noqa: F401 - fixtures

PHONES = [{"width": 320, "height": 568}, {"width": 375, "height": 667}]
LANGS = ("sq", "sr", "sr-cyrl", "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", PHONES, ids=["320", "375"])
def test_phone_header_is_compact_and_the_menu_is_collapsed(page, lang, viewport):
    """On a phone the header (title, menu button, languages) takes at most 110 px; the menu opens on a tap."""
    page.set_viewport_size(viewport)
    page.goto(f"/{lang}/")
    header = page.locator("header.masthead").bounding_box()
    assert header["height"] <= 110, f"the header is {header['height']} px high"
    menu = page.locator("nav.sections")
    expect(menu).to_be_hidden()
    page.locator("details.menu summary").click()
    expect(menu).to_be_visible()
    for link in menu.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44


@pytest.mark.parametrize("lang", LANGS)
def test_desktop_menu_is_one_row_of_44_px_targets(page, lang):
    """At 1280 px the main menu is shown, on one row, each link at least 44 px high; no menu button."""
    page.goto(f"/{lang}/news/")
    expect(page.locator("details.menu summary")).to_be_hidden()
    boxes = [link.bounding_box() for link in page.locator("nav.sections a").all()]
    assert len(boxes) >= 4 and len({round(b["y"]) for b in boxes}) == 1, boxes
    assert min(b["height"] for b in boxes) >= 44


def test_desktop_article_has_its_project_box_beside_the_text(page):
    """At 1280 px the project box stands to the right of the article's text, starting near its top."""
    page.goto("/en/news/kosint-2020-launch/")
    text = page.locator("main .prose").bounding_box()
    box = page.locator("aside.project-box").bounding_box()
    assert box["x"] >= text["x"] + text["width"], (text, box)
    assert box["y"] < text["y"] + 200


@pytest.mark.parametrize("path", ["/en/privacy/", "/sq/tags/", "/sr/404.html"])
def test_footer_stays_at_the_bottom_of_short_pages(page, path):
    """On a page shorter than the window, the footer ends at the window's bottom edge, with no band under it."""
    page.goto(path)
    footer = page.locator("footer.site-footer").bounding_box()
    height = page.evaluate("Math.max(document.documentElement.scrollHeight, window.innerHeight)")
    assert abs(footer["y"] + footer["height"] - height) <= 1, (footer, height)


@pytest.mark.parametrize("viewport", [PHONES[1], DESKTOP], ids=["375", "1280"])
def test_small_links_are_at_least_24_px_tall(page, viewport):
    """Tags, languages, footer links, "all news", archive and pagination links are at least 24 px high."""
    page.set_viewport_size(viewport)
    for path, selector in [("/en/news/kosint-2020-launch/", ".tags a"), ("/sq/", ".languages a"),
                           ("/sq/", "footer.site-footer a"), ("/sq/", "a.more"), ("/sr/news/", ".archive a"),
                           ("/en/news/kosint-2020-launch/", ".kicker a")]:
        page.goto(path)
        heights = [link.bounding_box()["height"] for link in page.locator(selector).all() if link.is_visible()]
        assert heights and min(heights) >= 24, (path, selector, heights)


def test_dark_scheme_is_dark(browser, base_url):  # noqa: F811 - fixtures
    """With prefers-color-scheme: dark the page is light text on a dark background."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto("/en/")
        colours = page.evaluate("""() => { const s = getComputedStyle(document.body);
            const n = c => c.match(/\\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b);
            return [n(s.backgroundColor), n(s.color)]; }""")
        assert colours[0] < 150 and colours[1] > 600, colours
    finally:
        context.close()
