"""Screenshots of the built site for the README: home, an article and a project page, in every language, at
a phone's and a desktop's width, in the light colour scheme, and one article in the dark one.

    .venv/bin/python scripts/screenshots.py                # builds the site, writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --width 320 --out /tmp/shots --pages /sq/ /sr/about/

It drives the system's Chromium through Playwright (set CHROMIUM to use another one) and never downloads a
browser. Shots are of the viewport only (a phone's first screen, a desktop's first 800 px), so they stay
small; with Pillow installed (`pip install -e '.[docs]'`) they are written with a palette of 256 colours,
about a third of the size."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dritare import pipeline  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
SIZES = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
# One article and one project that exist in every language of the real site.
PAGES = {"home": "/{lang}/", "article": "/{lang}/news/kosint-2020-launch/",
         "project": "/{lang}/projects/joint-action-for-decentralization/"}
BUILD_DATE = dt.date(2021, 6, 1)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class names it
        pass


def build(out: Path) -> list[str]:
    """Build the real site into `out` as of BUILD_DATE and return its language codes."""
    pipeline.build(pipeline.Options(site_root=REPO, out_dir=out, build_date=BUILD_DATE))
    from dritare import config
    site, _ = config.load(REPO)
    return list(site.codes) if site else ["sq", "sr", "en"]


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve `folder` on a free local port and return the server and its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def shrink(path: Path) -> None:
    """Rewrite the PNG at `path` with a palette of at most 256 colours, if Pillow is installed."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def shoot(base: str, targets: list[tuple[str, str, dict]], out: Path, dark: bool) -> list[Path]:
    """Take each (name, path, viewport) of `targets` from the site at `base`; return the files written."""
    from playwright.sync_api import sync_playwright
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, viewport in targets:
            context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light",
                                          device_scale_factor=1)
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            file = out / f"{name}{'-dark' if dark else ''}.png"
            page.screenshot(path=str(file))
            shrink(file)
            written.append(file)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="where the PNGs go")
    parser.add_argument("--site", type=Path, help="a built site to use instead of building one")
    parser.add_argument("--width", type=int, help="one viewport width instead of the phone and desktop ones")
    parser.add_argument("--height", type=int, default=800, help="with --width: the viewport's height")
    parser.add_argument("--pages", nargs="+", help="addresses to take instead of home, article and project")
    parser.add_argument("--dark", action="store_true", help="the dark colour scheme")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site or Path(tmp) / "public"
        codes = ["sq", "sr", "en"] if args.site else build(folder)
        sizes = {f"w{args.width}": {"width": args.width, "height": args.height}} if args.width else SIZES
        if args.pages:
            wanted = [(p.strip("/").replace("/", "_") or "root", p) for p in args.pages]
        else:
            wanted = [(f"{kind}-{lang}", shape.format(lang=lang)) for lang in codes for kind, shape in PAGES.items()]
        targets = [(f"{name}-{label}", path, size) for name, path in wanted for label, size in sizes.items()]
        args.out.mkdir(parents=True, exist_ok=True)
        server, base = serve(folder)
        try:
            files = shoot(base, targets, args.out, args.dark)
            if not (args.pages or args.width or args.dark):  # and the dark scheme, on one language's article
                article = [t for t in targets if t[0].startswith(f"article-{codes[0]}-")]
                files += shoot(base, article, args.out, dark=True)
        finally:
            server.shutdown()
    for file in files:
        print(f"{file.relative_to(REPO) if file.is_relative_to(REPO) else file}  {file.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
