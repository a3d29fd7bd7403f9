"""The bad-input harness: a site that built once, a mistake applied to it, and what the officer must see."""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import os
import signal
import subprocess
from pathlib import Path
from typing import Callable, Iterator

from conftest import BUILD_DATE, make_site, run_cli

Mutation = Callable[[Path], None]


def snapshot(folder: Path) -> dict:
    """Return every file under `folder` with its bytes, and every link with its target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = ("link", str(path.readlink()))
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


def build_cli(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `build.py build` on the site at `root` as of the tests' build date, bounded in time."""
    return run_cli("build", "--site", str(root), "--build-date", BUILD_DATE.isoformat(), *args, timeout=timeout)


def good_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a small site and build it once, so that a later failed build has a site to keep."""
    make_site(root, files)
    first = build_cli(root)
    assert first.returncode == 0, first.stderr
    return root


def write(rel: str, data: str | bytes) -> Mutation:
    """Return a mutation that writes `data` to the site-relative file `rel`."""
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def assert_rejected(root: Path, mutate: Mutation, *expected: str, args: tuple[str, ...] = (),
                    out: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Apply `mutate` to the built site at `root`, build again, and check what a careless edit must give:
    exit 1, every `expected` text in the messages, no traceback, and the previous site byte-identical."""
    out = out or root / "public"
    before = snapshot(out)
    mutate(root)
    result = build_cli(root, *args, timeout=timeout)
    said = result.stdout + result.stderr
    assert "Traceback" not in said and "internal error" not in said, said
    assert result.returncode == 1, said
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert snapshot(out) == before
    return result


class TimeBound(Exception):
    """An example ran past its time bound."""


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Fail the code inside if it runs longer than `seconds` (a hang becomes a test failure)."""
    def expire(signum, frame):
        raise TimeBound(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unavailable(message: str) -> None:
    """Skip on a developer's machine what the machine cannot do, but fail in CI (CI=true)."""
    import pytest

    pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """Mount a tmpfs with `options` (size=600k, ro...) at the new folder `folder` for the code inside; a
    machine that cannot mount one skips the test, and fails it in CI (CI=true)."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        unavailable(f"cannot mount a tmpfs ({options}): {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


class StaticHost(SimpleHTTPRequestHandler):
    """Static files as a web host serves them: quiet, and a missing page answered with /404.html."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port in a thread, and yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
