"""The command line: build, check and serve."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from . import pipeline
from .errors import BuildFailed, internal_error

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
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
            sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    return root


def options(args: argparse.Namespace) -> pipeline.Options:
    """Return the build options that the parsed arguments ask for."""
    return pipeline.Options(site_root=args.site, out_dir=getattr(args, "out", None), build_date=args.build_date,
                            strict=args.strict, write=args.command != "check")


def summary(result: pipeline.BuildResult, seconds: float) -> str:
    """Return the one-line summary of a build: pages per language and time taken."""
    pages = ", ".join(f"{code} {count}" for code, count in result.pages.items())
    where = f" into {result.out_dir}" if result.out_dir else " (checked, nothing written)"
    warnings = f", {len(result.report.warnings)} warning(s)" if result.report.warnings else ""
    return f"built {sum(result.pages.values())} pages ({pages}){where} in {seconds:.2f} s{warnings}"


def run_build(opts: pipeline.Options, show_traceback: bool = False) -> int:
    """Build once, print the report and summary, and return the exit code."""
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
    for diagnostic in result.report.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    print(summary(result, (dt.datetime.now() - start).total_seconds()))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv` and return the exit code."""
    args = parser().parse_args(argv)
    if args.command == "serve":
        from . import serve

        return serve.serve(options(args), args.host, args.port)
    return run_build(options(args), args.traceback)
