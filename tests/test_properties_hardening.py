"""Property tests over what officers, translators and file systems can hand the build: catalogs, templates,
project sheets and the shapes of folders. Whatever comes, the build succeeds or answers with located messages,
within a time bound, never with a traceback, and a failed build leaves the previous site as it was."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, REPO, article, make_site
from harness import snapshot, time_bound
from dritare import pipeline
from dritare.errors import BuildFailed

IN_CI = os.environ.get("CI") == "true"
PHASES = [p for p in Phase if p is not Phase.explain]
EXAMPLE_SECONDS = 30


def examples(n: int) -> int:
    """Return n examples in CI, a tenth of that on a developer's machine."""
    return n if IN_CI else max(10, n // 10)


SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
CONTENT = {
    "content/tags.yaml": "budget: {sq: Buxheti, en: Budget}\n",
    "content/projects/p.yaml": "title: {sq: Projekti, en: The project}\nstart_date: 2020-01-01\n"
                               "end_date: 2022-12-31\nbudget: {currency: EUR, total: 1000, eu_contribution: 500}\n",
    "content/news/a.sq.md": article(extra="project: p\ntags: [budget]\n"),
    "content/news/a.en.md": article("Title", extra="project: p\n"),
    "content/pages/about.sq.md": "---\ntitle: Rreth\nsummary: s\n---\n\nTeksti.\n",
}


def site_with_previous_output(tmp_path_factory, files: dict) -> tuple[Path, dict]:
    """Return a small site whose output folder already holds a (stand-in) built site, and its snapshot."""
    root = make_site(tmp_path_factory.mktemp("prop") / "site", {**CONTENT, **files})
    out = root / "public"
    out.mkdir()
    for name in ("index.html", "sitemap.xml"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    return root, snapshot(out)


def build_bounded(root: Path, previous: dict, allowed: tuple[str, ...]) -> pipeline.BuildResult | None:
    """Build within the time bound; return the result, or None after checking the failure's messages and
    that the previous site is unchanged."""
    try:
        with time_bound(EXAMPLE_SECONDS):
            result = pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public", build_date=BUILD_DATE))
    except BuildFailed as failed:
        event("the build reported errors")
        assert failed.report.errors
        for problem in failed.report.diagnostics:
            assert problem.message and problem.path.startswith(allowed), problem
            assert "internal error" not in problem.message, problem
        assert snapshot(root / "public") == previous
        return None
    event("the site was built")
    return result


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
# Inside a tag: text that merely reads "ONA=" or "javascript:" on the page is harmless and may be a translation.
HANDLER = re.compile(r"<script|<[a-z][^>]*(\son[a-z]+\s*=|javascript:)", re.IGNORECASE)
# The one script of the templates: on the root 404 page, it shows the message of the address's language.
OWN_SCRIPT = SCRIPT.search((REPO / "templates/not_found_root.html").read_text(encoding="utf-8")).group(2)
# The templates' own script files: one of static/, loaded by its content-hashed address, deferred, with no body.
OWN_FILE = re.compile(r' src="/static/[a-z0-9-]+\.js\?v=[0-9a-f]{10}" defer')


def assert_no_injected_script(root: Path) -> None:
    """Check that no page has a script, event handler or javascript: URL other than the templates' own."""
    for page in (root / "public").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attrs, body in SCRIPT.findall(text):
            assert "application/ld+json" in attrs or body == OWN_SCRIPT or (OWN_FILE.fullmatch(attrs) and not body), \
                (page, attrs, body)
        rest = SCRIPT.sub("", text)
        assert not HANDLER.search(rest), (page, HANDLER.search(rest).group())


# --- catalogs -------------------------------------------------------------------------------------------------

REAL_PO = (REPO / "locales/sq/LC_MESSAGES/messages.po").read_bytes()
translations = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["<script>alert(1)</script> %(language)s", "%(jezik)s", "%(language)d", "%(language)s %%",
                     "%s", "{language}", "%", '<img src=x onerror="alert(1)">', "</title><script>x</script>",
                     '"><svg onload=alert(1)>', "javascript:alert(1)", "\x00\x7f\ufffe", "&amp; &lt;", ""]),
)
headers = st.sampled_from([
    None, "Content-Type: text/plain; charset=BOGUS\\n", "Plural-Forms: nplurals=x; plural=(n\\n",
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n", "Plural-Forms: nplurals=1000000000; plural=n;\\n",
    "Content-Type: text/plain; charset=latin-1\\n"])


def mutated_catalog(picks: list[tuple[int, str]], header: str | None, junk: str) -> bytes:
    """Return the real Albanian catalog with some translations replaced, a header changed and text appended."""
    catalog = read_po(io.BytesIO(REAL_PO))
    messages = [m for m in catalog if m.id]
    for index, text in picks:
        message = messages[index % len(messages)]
        message.string = (text, text) if isinstance(message.id, tuple) else text
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    data = buffer.getvalue()
    if header:
        data = re.sub(rb'"Content-Type: [^"]*"' if b"Content-Type" in header.encode() else rb'"Plural-Forms: [^"]*"',
                      ('"' + header + '"').encode(), data, count=1)
    return data + junk.encode("utf-8", "surrogatepass")


@settings(max_examples=examples(150), **SETTINGS)
@given(picks=st.lists(st.tuples(st.integers(0, 200), translations), max_size=6), header=headers,
       junk=st.one_of(st.just(""), st.sampled_from(['\nmsgid "x"\n', '\nmsgstr "y"\n', "\nmsgid", '"\n', "#, fuzzy\n"]),
                      st.text(max_size=30)))
def test_any_catalog_builds_escaped_or_gives_located_messages(tmp_path_factory, picks, header, junk):
    root, previous = site_with_previous_output(tmp_path_factory, {})
    (root / "locales/sq/LC_MESSAGES/messages.po").write_bytes(mutated_catalog(picks, header, junk))
    if build_bounded(root, previous, ("locales", "templates/")):
        assert_no_injected_script(root)


# --- templates ------------------------------------------------------------------------------------------------

TEMPLATE_PARTS = ["{% extends 'base.html' %}", "{% block content %}", "{% endblock %}", "{{ doc.meta.title }}",
                  "{{ body }}", "{{ 1/0 }}", "{{ nothing.here }}", "{% include 'missing.html' %}", "{{ _('Budget') }}",
                  "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% if doc %}", "{% endif %}", "{{ ",
                  " }}", "{% for p in pages %}{{ p[0] }}", "{% endfor %}", "{# ", " #}", "<p>", "</p>",
                  "{{ '<script>x</script>' }}", "{{ t(doc.meta.title) }}", "{{ lang.code|upper }}", "\n", "ë",
                  "{% set x = 10 %}{{ x * 'ab' }}", "{{ doc.meta.date|date }}", "{{ undefined_filter|nope }}",
                  "{% raw %}", "{% endraw %}", "{{ '%s'|format(1, 2) }}", "{{ range(3)|list }}"]


@settings(max_examples=examples(150), **SETTINGS)
@given(parts=st.lists(st.sampled_from(TEMPLATE_PARTS), max_size=14), raw=st.sampled_from([b"", b"\xff", b"\x00"]))
def test_any_template_renders_or_gives_located_messages(tmp_path_factory, parts, raw):
    root, previous = site_with_previous_output(tmp_path_factory, {})
    (root / "templates/page.html").write_bytes("".join(parts).encode() + raw)
    if build_bounded(root, previous, ("templates/", "content/")):
        assert_no_injected_script(root)


# --- project sheets ---------------------------------------------------------------------------------------------

amounts = st.one_of(st.sampled_from(["0", "-0", "1e6000", "1_000", "0x10", "535295.52", "NaN", "Infinity", "1,5",
                                     "0.001", "99999999999999999999999", "", "€ 5"]),
                    st.integers(-10, 10**30), st.floats(allow_nan=True), st.decimals(allow_nan=True).map(str))
texts = st.one_of(st.text(max_size=30), st.dictionaries(st.sampled_from(["sq", "sr", "en", "rs"]), st.text(max_size=20),
                                                        max_size=3))
dates = st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(str),
                  st.sampled_from(["2021-02-30", "0000-01-01", "2021-13-01", ""]))
sheets = st.fixed_dictionaries({"title": texts}, optional={
    "start_date": dates, "end_date": dates, "sector": texts, "objective": texts, "partners": st.lists(texts, max_size=3),
    "budget": st.fixed_dictionaries({"currency": st.sampled_from(["EUR", "QQQ", "eur", "", "USD"]), "total": amounts},
                                    optional={"eu_contribution": amounts}),
    "activities": st.lists(st.fixed_dictionaries({"id": st.sampled_from(["A1", "A2", "a b", ""]), "text": texts}),
                           max_size=3),
})


@settings(max_examples=examples(200), **SETTINGS)
@given(sheet=sheets)
def test_any_project_sheet_builds_or_gives_located_messages(tmp_path_factory, sheet):
    text = yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False)
    root, previous = site_with_previous_output(tmp_path_factory, {"content/projects/p.yaml": text})
    build_bounded(root, previous, ("content/projects/", "content/news/"))


# --- shapes of folders ------------------------------------------------------------------------------------------

SHAPES = ["article", "garbage", "empty", "fifo", "folder", "link-inside", "link-outside", "link-dangling", "link-loop",
          "link-folder", "link-fifo", "link-self"]
PLACES = ["content/news/x{n}.sq.md", "content/pages/y{n}.en.md", "content/projects/z{n}.yaml", "static/s{n}.css",
          "templates/t{n}.html", "content/news/sub{n}", "locales/sq/LC_MESSAGES/messages.po", "content/tags.yaml"]


def make_shape(root: Path, rel: str, shape: str) -> None:
    """Put a file-system entry of the given shape at `rel` (replacing what is there)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        return
    outside = root.parent / "outside.txt"
    outside.write_text("secret\n")
    match shape:
        case "article":
            path.write_text(article("Titull"), encoding="utf-8")
        case "garbage":
            path.write_bytes(b"\xff\xfe--- : [\n")
        case "empty":
            path.write_bytes(b"")
        case "fifo":
            os.mkfifo(path)
        case "folder":
            path.mkdir()
        case "link-inside":
            path.symlink_to(root / "site_config.yaml")
        case "link-outside":
            path.symlink_to(outside)
        case "link-dangling":
            path.symlink_to(root / "nowhere")
        case "link-loop":
            other = path.with_name(path.name + ".b")
            if other.is_symlink():
                other.unlink()
            path.symlink_to(other)
            other.symlink_to(path)
        case "link-folder":
            path.symlink_to(root / "content")
        case "link-fifo":
            fifo = root / "content/.fifo"
            if not fifo.exists():
                os.mkfifo(fifo)
            path.symlink_to(fifo)
        case "link-self":
            path.symlink_to(path)


@settings(max_examples=examples(150), **SETTINGS)
@given(entries=st.lists(st.tuples(st.sampled_from(PLACES), st.integers(0, 2), st.sampled_from(SHAPES)), max_size=4))
def test_any_shape_of_folders_builds_or_gives_located_messages(tmp_path_factory, entries):
    root, previous = site_with_previous_output(tmp_path_factory, {})
    for rel, shape in {place.format(n=n): shape for place, n, shape in entries}.items():
        make_shape(root, rel, shape)
    result = build_bounded(root, previous, ("content/", "static/", "templates/", "locales"))
    if result:
        published = b"".join(f.data for f in result.files)
        assert b"secret" not in published
