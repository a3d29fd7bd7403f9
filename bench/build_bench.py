"""Benchmark: build time of a generated trilingual site, as a ratio to a baseline measured in the same run.

The baseline is the least any Python generator must do for the same content: read every source file and
convert its Markdown with Python-Markdown. Machines here are shared and noisy, so every figure is the
median of several runs, and the ratio is what to compare between commits.

    python bench/build_bench.py [--articles 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import markdown

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dritare import pipeline  # noqa: E402

PARAGRAPH = ("Ekipi i projektit ka mbajtur takimin e rregullt dy-ditor, ku ka diskutuar aktivitetet, arritjet "
             "dhe sfidat në zbatimin e projektit, me [fletën e projektit](../projects/p.yaml). ")


def make_site(root: Path, articles: int) -> Path:
    """Write a site with `articles` news items in each of three languages, and one project."""
    for part in ("templates", "locales", "static", "site_config.yaml", "content/tags.yaml"):
        source, target = REPO / part, root / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    (root / "content/projects").mkdir(parents=True)
    (root / "content/projects/p.yaml").write_text("title: {sq: P, sr: P, en: P}\nsector: Arsimi\n")
    news = root / "content/news"
    news.mkdir()
    for i in range(articles):
        for lang in ("sq", "sr", "en"):
            (news / f"lajm-{i:05d}.{lang}.md").write_text(
                f"---\ntitle: Lajmi {i}\ndate: 20{10 + i % 15}-0{1 + i % 9}-1{i % 9}\nsummary: Përmbledhje {i}.\n"
                f"project: p\ntags: [meetings]\n---\n\n" + "\n\n".join([PARAGRAPH * 3] * 5) + "\n", encoding="utf-8")
    return root


def baseline(root: Path) -> None:
    for path in sorted((root / "content").rglob("*.md")):
        markdown.markdown(path.read_text(encoding="utf-8").split("---", 2)[2])


def build(root: Path) -> pipeline.BuildResult:
    return pipeline.build(pipeline.Options(site_root=root, out_dir=root / "public"))


def timed(action, root: Path, runs: int) -> tuple[float, list]:
    times, results = [], []
    for _ in range(runs):
        start = time.perf_counter()
        results.append(action(root))
        times.append(time.perf_counter() - start)
    return statistics.median(times), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles per language (default 300)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site", args.articles)
        base, _ = timed(baseline, root, args.runs)
        full, results = timed(build, root, args.runs)
        pages = sum(results[-1].pages.values())
        stages = {name: statistics.median(dict(r.timings)[name] for r in results) for name, _ in results[-1].timings}
    print(f"{args.articles} articles x 3 languages: {pages} pages, {len(results[-1].files)} files")
    print(f"baseline (read + Python-Markdown): median {base:.2f} s")
    print(f"full build (every stage, written):  median {full:.2f} s  = {full / base:.2f} x baseline, "
          f"{1000 * full / pages:.2f} ms a page")
    for name, seconds in sorted(stages.items(), key=lambda item: -item[1])[:6]:
        print(f"  {name:<14} {seconds:.2f} s")


if __name__ == "__main__":
    main()
