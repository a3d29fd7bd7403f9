"""Property-based tests: whatever an officer writes, the build succeeds or answers with path:line messages."""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, REPO, article, make_site
from harness import time_bound
from dritare import config, content, graph, markdown_html, pipeline, translations
from dritare.errors import BuildFailed

IN_CI = os.environ.get("CI") == "true"


def examples(n: int) -> int:
    """Return n examples in CI, a tenth of that on a developer's machine."""
    return n if IN_CI else max(10, n // 10)


# The explain phase traces every line run, which takes minutes on a whole build; the failing example is enough.
PHASES = [p for p in Phase if p is not Phase.explain]
SITE, _ = config.load(REPO)
LETTERS = "abcçdeëfghijklmnopqrsštuvwxyzžćđčÇËŠŽĆĐČ"
alphabet = st.one_of(
    st.sampled_from(LETTERS + " .,:;-–—“”„\"'#*[]()<>!?/\\|{}&%$@`~\t\n"),
    st.characters(min_codepoint=0x400, max_codepoint=0x4FF, codec="utf-8"),       # Cyrillic
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF, codec="utf-8"),   # emoji
    st.characters(categories=["Cc", "Cf", "Zs", "Mn"], codec="utf-8"),             # control, format, spaces, combining
    st.characters(codec="utf-8"),
)
words = st.text(alphabet, max_size=60)
long_line = st.builds(lambda s, n: s * n, st.text(alphabet, min_size=1, max_size=5), st.integers(1, 4000))
scalars = st.one_of(words, long_line, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                    st.dates(), st.sampled_from(["2021-02-30", "2021-13-01", "0000-00-00", "10.02.2021"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
                      max_leaves=25)
KEYS = ["title", "date", "summary", "project", "tags", "draft", "translation_key", "translation_reviewed",
        "objective", "budget", "activities", "results", "partners", "sq", "en", "sumary", "id", "text"]
mappings = st.dictionaries(st.one_of(st.sampled_from(KEYS), words), values, max_size=8)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


valid_meta = st.builds(lambda title, day, tags: dump({"title": title, "date": day.isoformat(), "summary": title,
                                                      "tags": tags}),
                       words.filter(str.strip), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
                       st.lists(st.sampled_from(["budget", "meetings", "not-in-vocabulary"]), max_size=3))
front_matter = st.one_of(valid_meta, mappings.map(dump), st.text(alphabet, max_size=300))
markdown_text = st.one_of(
    st.text(alphabet, max_size=400),
    st.lists(st.sampled_from(["# h", "- li", "> q", "```", "[l](x.sq.md)", "![i](http://x/y.png)", "<div>",
                              "<script>alert(1)</script>", '<a href="javascript:x">j</a>', "<img src=x onerror=y>",
                              "| a | b |", "|---|---|", "***", "<!--", "&#x6a;avascript:", "\\", "    code"]),
             max_size=30).map("\n".join),
    long_line,
)

SRC = content.SourceFile(Path("content/news/a.sq.md"), "content/news/a.sq.md", "news", "a", "sq")
PROJECT_SRC = content.SourceFile(Path("content/projects/p.yaml"), "content/projects/p.yaml", "projects", "p", None)


def assert_located(problems, path):
    for problem in problems:
        assert problem.path == path and problem.line >= 0 and problem.message


@settings(max_examples=examples(2000), deadline=dt.timedelta(seconds=5), suppress_health_check=list(HealthCheck), phases=PHASES)
@given(meta=front_matter, body=markdown_text, bom=st.booleans(), crlf=st.booleans())
def test_any_article_parses_or_gives_located_messages(meta, body, bom, crlf):
    text = f"---\n{meta}\n---\n{body}"
    text = text.replace("\n", "\r\n") if crlf else text
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")
    decoded, problems = __import__("dritare.sources", fromlist=["decode"]).decode(SRC.rel, data)
    if decoded is None:
        assert_located(problems, SRC.rel)
        return
    doc, problems = content.parse_document(SRC, decoded, SITE)
    assert_located(problems, SRC.rel)
    assert doc is not None or any(p.severity == "error" for p in problems)


@settings(max_examples=examples(1500), deadline=dt.timedelta(seconds=5), suppress_health_check=list(HealthCheck), phases=PHASES)
@given(sheet=st.one_of(mappings.map(dump), st.text(alphabet, max_size=300)))
def test_any_project_sheet_parses_or_gives_located_messages(sheet):
    project, problems = content.parse_project(PROJECT_SRC, sheet, SITE)
    assert_located(problems, PROJECT_SRC.rel)
    assert project is not None or any(p.severity == "error" for p in problems)


@settings(max_examples=examples(1500), deadline=dt.timedelta(seconds=5), suppress_health_check=list(HealthCheck), phases=PHASES)
@given(body=markdown_text)
def test_no_markdown_produces_script_handlers_or_javascript_urls(body):
    html, _ = markdown_html.render(body, lambda path: None, "transparency.example.org")
    for tag, attrs in Elements.of(html):
        assert tag not in ("script", "style", "iframe", "object", "embed", "form", "svg", "math")
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)


class Elements(HTMLParser):
    """Collects every start tag of a piece of HTML with its attributes, as a browser would parse it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found


def listing(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@settings(max_examples=examples(200), deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
@given(articles=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["sq", "sr", "en"]),
                                   front_matter, markdown_text), max_size=4))
def test_whole_builds_never_crash_or_write_outside_the_output(tmp_path_factory, articles):
    root = make_site(tmp_path_factory.mktemp("prop") / "site", {"content/tags.yaml": "budget: Buxheti\nmeetings: {sq: Takime}\n"})
    (root / "content/news").mkdir()
    for slug, lang, meta, body in articles:
        path = root / f"content/news/{slug}.{lang}.md"
        path.write_bytes(f"---\n{meta}\n---\n{body}".encode("utf-8", "surrogatepass"))
    before = {p for p in listing(root.parent) if "public" not in p.parts}
    try:
        with time_bound(60):
            result = pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public", build_date=BUILD_DATE))
        assert all((root / "public" / f.path).is_file() for f in result.files)
        for page in (root / "public").rglob("*.html"):
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page.read_text(encoding="utf-8"))
        event("the site was built")
    except BuildFailed as failed:
        event("the build reported errors")
        assert failed.report.errors
        for problem in failed.report.diagnostics:
            assert problem.path.startswith(("content/news/", "templates/")), problem
    after = {p for p in listing(root.parent) if "public" not in p.parts}
    assert after == before


@settings(max_examples=examples(300), deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)
@given(files=st.dictionaries(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(["sq", "sr", "en"])),
                             st.sampled_from([None, "k1", "k2"]), max_size=8))
def test_alternates_are_always_symmetric(tmp_path_factory, files):
    root = make_site(tmp_path_factory.mktemp("alt") / "site", {
        f"content/news/{slug}.{lang}.md": article(extra=f"translation_key: {key}\n" if key else "")
        for (slug, lang), key in files.items()})
    site, _ = config.load(root)
    found, _ = content.discover(site)
    documents, projects, _ = content.parse_all(site, found)
    sets, _ = translations.link(site, documents)
    site_graph, problems = graph.build(site, sets, projects)
    routes = {r.url: r for r in site_graph.routes}
    for route in site_graph.routes:
        if route.lang is None:
            continue
        tag = site.lang(route.lang).tag
        for other_tag, url in site_graph.alternates(route):
            if other_tag != "x-default":
                assert (tag, route.url) in site_graph.alternates(routes[url])
