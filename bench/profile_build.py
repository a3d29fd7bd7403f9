"""Where a cold Dritare build spends its time: one build of the corpus under cProfile, the top entries.

cProfile slows pure-Python code more than C code (Markdown and Jinja more than file writes), so the
shares are indicative; the wall time without the profiler is run.py's "cold".

    python bench/profile_build.py [--n 1000] [--top 25]      (or: python bench/run.py --profile --n 1000)
"""

from __future__ import annotations

import argparse
import pstats
import re
import sys
import tempfile
from pathlib import Path

from corpus import BUILD_DATE, REPO, make_articles, read_sources, write_dritare
from measure import run_child



def short(where: tuple[str, int, str], checkout: Path) -> str:
    """Return a profiler entry's function as `file:line(name)`, the file relative to the project or library."""
    path, line, name = where
    if path == "~":
        return name
    rel = Path(path).resolve()
    if rel.is_relative_to(checkout) and ".venv" not in rel.parts:
        path = str(rel.relative_to(checkout))
    else:
        path = re.sub(r"^.*/(site-packages|python3\.\d+)/", "", path)
    return f"{path}:{line}({name})"


def rows(stats: pstats.Stats, checkout: Path, key: int, top: int, keep=lambda name: True) -> list[str]:
    """Return the `top` entries by cumulative (key 3) or own (key 2) time as Markdown table rows."""
    entries = sorted(stats.stats.items(), key=lambda item: -item[1][key])
    found = [(short(where, checkout), values) for where, values in entries]
    found = [(name, values) for name, values in found if keep(name)][:top]
    return [f"| {cum:.2f} | {own:.2f} | {calls:,} | `{name}` |" for name, (_, calls, own, cum, _) in found]


def profile(site: Path, checkout: Path = REPO, top: int = 25) -> int:
    """Profile one cold build of the Dritare site at `site`, print where the time goes; return its exit code."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "build.prof"
        result = run_child([sys.executable, "-m", "cProfile", "-o", str(output), str(checkout / "build.py"), "build",
                            "--site", str(site), "--build-date", BUILD_DATE])
        if result.returncode != 0:
            print(result.output[-3000:], file=sys.stderr)
            return result.returncode
        stats = pstats.Stats(str(output))
    total = max(values[3] for values in stats.stats.values())
    print(f"one cold build under cProfile: {result.seconds:.2f} s wall, {total:.2f} s profiled, "
          f"{result.peak_mb:.0f} MB peak\n")
    head = ["| cumulative s | own s | calls | function |", "| --- | --- | --- | --- |"]
    print("Dritare's functions by cumulative time (the stages):\n")
    print("\n".join(head + rows(stats, checkout, 3, top, lambda name: name.startswith(("dritare/", "build.py")))))
    print("\nEvery function by own time (the hot spots):\n")
    print("\n".join(head + rows(stats, checkout, 2, top)))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles per language (default 1000)")
    parser.add_argument("--top", type=int, default=25, help="entries per table (default 25)")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="the Dritare checkout to profile (default: this one)")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    with tempfile.TemporaryDirectory(prefix="dritare-profile-") as folder:
        site = write_dritare(make_articles(args.n, read_sources(checkout)), Path(folder) / "site", checkout)
        return profile(site, checkout, args.top)


if __name__ == "__main__":
    sys.exit(main())
