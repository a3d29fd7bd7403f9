"""The command line: build, check and serve."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from . import fingerprint
from .errors import BuildFailed, internal_error

# The build itself (YAML, Markdown, Jinja, Babel, pydantic) is imported only once a build is needed: a
# rebuild with nothing changed is decided and answered without it.
CACHE_DIR = ".cache"
BASE_URL_ENV = "DRITARE_BASE_URL"

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date like 2026-11-22') from None


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of build.py."""
    root = argparse.ArgumentParser(prog="build.py", description="Build, check and preview the site.")
    commands = root.add_subparsers(dest="command", required=True)
    for name, text in (("build", "build the site into the output folder"),
                       ("check", "run every check without writing anything"),
                       ("serve", "build, serve on this computer and rebuild on every change")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--site", type=Path, default=Path("."), help="folder with site_config.yaml (default: .)")
        sub.add_argument("--build-date", type=_date, help="the day the site is built as of (YYYY-MM-DD)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sub.add_argument("--traceback", action="store_true",
                         help="on an internal error, show where in the generator it happened (for bug reports)")
        if name != "check":
            sub.add_argument("--out", type=Path, help="output folder (default: output_dir in the config)")
        sub.add_argument("--cache", type=Path, help=f"cache folder (default: {CACHE_DIR} in the site's folder)")
        sub.add_argument("--no-cache", action="store_true", help="build everything anew, keeping no cache")
        sub.add_argument("--jobs", type=_jobs, help="processes to render with (default: the number of cores)")
        sub.add_argument("--drafts", action="store_true",
                         help="also show drafts and scheduled texts, with a banner (never for publishing)")
        sub.add_argument("--base-url", help=f"the address the site is published at (default: ${BASE_URL_ENV}, "
                                            "else base_url in the config)")
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
            sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    _new_parser(commands)
    _translations_parser(commands)
    i18n = commands.add_parser("i18n", help="refresh the interface catalogs (Babel's extract, update, init)",
                               description="extract: templates -> locales/messages.pot; update: the .po catalogs "
                                           "from it; init LOCALE: a new catalog (such as sr_Cyrl)")
    i18n.add_argument("action", choices=("extract", "update", "init"))
    i18n.add_argument("locale", nargs="?", help="for init: the catalog's locale, such as sr_Cyrl")
    i18n.add_argument("--site", type=Path, default=Path("."), help="folder with site_config.yaml (default: .)")
    clean = commands.add_parser("clean", help="remove the build cache", description="remove the build cache")
    clean.add_argument("--site", type=Path, default=Path("."), help="folder with site_config.yaml (default: .)")
    clean.add_argument("--cache", type=Path, help=f"cache folder (default: {CACHE_DIR} in the site's folder)")
    return root


def _new_parser(commands) -> None:
    new = commands.add_parser("new", help="start an article, a page or a project sheet",
                              description="write a new file to fill in, with today's date and every key explained")
    new.add_argument("kind", choices=("news", "pages", "project"), help="what to start")
    new.add_argument("id", nargs="?", help="for a project: its id (the address), such as kosint-2020")
    new.add_argument("--site", type=Path, default=Path("."), help="folder with site_config.yaml (default: .)")
    new.add_argument("--lang", help="the language it is written in, such as sq")
    new.add_argument("--title", help="the headline; the file name and address are made from it")
    new.add_argument("--summary", help="one or two sentences for lists, feeds and search engines")
    new.add_argument("--project", help="the id of the project it is about")
    new.add_argument("--tags", help="tag ids from content/tags.yaml, separated by commas")
    new.add_argument("--translation-of", type=Path, help="the file this is a translation of")
    new.add_argument("--build-date", type=_date, help="the day to date it (default: SOURCE_DATE_EPOCH, or today)")
    new.add_argument("--port", type=int, default=8000, help="the preview's port, for the address printed")


def _translations_parser(commands) -> None:
    report = commands.add_parser("translations", help="what is missing, unreviewed or out of date, per language",
                                 description="report the state of every translation: articles, pages, project "
                                             "fields, tag labels and interface strings")
    report.add_argument("--site", type=Path, default=Path("."), help="folder with site_config.yaml (default: .)")
    report.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    report.add_argument("--fail-under", type=float, metavar="PERCENT",
                        help="exit 1 if a language is less than PERCENT translated and up to date")
    report.add_argument("--mark-done", type=Path, metavar="FILE",
                        help="record that the translation FILE is up to date with its source now")


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number of processes like 2')
    return int(text)


def cache_dir(args: argparse.Namespace) -> Path | None:
    """Return the cache folder the arguments ask for, or None for no cache."""
    return None if getattr(args, "no_cache", False) else args.cache or args.site / CACHE_DIR


def options(args: argparse.Namespace):
    """Return the build options that the parsed arguments ask for."""
    from . import incremental, pipeline

    return pipeline.Options(site_root=args.site, out_dir=getattr(args, "out", None), build_date=args.build_date,
                            strict=args.strict, write=args.command != "check", cache_dir=cache_dir(args),
                            jobs=args.jobs or incremental.default_jobs(), drafts=args.drafts,
                            base_url=base_url(args))


def base_url(args: argparse.Namespace) -> str | None:
    """Return the address to publish at that the command line or the environment asks for, if any."""
    return getattr(args, "base_url", None) or os.environ.get(BASE_URL_ENV) or None


def summary(result, seconds: float) -> str:
    """Return the one-line summary of a build: pages per language, time taken, and what was rendered."""
    pages = ", ".join(f"{code} {count}" for code, count in result.pages.items())
    where = f" into {result.out_dir}" if result.out_dir else " (checked, nothing written)"
    warnings = f", {len(result.report.warnings)} warning(s)" if result.report.warnings else ""
    counts = result.counts
    rendered = f"; rendered {counts.pages} page(s) and {counts.texts} text(s), the rest from the cache" \
        if counts.pages_cached or counts.texts_cached else ""
    return f"built {sum(result.pages.values())} pages ({pages}){where}{rendered}{warnings} in {seconds:.2f} s"


def nothing_changed(args: argparse.Namespace) -> bool:
    """Return True, having said so, if the last build was asked the same, read the same files and left its
    output as it is: a `build` with nothing to do."""
    folder = cache_dir(args)
    if args.command != "build" or folder is None:
        return False
    stamp = fingerprint.read_stamp(folder)
    request = fingerprint.request(args.site, args.out, args.build_date, args.strict, args.drafts, base_url(args))
    if not fingerprint.unchanged(stamp, args.site.absolute(), request):
        return False
    for line in stamp.get("warnings", []):
        print(line, file=sys.stderr)
    print(f"nothing changed since the last build: {stamp.get('pages', 0)} pages in {stamp['out_dir']}")
    return True


def clean(args: argparse.Namespace) -> int:
    """Remove the cache folder and say what was removed."""
    folder = args.cache or args.site / CACHE_DIR
    if not folder.exists():
        print(f"no cache at {folder}")
        return EXIT_OK
    try:
        for name in (fingerprint.STAMP_FILE, "cache.sqlite", "cache.sqlite-journal"):
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:
        print(f"{folder}: error: cannot remove the cache: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"removed the cache {folder}")
    return EXIT_OK


def run_build(opts, show_traceback: bool = False) -> int:
    """Build once, print the report and summary, and return the exit code."""
    from . import pipeline

    start = dt.datetime.now()
    try:
        result = pipeline.build(opts)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing was written; the previous site is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BuildFailed as failed:
        print(failed.report.format(), file=sys.stderr)
        print("build failed: nothing was written; the previous site is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug of the generator: one clear line, the traceback only when asked for
        if show_traceback:
            traceback.print_exc()
        print(internal_error(exc).format(), file=sys.stderr)
        print("build failed: nothing was written; the previous site is unchanged", file=sys.stderr)
        return EXIT_INTERNAL
    for line in [d.format() for d in result.report.diagnostics] + list(result.notices):
        print(line, file=sys.stderr)
    print(summary(result, (dt.datetime.now() - start).total_seconds()))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv` and return the exit code."""
    args = parser().parse_args(argv)
    if args.command == "clean":
        return clean(args)
    if args.command == "new":
        from . import newcontent

        return newcontent.main(args)
    if args.command == "translations":
        from . import report

        return report.main(args)
    if args.command == "i18n":
        from . import i18ncmd

        return i18ncmd.run(args.site, args.action, args.locale)
    if nothing_changed(args):
        return EXIT_OK
    if args.command == "serve":
        from . import serve

        return serve.serve(options(args), args.host, args.port)
    return run_build(options(args), args.traceback)
