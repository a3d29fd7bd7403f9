"""Browser tests: the built real site served on localhost and used through the system's Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness import served, unavailable

# The system's Chromium (Debian package "chromium"); Playwright never downloads a browser here.
CHROMIUM = Path(os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Set SCREENSHOT_DIR to keep the screenshots for review; otherwise they stay in pytest's tmp folder.
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
ARTICLE = "news/kosint-2020-launch/"
PROJECT = "projects/joint-action-for-decentralization/"
OVERVIEW = "projects/"
SAMPLE = [f"/{lang}/{rel}" for lang in ("sq", "sr", "en") for rel in ("", "news/", ARTICLE, PROJECT, OVERVIEW)]
SCREENSHOT_PAGES = ["/", "/sq/", "/en/news/", "/sr/" + PROJECT, "/en/" + ARTICLE]


def plain(text: str) -> str:
    """Return `text` with no-break and narrow no-break spaces turned into ordinary spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")




@pytest.fixture(scope="module")
def base_url(real_site):
    """Serve the built real site on 127.0.0.1 at a free port, and return its base URL."""
    with served(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Yield the system's Chromium driven by Playwright (skip locally, fail on CI, if missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser, base_url):
    """One browser context for the module, at a desktop viewport."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A fresh tab, closed after the test."""
    page = context.new_page()
    yield page
    page.close()


def expect(target):
    """Playwright's expect, imported lazily so that a missing package only skips or fails."""
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect(target)


def test_chooser_english_opens_english_home(page, base_url):
    """On the language chooser at /, clicking "English" opens /en/ in English."""
    page.goto("/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(base_url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_language_switcher_keeps_the_same_article(page, base_url):
    """Switching an Albanian article to English opens the same article, with its English title."""
    page.goto("/sq/" + ARTICLE)
    expect(page.locator("h1")).to_contain_text("Lansimi i Projektit")
    page.get_by_role("navigation", name="Gjuha").get_by_role("link", name="English").click()
    expect(page).to_have_url(base_url + "/en/" + ARTICLE)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(
        "Launch of the Project \u201cKosovo Inclusion Initiative 2020 - KOSINT 2020\u201d")


def test_untranslated_page_leads_to_section_with_visible_notice(page, base_url):
    """An article with no Serbian version leads to /sr/news/ with a visible "not translated" notice."""
    page.goto("/sq/news/joint-action-regular-meeting-2021/")
    page.get_by_role("navigation", name="Gjuha").get_by_role("link", name="Srpski").click()
    expect(page).to_have_url(base_url + "/sr/news/#not-translated")
    notice = page.locator("#not-translated")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("nije prevedena")


def test_section_opened_directly_hides_not_translated_notice(page):
    """The "not translated" notice stays hidden when /sr/news/ is opened directly."""
    page.goto("/sr/news/")
    expect(page.locator("h1")).to_have_text("Vesti")
    expect(page.locator("#not-translated")).to_be_hidden()


def test_navigation_works_without_javascript(browser, base_url):
    """With JavaScript off, a reader reaches a project's budget from the Albanian home page."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto("/sq/")
        page.get_by_role("navigation", name="Menyja kryesore").get_by_role("link", name="Projektet").click()
        expect(page).to_have_url(base_url + "/sq/projects/")
        page.get_by_role("main").get_by_role("link", name="Aksioni i Përbashkët për Decentralizim").click()
        expect(page).to_have_url(base_url + "/sq/" + PROJECT)
        budget = page.locator("table.budget")
        expect(budget).to_be_visible()
        assert "535 295,52 €" in plain(budget.inner_text())
    finally:
        context.close()


@pytest.mark.parametrize("path", SAMPLE)
def test_no_horizontal_scroll_on_small_phone(page, path):
    """At 360x740 the page never scrolls sideways."""
    page.set_viewport_size(MOBILE)
    page.goto(path)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path}: content is {widths[0]} px wide in a {widths[1]} px window"


def test_first_tab_shows_skip_link(page):
    """The first Tab on /en/ focuses a visible "Skip to main content" link."""
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    view = page.viewport_size
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], box
    assert 0 <= box["y"] and box["y"] + box["height"] <= view["height"], box


@pytest.mark.parametrize("path", SCREENSHOT_PAGES)
def test_full_page_screenshots(page, path, tmp_path):
    """Each key page renders to a non-trivial full-page PNG at desktop and mobile widths."""
    name = path.strip("/").replace("/", "_") or "chooser"
    for label, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(viewport)
        page.goto(path)
        shot = tmp_path / f"{name}-{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{shot.name} is not a PNG"
        assert len(data) > 10_000, f"{shot.name} is only {len(data)} bytes"
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, SHOTS / shot.name)


@pytest.mark.parametrize("path", ["/"] + SAMPLE)
def test_page_loads_without_errors(page, path):
    """The page loads with no console error, no failed request and no HTTP error response."""
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url} ({req.failure})"))
    page.on("response", lambda res: res.status >= 400 and problems.append(f"HTTP {res.status}: {res.url}"))
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert problems == [], f"{path}: {problems}"


def test_root_404_shows_the_language_of_the_missing_address(page):
    """A missing /sr/... address shows the Serbian "not found" message alone, with lang set to Serbian."""
    response = page.goto("/sr/nema-ove-stranice/")
    assert response.status == 404
    visible = [h.inner_text() for h in page.locator("h1").all() if h.is_visible()]
    assert visible == ["Stranica nije pronađena"]
    assert page.locator("html").get_attribute("lang") == "sr-Latn"
    page.get_by_role("link", name="Srpski").click()
    assert page.url.endswith("/sr/")


def overview_titles(page) -> list[str]:
    return [plain(t) for t in page.locator("table.pv-table tbody th").all_inner_texts()]


def test_overview_columns_sort_with_javascript(page):
    """On /sq/projects/ the column headers are buttons that sort the rows and say so with aria-sort; a project
    without a stated budget stays last whichever way the budget is sorted."""
    page.goto("/sq/" + OVERVIEW)
    table = page.locator("table.pv-table")
    title = table.get_by_role("columnheader", name="Titulli")
    title.get_by_role("button").click()
    expect(title).to_have_attribute("aria-sort", "ascending")
    assert overview_titles(page) == sorted(overview_titles(page))
    title.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(title).to_have_attribute("aria-sort", "descending")
    assert overview_titles(page) == sorted(overview_titles(page), reverse=True)
    budget = table.get_by_role("columnheader", name="Buxheti i përgjithshëm")
    for direction in ("ascending", "descending"):
        budget.get_by_role("button").click()
        expect(budget).to_have_attribute("aria-sort", direction)
        expect(title).not_to_have_attribute("aria-sort", "descending")
        last = plain(table.locator("tbody tr").last.inner_text())
        assert "nuk është shënuar" in last.split("\t")[-2], last


def test_overview_reads_without_javascript(browser, base_url):
    """With JavaScript off the overview is a plain table: no buttons, every project, the totals and the note,
    and on a small phone it scrolls inside its own box, never the page."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=MOBILE)
    try:
        page = context.new_page()
        page.goto("/en/" + OVERVIEW)
        table = page.get_by_role("table", name="Projects (2)")
        expect(table).to_be_visible()
        expect(table.get_by_role("button")).to_have_count(0)
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table.locator("tfoot")).to_contain_text("€535,295.52")
        expect(page.locator("#pv-notes")).to_contain_text("1 project has no stated budget")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        page.get_by_role("link", name="Ongoing").click()
        expect(page).to_have_url(base_url + "/en/projects/status/ongoing/")
        expect(page.get_by_role("link", name="Ongoing")).to_have_attribute("aria-current", "page")
    finally:
        context.close()
