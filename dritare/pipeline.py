"""The build, from site_config.yaml to the written site, one named stage at a time."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import config, content, feeds, graph, i18n, links, output, render, sitemap, translations
from .errors import BuildFailed, Diagnostic, Report, error


@dataclass(frozen=True)
class Options:
    """What to build, where, and how strictly."""

    site_root: Path
    out_dir: Path | None = None
    build_date: dt.date | None = None
    strict: bool = False
    write: bool = True


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and reported, and how long each stage took."""

    files: tuple[render.OutputFile, ...]
    report: Report
    timings: tuple[tuple[str, float], ...]
    pages: dict[str, int]
    out_dir: Path | None


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


def build(options: Options) -> BuildResult:
    """Build the site at `options.site_root`; raise BuildFailed with every problem if it cannot be."""
    stages = _Stages(options.strict)
    site = stages.run("config", config.load, options.site_root.absolute())
    out_dir = options.out_dir or site.root / site.config.output_dir
    stages.run("output folder", _check_target, site, out_dir, options.write, check_later=True)
    sets, projects, tags = _load_content(stages, site)
    catalogs = stages.run("catalogs", _catalogs, site, check_later=True)
    formatters = {lang.code: i18n.Formatter(site, lang) for lang in site.languages}
    envs = {code: i18n.environment(site, formatters[code], catalog) for code, catalog in catalogs.items()}
    if envs:
        stages.run("templates", i18n.check_templates, next(iter(envs.values())), catalogs, render.IN_EVERY_LANGUAGE,
                   check_later=True)
    renderable = len(envs) == len(site.languages) and not _failed(stages.report, i18n.TEMPLATES_DIR + "/")
    # Files with errors are left out from here on, so that the later checks report only new mistakes.
    site_graph = stages.run("graph", graph.build, site, sets, projects, tags, _failed(stages.report),
                            check_later=True)
    bodies = stages.run("markdown", render.bodies, site_graph, check_later=True)
    if not renderable:
        stages.skip("the pages were not rendered, so their links were not checked")
        stages.checkpoint()
    today = stages.run("build date", build_date, options.build_date, check_later=True)
    outputs = _render(stages, site_graph, envs, catalogs, formatters, bodies, today)
    stages.checkpoint()
    if options.write:
        stages.run("write", _write, outputs, out_dir)
    return BuildResult(tuple(outputs), stages.report, tuple(stages.timings),
                       _count(site_graph), out_dir if options.write else None)


def _load_content(stages: "_Stages", site: config.Site):
    """Return the translation sets, projects and tags of the site, leaving out every file with an error."""
    files = stages.run("discover", content.discover, site, check_later=True)
    documents, projects = stages.run("parse", _parse, site, files, check_later=True)
    tags = stages.run("tags", content.parse_tags, site, check_later=True)
    sets = stages.run("translations", translations.link, site, documents, check_later=True)
    # Project ids come from the file names, so that a sheet with a mistake is not also reported as missing.
    project_ids = {f.slug for f in files if f.section == "projects"}
    stages.run("references", lambda: (None, translations.check_references(sets, project_ids, tags)
                                            + translations.check_missing(site, sets)), check_later=True)
    failed = _failed(stages.report)
    return (translations.without(sets, failed), [p for p in projects if p.path not in failed], tags)


def _render(stages: "_Stages", site_graph: graph.SiteGraph, envs, catalogs, formatters, bodies,
            today: dt.date) -> list[render.OutputFile]:
    """Return every page, feed, static file and the sitemap, after checking paths and links between them."""
    statics = stages.run("static", render.static_files, site_graph.site, check_later=True)
    renderer = render.Renderer(site_graph, envs, catalogs, render.asset_urls(statics), today, bodies, formatters)
    errors_before = len(stages.report.errors)
    pages = stages.run("render", render.render, renderer, check_later=True)
    feed_files = stages.run("feeds", lambda: (feeds.feed_files(site_graph, formatters, bodies, today), []),
                            check_later=True)
    outputs = pages + feed_files + statics + sitemap.files(site_graph)
    stages.run("check output", lambda: (None, output.check_files(outputs)), check_later=True)
    if len(stages.report.errors) > errors_before:
        stages.skip("some pages were not rendered, so links to them were not checked")
    else:
        stages.run("check links", lambda: (None, links.check(outputs, _route_sources(site_graph))), check_later=True)
    return outputs


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


def _write(outputs: list[render.OutputFile], out_dir: Path) -> tuple[None, list[Diagnostic]]:
    try:
        output.write(outputs, out_dir)
    except output.OutputError as exc:
        return None, [error(str(out_dir), 0, 0, str(exc), exc.hint)]
    return None, []


def _parse(site: config.Site, files: list[content.SourceFile]):
    documents, projects, problems = content.parse_all(site, files)
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
