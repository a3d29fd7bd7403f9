"""Random series of edits, each followed by an incremental build that must equal a clean build, byte for byte.

The machine keeps a model of the site's articles, projects and tags and writes the files from it, so that
every edit leaves a site that builds (links to an article are taken out when it is deleted, translation keys
never clash); the edits that make a build fail are made on purpose, one at a time, and then undone."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conftest import make_site
from harness import time_bound
from test_incremental import assert_same_tree, tree
from dritare import pipeline
from dritare.cache import Cache
from dritare.errors import BuildFailed

IN_CI = os.environ.get("CI") == "true"
BUILD_DATE = dt.date(2021, 6, 1)
SECONDS = 60

LANGS = ("sq", "sr", "en")
SLUGS = ("a", "b", "c", "d", "e")
TAG_IDS = ("t1", "t2", "t3")
PROJECT_IDS = ("p1", "p2")
SECTORS = ("Arsim", "Energji", "Shëndetësi")

titles = st.text(alphabet="abcëçšž ", max_size=10).map(lambda t: f"T {t}".strip())
# Up to the build date: a later one schedules the article, and a link to it is then an error (a scheduled
# article is held to its own incremental test in test_incremental.py).
dates = st.dates(dt.date(2019, 1, 1), BUILD_DATE)
tag_lists = st.lists(st.sampled_from(TAG_IDS), max_size=2, unique=True)
projects = st.sampled_from((None,) + PROJECT_IDS)
langs = st.sampled_from(LANGS)
picks = st.integers(0, 1000)  # which of the existing articles, modulo their number


@dataclass(frozen=True)
class Article:
    """The front matter and text of one article file."""

    title: str
    date: dt.date
    tags: tuple[str, ...] = ()
    project: str | None = None
    summary: bool = True
    translation_key: str | None = None
    links: tuple[str, ...] = ()  # other article files its text links to

    def text(self) -> str:
        """Return the file's text."""
        lines = [f"title: {self.title}", f"date: {self.date.isoformat()}"]
        lines += ["summary: Përmbledhja."] if self.summary else []
        lines += [f"tags: [{', '.join(self.tags)}]"] if self.tags else []
        lines += [f"project: {self.project}"] if self.project else []
        lines += [f"translation_key: {self.translation_key}"] if self.translation_key else []
        body = "Teksti, [projekti](../projects/p1.yaml)." + "".join(f" [{n}]({target})"
                                                                   for n, target in enumerate(self.links))
        return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


@dataclass
class Sheet:
    """The fields of one project sheet that the machine edits."""

    title: dict[str, str]
    sector: str
    total: str

    def text(self) -> str:
        """Return the sheet's text."""
        title = ", ".join(f"{code}: {text}" for code, text in self.title.items())
        return (f"title: {{{title}}}\nsector: {self.sector}\nstart_date: 2020-01-01\nend_date: 2022-12-31\n"
                f"budget: {{currency: EUR, total: {self.total}}}\n")


@dataclass
class Model:
    """What the site holds: articles by file name (slug.lang.md), project sheets, tag labels, a template mark."""

    articles: dict[str, Article] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    template_mark: str = ""


def slug_of(name: str) -> str:
    """Return the slug of an article's file name."""
    return name.split(".")[0]


def lang_of(name: str) -> str:
    """Return the language of an article's file name."""
    return name.split(".")[1]


class IncrementalEqualsClean(RuleBasedStateMachine):
    """Edits a site at random; after each edit, the incremental build and a clean one must be the same."""

    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="dritare-incremental-"))
        self.root, self.out, self.cache_dir = self.tmp / "site", self.tmp / "out", self.tmp / "cache"
        self.model = Model()
        self.kept: Cache | None = None
        self.last_good: dict[str, bytes] | None = None
        self.cleans = 0

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- writing the model --------------------------------------------------------------------------------------

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write_article(self, name: str) -> None:
        self.write(f"content/news/{name}", self.model.articles[name].text())

    def write_sheet(self, project_id: str) -> None:
        self.write(f"content/projects/{project_id}.yaml", self.model.sheets[project_id].text())

    def write_tags(self) -> None:
        self.write("content/tags.yaml", "".join(
            f"{tag}: {{{', '.join(f'{c}: {t}' for c, t in labels.items())}}}\n"
            for tag, labels in self.model.labels.items()))

    def write_template(self) -> None:
        original = (self.pristine / "article.html").read_text(encoding="utf-8")
        self.write("templates/article.html",
                   original.replace("{% block main %}", "{% block main %}" + self.model.template_mark, 1))

    def key_of(self, name: str) -> str:
        return self.model.articles[name].translation_key or slug_of(name)

    def key_is_free(self, key: str, lang: str, besides: str = "") -> bool:
        """Return True if no article in `lang` (other than `besides`) is already the text of `key`."""
        return all(self.key_of(n) != key for n in self.model.articles if lang_of(n) == lang and n != besides)

    def pick(self, index: int) -> str:
        names = sorted(self.model.articles)
        return names[index % len(names)]

    def has_articles(self) -> bool:
        return bool(self.model.articles)

    # --- the site at the start -----------------------------------------------------------------------------------

    @initialize(serve_like=st.booleans())
    def start(self, serve_like):
        make_site(self.root, {"content/pages/about.sq.md": "---\ntitle: Rreth\nsummary: Rreth.\n---\n\nTeksti.\n"})
        config = self.root / "site_config.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace("per_page: 10", "per_page: 2"), encoding="utf-8")
        self.pristine = self.tmp / "pristine"
        shutil.copytree(self.root / "templates", self.pristine)
        # As the preview server does: one cache object kept in memory between builds.
        self.kept = Cache(self.cache_dir) if serve_like else None
        self.model.labels = {tag: {c: f"{tag}-{c}" for c in LANGS} for tag in TAG_IDS}
        self.model.sheets = {p: Sheet({"sq": f"Projekti {p}", "en": f"Project {p}"}, SECTORS[n], "1000.50")
                             for n, p in enumerate(PROJECT_IDS)}
        # Links across languages, which lead elsewhere as soon as their target is translated, moved or deleted.
        self.model.articles = {
            "a.sq.md": Article("Lajmi a", dt.date(2020, 5, 1), ("t1",), "p1", links=("c.en.md",)),
            "a.en.md": Article("News a", dt.date(2020, 5, 1), ("t1", "t2"), links=("b.sr.md",)),
            "b.sr.md": Article("Vest b", dt.date(2021, 2, 1), ("t2", "t3"), "p2", links=("a.sq.md", "c.en.md")),
            "c.en.md": Article("News c", dt.date(2021, 3, 1), ("t3",), "p1", links=("b.sr.md",)),
        }
        self.write_tags()
        for project_id in self.model.sheets:
            self.write_sheet(project_id)
        for name in self.model.articles:
            self.write_article(name)

    # --- edits ---------------------------------------------------------------------------------------------------

    @rule(slug=st.sampled_from(SLUGS), lang=langs, title=titles, date=dates, tags=tag_lists, project=projects,
          summary=st.booleans())
    def add_or_replace_article(self, slug, lang, title, date, tags, project, summary):
        name = f"{slug}.{lang}.md"
        if name not in self.model.articles and not self.key_is_free(slug, lang):
            return
        old = self.model.articles.get(name)
        self.model.articles[name] = Article(title, date, tuple(tags), project, summary,
                                            old.translation_key if old else None, old.links if old else ())
        self.write_article(name)

    @precondition(has_articles)
    @rule(index=picks, lang=langs, title=titles)
    def translate_article(self, index, lang, title):
        """Add the text in `lang` of an article: links to it from that language now lead there."""
        source = self.pick(index)
        name = f"{slug_of(source)}.{lang}.md"
        if name not in self.model.articles and self.key_is_free(self.key_of(source), lang):
            self.model.articles[name] = replace(self.model.articles[source], title=title, links=())
            self.write_article(name)

    @precondition(has_articles)
    @rule(index=picks, title=titles)
    def edit_title(self, index, title):
        self.edit(self.pick(index), title=title)

    @precondition(has_articles)
    @rule(index=picks, date=dates)
    def edit_date(self, index, date):
        self.edit(self.pick(index), date=date)

    @precondition(has_articles)
    @rule(index=picks, tags=tag_lists)
    def edit_tags(self, index, tags):
        self.edit(self.pick(index), tags=tuple(tags))

    @precondition(has_articles)
    @rule(index=picks, project=projects)
    def edit_project(self, index, project):
        self.edit(self.pick(index), project=project)

    @precondition(has_articles)
    @rule(index=picks, to=picks)
    def add_link(self, index, to):
        name, other = self.pick(index), self.pick(to)
        if other != name:
            self.edit(name, links=self.model.articles[name].links + (other,))

    @precondition(has_articles)
    @rule(index=picks, other=picks)
    def edit_translation_key(self, index, other):
        """Make one article the translation of another's (or, given itself, its own again)."""
        name, target = self.pick(index), self.pick(other)
        key = None if target == name else self.key_of(target)
        if self.key_is_free(key or slug_of(name), lang_of(name), besides=name):
            self.edit(name, translation_key=key)

    def edit(self, name: str, **changes) -> None:
        self.model.articles[name] = replace(self.model.articles[name], **changes)
        self.write_article(name)

    @precondition(has_articles)
    @rule(index=picks)
    def delete_article(self, index):
        name = self.pick(index)
        del self.model.articles[name]
        (self.root / "content/news" / name).unlink()
        self.relink(name, None)

    @precondition(has_articles)
    @rule(index=picks, slug=st.sampled_from(SLUGS))
    def rename_article(self, index, slug):
        name = self.pick(index)
        new = f"{slug}.{lang_of(name)}.md"
        article = self.model.articles[name]
        if new in self.model.articles or not self.key_is_free(article.translation_key or slug, lang_of(name),
                                                              besides=name):
            return
        self.model.articles[new] = self.model.articles.pop(name)
        (self.root / "content/news" / name).rename(self.root / "content/news" / new)
        self.relink(name, new)

    def relink(self, old: str, new: str | None) -> None:
        """Point the links to the article `old` at `new`, or take them out: what an officer does after a move."""
        for name, article in list(self.model.articles.items()):
            if old in article.links:
                links = tuple(new if target == old else target for target in article.links if new or target != old)
                self.edit(name, links=tuple(t for t in links if t != name))

    @rule(project=st.sampled_from(PROJECT_IDS), lang=langs, title=titles, sector=st.sampled_from(SECTORS),
          total=st.sampled_from(("1000.50", "25000", "999999.99")))
    def edit_project_sheet(self, project, lang, title, sector, total):
        sheet = self.model.sheets[project]
        sheet.title[lang], sheet.sector, sheet.total = title, sector, total
        self.write_sheet(project)

    @rule(tag=st.sampled_from(TAG_IDS), label=titles)
    def edit_tag_label(self, tag, label):
        self.model.labels[tag] = {code: f"{label} {code}" for code in LANGS}
        self.write_tags()

    @rule(mark=st.sampled_from(("", "<hr>", "<p>edited</p>", "{{ _(\"News\") }}")))
    def edit_template(self, mark):
        self.model.template_mark = mark
        self.write_template()

    @rule(mistake=st.sampled_from(("date", "template", "tags", "project", "config")), index=picks)
    def make_a_mistake_then_undo_it(self, mistake, index):
        rel, bad = self.mistake(mistake, index)
        path = self.root / rel
        before = path.read_bytes()
        path.write_bytes(bad)
        incremental, (_, report, failed) = self.build_incremental(), self.clean_build()
        assert isinstance(incremental, BuildFailed) and failed, "the mistake did not fail the build"
        assert incremental.report.format() == report
        if self.last_good is not None:
            assert tree(self.out) == self.last_good, "a failed build changed the site"
        path.write_bytes(before)

    def mistake(self, kind: str, index: int) -> tuple[str, bytes]:
        """Return a file and the bytes that make the build fail."""
        if kind == "date" and self.model.articles:
            name = self.pick(index)
            text = self.model.articles[name].text()
            return f"content/news/{name}", text.replace("date: ", "date: 2021-02-30 #", 1).encode()
        if kind == "tags":
            return "content/tags.yaml", b"t1: [unclosed\n"
        if kind == "project":
            return "content/projects/p2.yaml", self.model.sheets["p2"].text().replace("total: ", "total: -", 1).encode()
        if kind == "config":
            config = (self.root / "site_config.yaml").read_bytes()
            return "site_config.yaml", config.replace(b"per_page: 2", b"per_page: 0")
        return "templates/article.html", (self.root / "templates/article.html").read_bytes() + b"{% if %}\n"

    # --- after every step -----------------------------------------------------------------------------------------

    def build_incremental(self) -> pipeline.BuildResult | BuildFailed:
        """Return the result of a build with the cache and the previous output, or how it failed."""
        try:
            with time_bound(SECONDS):
                return pipeline.build(pipeline.Options(site_root=self.root, out_dir=self.out, build_date=BUILD_DATE,
                                                       cache_dir=self.cache_dir), cache=self.kept)
        except BuildFailed as failed:
            return failed

    def clean_build(self) -> tuple[Path, str, bool]:
        """Build from nothing into a new folder; return it, the report, and whether the build failed."""
        self.cleans += 1
        shutil.rmtree(self.tmp / "clean", ignore_errors=True)  # the folder, its spare and its lock, from the last one
        out = self.tmp / "clean" / str(self.cleans)
        try:
            with time_bound(SECONDS):
                result = pipeline.build(pipeline.Options(site_root=self.root, out_dir=out, build_date=BUILD_DATE,
                                                         cache_dir=None))
        except BuildFailed as failed:
            return out, failed.report.format(), True
        return out, result.report.format(), False

    @invariant()
    def incremental_build_equals_clean_build(self):
        result = self.build_incremental()
        clean, report, failed = self.clean_build()
        if isinstance(result, BuildFailed):
            # Every edit of the model leaves a site that builds; a failure is a bug, shown with its report.
            assert failed, "the incremental build failed, the clean one did not:\n" + result.report.format()
            raise AssertionError("the site of the model does not build:\n" + report)
        assert not failed, "the clean build failed, the incremental one did not:\n" + report
        assert result.report.format() == report  # the same warnings, in the same order
        assert_same_tree(self.out, clean)
        self.last_good = tree(self.out)


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=30 if IN_CI else 10, stateful_step_count=8, deadline=None,
    suppress_health_check=list(HealthCheck), phases=[p for p in Phase if p is not Phase.explain])
test_incremental_build_equals_clean_build_after_random_edits = IncrementalEqualsClean.TestCase
