"""The built real site audited as a reader's browser and the standard checkers see it: axe-core's WCAG 2.1 A and
AA rules on every page at phone and desktop widths, the Nu Html Checker over every page and the CSS, a crawl
over HTTP that finds every page and no broken link, no request to another website, no sideways scrolling at
320 px, a visible focus, a working skip link and a printable project page.

The tools come from npm (`tests/browser/package.json`, installed with `npm ci` there), so that axe-core is
the current release and not a copy bundled in a wrapper; Chromium is the system's, driven by Playwright.
Where a tool is missing the tests are skipped on a developer's machine and fail in CI (CI=true)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from conftest import REPO
from harness import served, unavailable

TOOLS = REPO / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 800}}
NARROW = {"width": 320, "height": 640}
PARALLEL = 4  # pages open at once in the sweep
PROJECT = "projects/joint-action-for-decentralization/"
INSTALL = "run `npm ci` in tests/browser"




def built_pages(site: Path) -> list[str]:
    """Return the URL path of every HTML page of the built site at `site`, sorted."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        urls.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


@pytest.fixture(scope="module")
def base_url(real_site):
    """Serve the built real site on a free loopback port in a thread, and return its address."""
    with served(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(real_site) -> list[str]:
    """Every HTML page of the built real site."""
    return built_pages(real_site)


# --- the browser: Playwright's async API on one event loop, so that pages can be audited side by side ---

class Browser:
    """One Chromium for the module, and the event loop that drives it; `run` awaits a coroutine."""

    def __init__(self, loop, playwright, chromium):
        self.loop, self.playwright, self.chromium = loop, playwright, chromium

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)


@pytest.fixture(scope="module")
def browser():
    """Yield the system's Chromium under Playwright (skipped here, failed in CI, if either is missing)."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (Debian: apt-get install chromium)")
    loop = asyncio.new_event_loop()
    playwright = loop.run_until_complete(async_playwright().start())
    chromium = loop.run_until_complete(playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS))
    yield Browser(loop, playwright, chromium)
    loop.run_until_complete(chromium.close())
    loop.run_until_complete(playwright.stop())
    loop.close()


def guard(base_url: str, foreign: list[str]):
    """Return a route handler that lets requests to the site through, and stops and records any other."""
    async def handle(route):
        url = route.request.url
        if url.startswith(base_url + "/") or url == base_url:
            await route.continue_()
        else:
            foreign.append(url)
            await route.abort()
    return handle


async def open_context(browser: Browser, base_url: str, viewport: dict, scheme: str = "light"):
    """Return a browser context on the site (in the light or dark colour scheme), in which requests to anything
    but the site are stopped."""
    context = await browser.chromium.new_context(base_url=base_url, viewport=viewport, color_scheme=scheme)
    await context.route("**/*", guard(base_url, []))
    return context


# --- axe-core on every page, at phone and desktop widths, with every request watched ---

AXE_RUN = """options => axe.run(document, options).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")), count: v.nodes.length})))"""


async def audit_page(context, base_url: str, path: str, foreign: list[str]) -> tuple[list[dict], list[str]]:
    """Return axe's violations of WCAG 2.1 A/AA on the page at `path` and the page's own problems; add to
    `foreign` what it asked of other websites."""
    page = await context.new_page()
    await page.route("**/*", guard(base_url, foreign))
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    try:
        response = await page.goto(path, wait_until="load")
        if response is None or not response.ok:
            problems.append(f"HTTP {response and response.status}")
        violations = await page.evaluate(AXE_RUN, {"runOnly": {"type": "tag", "values": WCAG},
                                                   "resultTypes": ["violations"]})
        return violations, problems
    finally:
        await page.close()


async def sweep(browser: Browser, base_url: str, pages: list[str], widths: dict = WIDTHS,
                scheme: str = "light") -> dict:
    """Audit every page at every width, PARALLEL at a time; return what was found and how long it took."""
    found: dict = {"violations": {}, "problems": {}, "foreign": {}}
    gate = asyncio.Semaphore(PARALLEL)
    start = time.monotonic()

    async def one(context, width: str, path: str):
        foreign: list[str] = []
        async with gate:
            violations, problems = await audit_page(context, base_url, path, foreign)
        where = f"{path} at {width} width" + (f" ({scheme} colours)" if scheme != "light" else "")
        if violations:
            found["violations"][where] = violations
        if problems:
            found["problems"][where] = problems
        if foreign:
            found["foreign"][where] = sorted(set(foreign))

    contexts = []
    try:
        jobs = []
        for width, viewport in widths.items():
            context = await open_context(browser, base_url, viewport, scheme)
            contexts.append(context)
            # axe in every page of the context before the page's own scripts: about half the time of
            # evaluating its 500 kB in each page after loading it.
            await context.add_init_script(path=str(AXE))
            jobs += [one(context, width, path) for path in pages]
        await asyncio.gather(*jobs)
    finally:
        for context in contexts:
            await context.close()
    found["seconds"] = time.monotonic() - start
    return found


@pytest.fixture(scope="module")
def audit(browser, base_url, pages):
    """Every page of the site, audited once at phone and desktop widths (axe, errors, foreign requests)."""
    if not AXE.is_file():
        unavailable(f"axe-core is not installed: {INSTALL}")
    found = browser.run(sweep(browser, base_url, pages))
    print(f"\naxe-core audit: {len(pages)} pages x {len(WIDTHS)} widths in {found['seconds']:.1f} s")
    return found


def describe_violations(found: dict) -> str:
    """Return axe's violations as lines a reader can act on: page, rule, impact, the elements."""
    lines = []
    for where, violations in sorted(found.items()):
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}; {v['count']} element(s): "
                         + " | ".join(v["nodes"]))
    return "\n".join(lines)


@pytest.mark.timeout(600)
def test_every_page_meets_wcag_21_aa_at_phone_and_desktop_widths(audit):
    """axe-core finds no violation of WCAG 2.0/2.1 level A or AA on any page, at 375 px or at 1280 px."""
    assert not audit["violations"], "axe-core found violations:\n" + describe_violations(audit["violations"])


@pytest.mark.timeout(600)
def test_no_page_asks_another_website_for_anything(audit):
    """No page requests anything (fonts, scripts, pictures, trackers) from another address than the site."""
    assert not audit["foreign"], "\n".join(f"{where}: {urls}" for where, urls in sorted(audit["foreign"].items()))


@pytest.mark.timeout(600)
def test_every_page_loads_without_error(audit):
    """Every page answers 200 and runs without a script error."""
    assert not audit["problems"], audit["problems"]


@pytest.mark.timeout(300)
def test_dark_colour_scheme_meets_wcag_21_aa_too(browser, base_url, pages):
    """With the system set to dark (prefers-color-scheme: dark), sample pages of every language at both widths
    still meet WCAG 2.1 A and AA (contrast above all)."""
    if not AXE.is_file():
        unavailable(f"axe-core is not installed: {INSTALL}")
    found = browser.run(sweep(browser, base_url, sample(pages), scheme="dark"))
    print(f"\naxe-core audit, dark: {len(sample(pages))} pages x {len(WIDTHS)} widths in {found['seconds']:.1f} s")
    assert not found["violations"], "axe-core found violations:\n" + describe_violations(found["violations"])


# --- the Nu Html Checker over the whole site and its CSS ---

@pytest.mark.timeout(300)
def test_nu_html_checker_finds_no_error(real_site):
    """The Nu Html Checker (vnu.jar), run once over the built site, finds no error in any page or CSS file."""
    java = shutil.which("java")
    if java is None:
        unavailable("java is not installed (Debian: apt-get install default-jre-headless)")
    if not VNU.is_file():
        unavailable(f"vnu-jar is not installed: {INSTALL}")
    assert any(real_site.rglob("*.css")), "the site has no CSS file to check"
    done = subprocess.run([java, "-jar", str(VNU), "--skip-non-html", "--also-check-css", "--format", "json",
                           str(real_site)], capture_output=True, text=True, timeout=240)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    report = "\n".join(f"{urlsplit(m.get('url', '')).path.split(real_site.name, 1)[-1]}:{m.get('lastLine', '?')}: "
                       f"{m['message']}  [{m.get('extract', '').strip()[:80]}]" for m in errors)
    assert not errors, f"the Nu Html Checker found {len(errors)} error(s):\n{report}"


# --- a crawl over HTTP from / ---

class Links(HTMLParser):
    """Collects the addresses a page links to or loads, and the ids it defines."""

    ATTRS = {"href", "src", "action", "poster", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in self.ATTRS:
                self.links.append(value)
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)


def fetch(url: str) -> tuple[int, str, bytes]:
    """Return the status, content type and body of `url` (a 4xx or 5xx answer is returned, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get_content_type(), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def crawl(base_url: str) -> tuple[set[str], list[str]]:
    """Follow every link of the site from `/`; return the HTML pages reached and every broken link found."""
    seen, pages, broken = {"/"}, set(), []
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = deque([("/", "(start)")])
    while queue:
        path, referrer = queue.popleft()
        status, kind, body = fetch(base_url + path)
        if status != 200:
            broken.append(f"{referrer} links to {path}: HTTP {status}")
            continue
        if kind != "text/html":
            continue
        pages.add(path)
        parser = Links()
        parser.feed(body.decode("utf-8"))
        ids[path] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(base_url + path, link))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base_url:
                continue
            here = parts.path + (f"?{parts.query}" if parts.query else "")
            if fragment:
                fragments.append((path, here, fragment))
            if here not in seen:
                seen.add(here)
                queue.append((here, path))
    for referrer, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{referrer} links to {target}#{fragment}: no element has the id {fragment!r}")
    return pages, broken


@pytest.mark.timeout(120)
def test_crawl_from_the_root_reaches_every_page_without_a_broken_link(base_url, pages):
    """Following links from / over HTTP reaches every built page (but the not-found pages, which only a
    missing address shows) and meets no broken link or missing #fragment."""
    reached, broken = crawl(base_url)
    assert not broken, "broken links:\n" + "\n".join(sorted(set(broken)))
    unreachable = sorted(set(p for p in pages if not p.endswith("/404.html")) - reached)
    assert not unreachable, f"no link leads to: {unreachable}"
    assert fetch(base_url + "/sq/no-such-page/")[0] == 404


# --- layout and keyboard, on sample pages of every language ---

def sample(pages: list[str]) -> list[str]:
    """Return the home, news list, first article and project page of every language, and the chooser."""
    out = ["/"]
    for home in sorted(p for p in pages if re.fullmatch(r"/[a-z-]+/", p)):
        articles = sorted(p for p in pages if p.startswith(home + "news/") and p.count("/") == 4
                          and not re.search(r"/(page|\d{4})/", p))
        out += [home, home + "news/"] + articles[:1] + [home + PROJECT]
    return [p for p in out if p in pages]


async def no_sideways_scroll(browser: Browser, base_url: str, paths: list[str]) -> list[str]:
    context = await open_context(browser, base_url, NARROW)
    wide = []
    try:
        page = await context.new_page()
        for path in paths:
            await page.goto(path)
            scroll, inner = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                culprits = await page.evaluate("""w => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w + 0.5)
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""", inner)
                wide.append(f"{path}: {scroll} px wide in a {inner} px window ({', '.join(culprits)})")
    finally:
        await context.close()
    return wide


@pytest.mark.timeout(180)
def test_no_sideways_scrolling_at_320_px(browser, base_url, pages):
    """At 320 px (the narrowest common phone, WCAG 1.4.10) no sample page scrolls sideways."""
    wide = browser.run(no_sideways_scroll(browser, base_url, sample(pages)))
    assert not wide, "\n".join(wide)


FOCUS_STYLE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    return {what: e.tagName.toLowerCase() + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : ''),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
                     && !/rgba\\(.*, 0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent',
            shadow: s.boxShadow !== 'none'};
}"""


async def tab_through(browser: Browser, base_url: str, path: str, viewport: dict,
                      limit: int = 150) -> tuple[int, list[str]]:
    """Press Tab through the page at `path`; return how many stops it had and those without a visible focus."""
    context = await open_context(browser, base_url, viewport)
    hidden, stops = [], 0
    try:
        page = await context.new_page()
        await page.goto(path)
        for _ in range(limit):
            await page.keyboard.press("Tab")
            style = await page.evaluate(FOCUS_STYLE)
            if style is None:
                break
            stops += 1
            if not (style["outline"] or style["shadow"]):
                hidden.append(style["what"])
    finally:
        await context.close()
    return stops, hidden


@pytest.mark.timeout(120)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("rel", ["", PROJECT])
def test_keyboard_focus_is_visible_on_every_link_and_button(browser, base_url, rel, width):
    """Tabbing through a page (the phone's menu button too), every link and button it stops on shows a focus
    outline (WCAG 2.4.7)."""
    stops, hidden = browser.run(tab_through(browser, base_url, "/en/" + rel, WIDTHS[width]))
    assert stops >= 5, f"only {stops} Tab stops"
    assert not hidden, f"no visible focus on: {hidden}"


async def skip_link(browser: Browser, base_url: str, path: str) -> dict:
    context = await open_context(browser, base_url, WIDTHS["phone"])
    try:
        page = await context.new_page()
        await page.goto(path)
        await page.keyboard.press("Tab")
        first = await page.evaluate("""() => { const e = document.activeElement;
            const r = e.getBoundingClientRect();
            return {tag: e.tagName, href: e.getAttribute('href'), text: e.textContent.trim(),
                    visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight}; }""")
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        after = await page.evaluate("""() => ({hash: location.hash,
            target: (document.querySelector(':target') || {}).tagName,
            inMain: !!document.querySelector('main') && document.querySelector('main').contains(document.activeElement)})""")
        return {"first": first, **after}
    finally:
        await context.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", ["/sq/", "/sr/news/", "/en/" + PROJECT])
def test_first_tab_focuses_the_skip_link_and_it_leads_to_main(browser, base_url, path):
    """The first Tab focuses a visible skip link; Enter moves to <main>, and the next Tab lands inside it."""
    found = browser.run(skip_link(browser, base_url, path))
    first = found["first"]
    assert first["tag"] == "A" and first["href"] == "#main" and first["visible"], first
    assert found["hash"] == "#main" and found["target"] == "MAIN", found
    assert found["inMain"], f"the Tab after the skip link did not land inside <main>: {found}"


PRINT_LOOK = """title => {
    const luminance = rgb => {
        const [r, g, b] = rgb.map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const channels = text => (text.match(/[\\d.]+/g) || []).map(Number);
    const paper = e => {  // backgrounds are not printed unless the page asks for exact colours
        for (let n = e; n; n = n.parentElement) {
            const s = getComputedStyle(n), c = channels(s.backgroundColor);
            const exact = (s.printColorAdjust || s.webkitPrintColorAdjust) === 'exact';
            if (exact && c.length >= 3 && (c.length === 3 || c[3] > 0)) return c.slice(0, 3);
        }
        return [255, 255, 255]; };
    const heading = [...document.querySelectorAll('body *')].find(e => e.children.length === 0
        && e.textContent.trim() === title && e.getBoundingClientRect().height > 0 && getComputedStyle(e).visibility !== 'hidden');
    let ratio = null;
    if (heading) {
        const [a, b] = [luminance(channels(getComputedStyle(heading).color).slice(0, 3)), luminance(paper(heading))];
        ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }
    const links = [...document.querySelectorAll('main a[href]')].filter(a => !a.getAttribute('href').startsWith('#')
        && a.getBoundingClientRect().height > 0);
    const bare = links.filter(a => { const after = getComputedStyle(a, '::after').content;
        return !(after.includes(a.getAttribute('href')) || after.includes(a.href)); })
        .map(a => a.getAttribute('href'));
    return {title: !!heading, ratio, links: links.length, bare};
}"""


async def printed(browser: Browser, base_url: str, path: str, title: str) -> dict:
    context = await open_context(browser, base_url, WIDTHS["desktop"])
    try:
        page = await context.new_page()
        await page.goto(path)
        await page.emulate_media(media="print")
        return await page.evaluate(PRINT_LOOK, title)
    finally:
        await context.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("lang", ["sq", "en"])
def test_printed_project_page_shows_the_site_title_and_link_addresses(browser, base_url, lang):
    """Printed (print media), a project page shows the site's title legibly on white paper (contrast at least
    4.5:1; backgrounds are not printed) and every link in the text with its address."""
    from dritare import config

    site, _ = config.load(REPO)
    title = site.config.title[lang]
    look = browser.run(printed(browser, base_url, f"/{lang}/{PROJECT}", title))
    assert look["title"], f"the site title {title!r} is not shown in print"
    assert look["ratio"] >= 4.5, f"the site title prints at a contrast of {look['ratio']:.2f}:1"
    assert look["links"] > 0 and not look["bare"], f"links printed without their address: {look['bare']}"
