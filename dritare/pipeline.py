"""The build, from site_config.yaml to the written site, one named stage at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import config, content, derive, feeds, fingerprint, graph, i18n, iati, incremental, links, opendata
from . import output, publish, render, sitemap, sources, translations
from .cache import Cache
from .errors import BuildFailed, Diagnostic, Report, error
from .produce import Made, OutputFile, Producer


@dataclass(frozen=True)
class Options:
    """What to build, where, and how strictly."""

    site_root: Path
    out_dir: Path | None = None
    build_date: dt.date | None = None
    strict: bool = False
    write: bool = True
    cache_dir: Path | None = None  # None: keep nothing between runs (the cache object still lives in memory)
    jobs: int = 1
    drafts: bool = False  # show drafts and scheduled texts, with a banner (a preview of unpublished work)
    base_url: str | None = None  # publish at this address instead of the configuration's base_url


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and reported, how long each stage took, and how much it had to render."""

    files: tuple[OutputFile, ...]
    report: Report
    timings: tuple[tuple[str, float], ...]
    pages: dict[str, int]
    out_dir: Path | None
    counts: incremental.Counts = field(default_factory=incremental.Counts)
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteModel:
    """The site as loaded and checked, before anything is rendered: what `build` renders, and what reports
    about the content read."""

    site: config.Site
    out_dir: Path
    graph: graph.SiteGraph
    catalogs: dict[str, Any]
    formatters: dict[str, i18n.Formatter]
    envs: dict[str, Any]
    renderable: bool
    today: dt.date


def _feeds(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    return feeds.feed_files(made.graph, made.formatters, made.bodies, made.today), []


def _sitemap(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    return sitemap.files(made.graph), []


def _open_data(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    return opendata.files(made)


def _iati(made: Made) -> tuple[list[OutputFile], list[Diagnostic]]:
    return iati.files(made)


# Every file of the site besides the pages and static files comes from one of these; a new kind of output
# (open data, a search index) is a new entry here.
PRODUCERS: tuple[tuple[str, Producer], ...] = (("feeds", _feeds), ("sitemap", _sitemap), ("open data", _open_data),
                                                ("iati", _iati))


@dataclass
class _Stages:
    """Runs stages that return (value, diagnostics); stops after a stage that reported an error, or, for
    stages run with `check_later`, at the next checkpoint, so that every file's mistakes come out together."""

    strict: bool
    report: Report = field(default_factory=Report)
    timings: list = field(default_factory=list)

    def run(self, name: str, stage: Callable[..., tuple[Any, list[Diagnostic]]], *args: Any,
            check_later: bool = False) -> Any:
        start = time.perf_counter()
        value, problems = stage(*args)
        self.timings.append((name, time.perf_counter() - start))
        self.report = self.report + problems
        if not check_later:
            self.checkpoint()
        return value

    def skip(self, check: str) -> None:
        """Note that `check` cannot run because of the errors so far."""
        self.report = self.report.skipping(check)

    def checkpoint(self) -> None:
        """Stop the build if any stage so far reported an error (or, when strict, a warning)."""
        if self.report.errors or (self.strict and self.report.warnings):
            raise BuildFailed(self.report)


def build_date(option: dt.date | None) -> tuple[dt.date, list[Diagnostic]]:
    """Return the day the site is built as of: the option, SOURCE_DATE_EPOCH, or today (UTC); and an error if
    SOURCE_DATE_EPOCH is not a time."""
    today = dt.datetime.now(dt.timezone.utc).date()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if option or not epoch:
        return option or today, []
    day = _epoch_day(epoch)
    if day is None:
        return today, [error("SOURCE_DATE_EPOCH", 0, 0, f'"{epoch}" is not a time in seconds since 1970-01-01 (UTC)',
                             "set it to a whole number, such as the output of git log -1 --format=%ct, or unset it")]
    return day, []


def _epoch_day(text: str) -> dt.date | None:
    # The reproducible-builds specification: ASCII digits only ("date +%s"); a malformed value fails the build.
    if not re.fullmatch("[0-9]+", text):
        return None
    try:
        return dt.datetime.fromtimestamp(int(text), dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None


def build(options: Options, cache: Cache | None = None) -> BuildResult:
    """Build the site at `options.site_root`, rendering only what `cache` does not hold; raise BuildFailed
    with every problem if it cannot be built."""
    root = options.site_root.absolute()
    seen = fingerprint.inputs(root)  # before anything is read: an edit made during the build counts next time
    cache = cache if cache is not None else Cache(options.cache_dir)
    stages = _Stages(options.strict)
    model = load(stages, options, cache)
    counts = incremental.Counts()
    outputs = _render(stages, model, cache, options.jobs, counts)
    stages.checkpoint()
    if options.write:
        before = fingerprint.read_stamp(options.cache_dir) or {}
        written = stages.run("write", _write, outputs, model.out_dir, before)
        _remember(options, before, seen, model.out_dir, written, stages.report, sum(_count(model.graph).values()))
    cache.save()
    return BuildResult(tuple(outputs), stages.report, tuple(stages.timings), _count(model.graph),
                       model.out_dir if options.write else None, counts, tuple(cache.notices))


def load_model(options: Options, cache: Cache | None = None) -> tuple[SiteModel | None, Report]:
    """Return the site model, loaded and checked with nothing rendered (for the commands that read the site:
    new, translations), and the report of loading it; no model if the configuration cannot be read."""
    stages = _Stages(strict=False)
    try:
        model = load(stages, dataclasses.replace(options, write=False), cache or Cache(None))
    except BuildFailed as failed:
        return None, failed.report
    return model, stages.report


def load(stages: "_Stages", options: Options, cache: Cache) -> SiteModel:
    """Return the site model: configuration, content, catalogs, templates and the graph, all checked."""
    site = stages.run("config", config.load, options.site_root.absolute())
    site = stages.run("base url", config.with_base_url, site, options.base_url)
    out_dir = options.out_dir or site.root / site.config.output_dir
    stages.run("output folder", _check_target, site, out_dir, options.write, check_later=True)
    today = stages.run("build date", build_date, options.build_date, check_later=True)
    sets, projects, tags, held, organisations = _load_content(stages, site, cache, today, options.drafts)
    catalogs = stages.run("catalogs", _catalogs, site, check_later=True)
    formatters = {lang.code: i18n.Formatter(site, lang) for lang in site.languages}
    envs = {code: i18n.environment(site, formatters[code], catalog) for code, catalog in catalogs.items()}
    if envs:
        # A derived language's catalog is its source's: what one lacks, the other does too.
        written = {code: catalog for code, catalog in catalogs.items() if not site.lang(code).derived_from}
        stages.run("templates", i18n.check_templates, next(iter(envs.values())), written, render.IN_EVERY_LANGUAGE,
                   check_later=True)
    renderable = len(envs) == len(site.languages) and not _failed(stages.report, i18n.TEMPLATES_DIR + "/")
    # Files with errors are left out from here on, so that the later checks report only new mistakes.
    site_graph = stages.run("graph", graph.build, site, sets, projects, tags, _failed(stages.report), held,
                            organisations, check_later=True)
    return SiteModel(site, out_dir, site_graph, catalogs, formatters, envs, renderable, today)


def _load_content(stages: "_Stages", site: config.Site, cache: Cache, today: dt.date, drafts: bool):
    """Return the translation sets, projects and tags of the site, leaving out every file with an error and
    every text not published as of `today` (unless `drafts`), and {path: why} of the texts held back."""
    files = stages.run("discover", content.discover, site, check_later=True)
    documents, projects = stages.run("parse", _parse, site, files, cache, check_later=True)
    tags = stages.run("tags", content.parse_tags, site, check_later=True)
    organisations = stages.run("organisations", content.parse_organisations, site, check_later=True)
    # While content/organisations.yaml has a mistake, its ids are not known: the sheets' are checked once it is fixed.
    orgs_file = f"{content.CONTENT_DIR}/{content.ORGANISATIONS_FILE}"
    org_references = ([] if orgs_file in _failed(stages.report)
                      else content.check_organisations(projects, organisations))
    sets = stages.run("translations", translations.link, site, documents, check_later=True)
    # Project ids come from the file names, so that a sheet with a mistake is not also reported as missing.
    project_ids = {f.slug for f in files if not content.KINDS[f.section].per_language}
    stages.run("references", lambda: (None, translations.check_references(sets, project_ids, tags)
                                            + org_references), check_later=True)
    # Drafts are checked like any text (so that publishing one holds no surprise), then held back.
    held = publish.unpublished(documents, today, drafts)
    stages.run("missing translations", lambda: (None, translations.check_missing(
        site, translations.without(sets, frozenset(held)))), check_later=True)
    failed = _failed(stages.report)
    return (derive.sets(site, translations.without(sets, failed | frozenset(held))),
            [p for p in projects if p.path not in failed], tags, held, organisations)


def _render(stages: "_Stages", model: SiteModel, cache: Cache, jobs: int,
            counts: incremental.Counts) -> list[OutputFile]:
    """Return every page, producer's file and static file, after checking paths and links between them."""
    site_graph = model.graph
    bodies = stages.run("markdown", incremental.texts, site_graph, cache, jobs, counts, check_later=True)
    if not model.renderable:
        stages.skip("the pages were not rendered, so their links were not checked")
        stages.checkpoint()
    statics = stages.run("static", render.static_files, model.site, check_later=True)
    assets = render.asset_urls(statics)
    renderer = render.Renderer(site_graph, model.envs, model.catalogs, assets, model.today, bodies, model.formatters)
    shared = incremental.shared_key(model.site, assets, model.today, _shared_inputs(model.site))
    errors_before = len(stages.report.errors)
    pages, recorded = stages.run("render", _pages, renderer, cache, shared, jobs, counts, check_later=True)
    outputs = pages + statics
    made = Made(site_graph, model.today, model.formatters, bodies)
    for name, producer in PRODUCERS:
        outputs += derive.files(model.site, stages.run(name, producer, made, check_later=True), cache)
    stages.run("check output", lambda: (None, output.check_files(outputs)), check_later=True)
    if len(stages.report.errors) > errors_before:
        stages.skip("some pages were not rendered, so links to them were not checked")
    else:
        paths = {f.path for f in outputs}
        stages.run("check links", lambda: (None, links.check(recorded, paths, _route_sources(site_graph))),
                   check_later=True)
    return outputs


def _pages(renderer: render.Renderer, cache: Cache, shared: str, jobs: int, counts: incremental.Counts):
    files, recorded, problems = incremental.pages(renderer, cache, shared, jobs, counts)
    return (files, recorded), problems


def _shared_inputs(site: config.Site) -> list[tuple[str, bytes]]:
    """Return the files every page reads (configuration, templates, catalogs, tags), by path, with their bytes."""
    found = []
    for name in (config.CONFIG_FILE, i18n.TEMPLATES_DIR, i18n.LOCALES_DIR, f"{content.CONTENT_DIR}/{content.TAGS_FILE}",
                 f"{content.CONTENT_DIR}/{content.ORGANISATIONS_FILE}"):
        path = site.root / name
        paths = sources.walk(site.root, path)[0] if path.is_dir() else [path] if path.is_file() else []
        for each in paths:
            data, _ = sources.read_bytes(site.root, each)
            found.append((sources.relative(site.root, each), data or b""))
    return found + [("derived languages", derive.key(site))]


def _remember(options: Options, before: dict, seen: list, out_dir: Path, written: output.Written,
              report: Report, pages: int) -> None:
    """Record a successful build (`before`: the record of the one before), so that the next one with nothing
    changed can stop at once and the one after can update the spare site."""
    if options.cache_dir is None:
        return
    stamp = {"version": fingerprint.generator_version(), "request": request(options), "inputs": seen,
             "out_dir": str(output.target(out_dir)), "outputs": [[path, *st] for path, (_, st) in sorted(written.items())],
             "keys": {path: content_key for path, (content_key, _) in written.items()},
             # The site that was live until now is kept beside the output as the spare the next build updates.
             "spare": before.get("outputs") if before.get("out_dir") == str(output.target(out_dir)) else [],
             "spare_keys": before.get("keys") or {},
             "warnings": [d.format() for d in report.warnings], "pages": pages}
    try:
        fingerprint.write_stamp(options.cache_dir, stamp)
    except OSError:
        pass  # without the record the next build is a full one, which is slower but as right


def request(options: Options) -> dict[str, Any]:
    """Return what a build was asked to do, as the record of the last build compares it."""
    return fingerprint.request(options.site_root, options.out_dir, options.build_date, options.strict,
                               options.drafts, options.base_url)


def _failed(report: Report, under: str = "") -> frozenset[str]:
    """Return the files (under the folder `under`) that have an error in `report`."""
    return frozenset(d.path for d in report.errors if d.path.startswith(under))


def _check_target(site: config.Site, out_dir: Path, writing: bool) -> tuple[None, list[Diagnostic]]:
    """Return an error if `out_dir` may not be written, having put back a site that a killed build left."""
    reason = output.check_target(site.root, out_dir) if writing else None
    if reason:
        return None, [error(str(out_dir), 0, 0, reason)]
    try:
        if writing:
            output.recover(out_dir)
    except output.OutputError as exc:
        return None, [error(str(out_dir), 0, 0, str(exc), exc.hint)]
    return None, []


def _write(outputs: list[OutputFile], out_dir: Path, stamp: dict | None) -> tuple[output.Written | None,
                                                                                  list[Diagnostic]]:
    same_place = bool(stamp) and stamp.get("out_dir") == str(output.target(out_dir))
    live, spare = (_records(stamp, "outputs"), _records(stamp, "spare")) if same_place else ({}, {})
    try:
        return output.write(outputs, out_dir, previous=live, spare=spare), []
    except output.OutputError as exc:
        return None, [error(str(out_dir), 0, 0, str(exc), exc.hint)]


def _records(stamp: dict, name: str) -> output.Written:
    """Return what the record of the last build says one of its folders held: path -> (content key, stat)."""
    keys = stamp.get("keys" if name == "outputs" else "spare_keys") or {}
    return {entry[0]: (keys.get(entry[0], ""), entry[1:]) for entry in stamp.get(name) or []}


def _parse(site: config.Site, files: list[content.SourceFile], cache: Cache):
    documents, projects, problems = content.parse_all(site, files, cache)
    return (documents, projects), problems


def _catalogs(site: config.Site):
    catalogs, problems = {}, []
    for lang in site.languages:
        catalog, found = i18n.compile_catalog(site, lang)
        problems += found
        if catalog is not None:
            catalogs[lang.code] = catalog
    return catalogs, problems


def _route_sources(site_graph: graph.SiteGraph) -> dict[str, str]:
    return {r.output: r.source or f"{i18n.TEMPLATES_DIR}/{r.template}.html" for r in site_graph.routes}


def _count(site_graph: graph.SiteGraph) -> dict[str, int]:
    counts: dict[str, int] = {lang.code: 0 for lang in site_graph.site.languages}
    for route in site_graph.routes:
        if route.lang:
            counts[route.lang] += 1
    return counts
