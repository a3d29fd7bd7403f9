"""Page weight: what a reader's browser downloads for each article (its HTML and the CSS and JavaScript it
loads, uncompressed; images apart), against the budget of 40 KB.

    .venv/bin/python scripts/page_weight.py               # builds the site and reports every article
    .venv/bin/python scripts/page_weight.py --site public # reports a site already built

It prints the articles from the heaviest, and exits with 1 if any is over the budget."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
BUDGET = 40 * 1024  # bytes: an article's HTML + CSS + JS, uncompressed
BUILD_DATE = dt.date(2021, 6, 1)


class _Assets(HTMLParser):
    """Collects the stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split() and values.get("href"):
            self.found.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.found.append(values["src"])


@dataclass(frozen=True)
class Weight:
    """The bytes of one page: its HTML and the CSS and JavaScript files it loads."""

    page: str
    html: int
    assets: int

    @property
    def total(self) -> int:
        return self.html + self.assets


def weigh(site: Path, page: Path) -> Weight:
    """Return the weight of the built `page` of the site in the folder `site`."""
    html = page.read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    assets = 0
    for href in dict.fromkeys(parser.found):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            raise ValueError(f"{page}: {href} is loaded from another website")
        assets += (site / parts.path.lstrip("/")).stat().st_size
    return Weight("/" + page.relative_to(site).parent.as_posix() + "/", len(html), assets)


def articles(site: Path) -> list[Weight]:
    """Return the weight of every article of the built site in `site`, heaviest first."""
    pages = sorted(p for p in site.glob("*/news/*/index.html") if not p.parent.name.isdigit()
                   and p.parent.name != "page")
    return sorted((weigh(site, p) for p in pages), key=lambda w: (-w.total, w.page))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build this repository's site)")
    parser.add_argument("--all", action="store_true", help="list every article, not only the ten heaviest")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            sys.path.insert(0, str(REPO))
            from dritare import pipeline
            site = Path(tmp) / "public"
            pipeline.build(pipeline.Options(site_root=REPO, out_dir=site, build_date=BUILD_DATE))
        weights = articles(site)
    if not weights:
        print("no articles found", file=sys.stderr)
        return 1
    print(f"{'page':60} {'HTML':>8} {'CSS+JS':>8} {'total':>8}")
    for w in weights if args.all else weights[:10]:
        print(f"{w.page:60} {w.html / 1024:7.1f}K {w.assets / 1024:7.1f}K {w.total / 1024:7.1f}K")
    heaviest = weights[0]
    over = [w for w in weights if w.total > BUDGET]
    print(f"heaviest: {heaviest.page} {heaviest.total / 1024:.1f} KB of {BUDGET // 1024} KB"
          f" ({len(weights)} articles, {len(over)} over the budget)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
