"""The preview server: build, serve the output folder on this computer, rebuild on every change."""

from __future__ import annotations

import html
import ipaddress
import mimetypes
import posixpath
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import config, pipeline
from .cache import Cache
from .errors import BuildFailed, Diagnostic, Report, internal_error

WATCHED = ("content", "templates", "locales", "static", config.CONFIG_FILE)


@dataclass
class Preview:
    """The output folder being served, and the report of the last build if it failed."""

    out_dir: Path
    failure: Report | None = None
    # The warnings of the last good build: every page of the preview shows them (never the built site).
    warnings: tuple[Diagnostic, ...] = ()
    # Kept between rebuilds: a save re-renders only the pages the change affects.
    cache: Cache = field(default_factory=Cache)
    # The site's folder, for the translation report at TRANSLATIONS_PAGE (made on each request, never built).
    site_root: Path | None = None

    def rebuild(self, options: pipeline.Options) -> None:
        """Build again; on failure keep the last good site and remember the report to show it."""
        start = time.perf_counter()
        try:
            result = pipeline.build(options, self.cache)
        except BuildFailed as failed:
            self.failure = failed.report
            print(failed.report.format() + "\nbuild failed: still serving the last good build", file=sys.stderr)
            return
        except Exception as exc:  # the preview must keep serving and say so, whatever went wrong
            self.failure = Report() + [internal_error(exc)]
            print(self.failure.format() + "\nbuild failed: still serving the last good build", file=sys.stderr)
            return
        self.failure = None
        self.warnings = result.report.warnings
        for line in [d.format() for d in result.report.diagnostics] + list(result.notices):
            print(line, file=sys.stderr)
        print(rebuilt(result, time.perf_counter() - start), file=sys.stderr)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Serve one request (WSGI): the error page after a failed build, otherwise the file asked for."""
        raw = environ.get("PATH_INFO", "/")
        path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        if path.rstrip("/") == TRANSLATIONS_PAGE.rstrip("/") and self.site_root is not None:
            return self._respond(start_response, "200 OK", "text/html", translations_page(self.site_root))
        file = self.locate(path)
        if self.failure is not None and (file is None or file.suffix == ".html"):
            return self._respond(start_response, "500 Build Error", "text/html", error_page(self.failure))
        if file is None:
            missing = self.not_found_page(path)
            body = missing.read_bytes() if missing else b"Not found"
            return self._respond(start_response, "404 Not Found", "text/html", body)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        body = file.read_bytes()
        if self.warnings and file.suffix == ".html":
            body = with_banner(body, self.warnings)
        return self._respond(start_response, "200 OK", kind, body)

    def locate(self, path: str) -> Path | None:
        """Return the file inside the output folder that `path` names, or None; never one outside it."""
        if "\x00" in path or "\\" in path:
            return None
        clean = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
        root = self.out_dir.resolve()
        target = (root / clean).resolve() if clean not in ("", ".") else root
        if not target.is_relative_to(root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def not_found_page(self, path: str) -> Path | None:
        """Return the 404 page of the language the path starts with, or the site's root one."""
        first = path.strip("/").split("/", 1)[0]
        for candidate in (f"{first}/404.html", "404.html"):
            found = self.locate(candidate)
            if found:
                return found
        return None

    @staticmethod
    def _respond(start_response: Callable, status: str, kind: str, body: bytes) -> list[bytes]:
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else ""
        start_response(status, [("Content-Type", kind + charset), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


TRANSLATIONS_PAGE = "/_translations/"


def translations_page(site_root: Path) -> bytes:
    """Return the translation report of the site as a page of the preview (build.py translations, in HTML)."""
    from . import report

    model, note = report.load(site_root)
    if model is None:  # the configuration cannot be read: say why
        return (f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Translations</title>'
                f"<pre>{html.escape(note)}</pre></html>").encode("utf-8")
    return report.as_html(report.collect(model))


def rebuilt(result: pipeline.BuildResult, seconds: float) -> str:
    """Return the line the preview prints after a rebuild: what it had to render, and how long it took."""
    counts = result.counts
    total = counts.pages + counts.pages_cached
    return (f"rebuilt in {seconds:.2f} s: {counts.pages} of {total} pages and {counts.texts} of "
            f"{counts.texts + counts.texts_cached} texts rendered, the rest unchanged")


def error_page(report: Report) -> bytes:
    """Return the HTML page that shows a failed build's report in the browser."""
    items = "\n".join(f"<li><pre>{html.escape(d.format())}</pre></li>" for d in report.diagnostics)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;margin:2rem;color:#1b1f24}}
h1{{color:#a4000f}}li{{margin:.5rem 0}}pre{{white-space:pre-wrap;background:#fff0f0;padding:.6rem;
border-left:4px solid #a4000f}}</style>
</head><body><h1>The site could not be built</h1>
<p>Fix the problems below and save: this page reloads by itself. {len(report.errors)} error(s).</p>
<ol>{items}</ol></body></html>""".encode("utf-8")


BANNER_ID = "dritare-preview-warnings"


def warning_banner(warnings: Iterable[Diagnostic]) -> str:
    """Return the box the preview puts on every page while the build has warnings: each warning's place,
    message and fix. A <details>, so that it folds away without JavaScript; styled in its own attributes, so
    that it needs nothing from the site's style sheet."""
    warnings = list(warnings)
    items = "".join(
        f'<li style="margin:.4rem 0"><code style="font-weight:bold">{html.escape(_place(d))}</code> '
        f"{html.escape(d.message)}"
        + (f'<br><span style="color:#4a3b00">fix: {html.escape(d.hint)}</span>' if d.hint else "") + "</li>"
        for d in warnings)
    return (f'<details id="{BANNER_ID}" open lang="en" style="position:fixed;z-index:2147483647;left:.5rem;'
            "right:.5rem;bottom:.5rem;max-height:45vh;overflow:auto;background:#fff8d6;color:#1b1f24;"
            'border:2px solid #b58900;border-radius:4px;padding:.4rem .8rem;font:.9rem/1.4 system-ui,sans-serif">'
            f'<summary style="cursor:pointer;font-weight:bold">{len(warnings)} warning(s) in this build: '
            "they fail the check before publishing (--strict). Click here to fold this box away.</summary>"
            f'<ul style="margin:.3rem 0;padding-left:1.2rem">{items}</ul>'
            '<p style="margin:.3rem 0;font-size:.8rem">Only the preview shows this box; the built site does not.</p>'
            "</details>")


def _place(diagnostic: Diagnostic) -> str:
    return diagnostic.format().split(": " + diagnostic.severity + ": ", 1)[0]


def with_banner(page: bytes, warnings: Iterable[Diagnostic]) -> bytes:
    """Return the HTML `page` with the warning banner put just before its </body> (or at its end)."""
    banner = warning_banner(warnings).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page[:at] + banner + page[at:] if at >= 0 else page + banner


def is_loopback(host: str) -> bool:
    """Return True if `host` is an address or name of this computer only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """Return the warning to print when the preview is reachable from other computers, or None."""
    if is_loopback(host):
        return None
    return (f"warning: serving on {host} lets every computer that can reach this one read the preview, drafts and "
            "unpublished changes included; use --host 127.0.0.1 unless that is what you want")


def serve(options: pipeline.Options, host: str, port: int) -> int:
    """Build, then serve on host:port until interrupted, rebuilding whenever a source changes."""
    from . import livepreview

    site, problems = config.load(options.site_root.absolute())
    if site is None:
        print(Report().__add__(problems).format(), file=sys.stderr)
        return 1
    out_dir = options.out_dir or site.root / site.config.output_dir
    options = replace(options, out_dir=out_dir)
    preview = Preview(out_dir, cache=Cache(options.cache_dir), site_root=site.root)
    if exposure_warning(host):
        print(exposure_warning(host), file=sys.stderr)
    busy = livepreview.cannot_listen(host, port)
    if busy:
        print(busy, file=sys.stderr)
        return 2
    preview.rebuild(options)
    return livepreview.run(preview, [site.root / name for name in WATCHED], lambda: preview.rebuild(options),
                           host, port)
