"""Atomic, single-owner output: a build that dies or runs out of disk leaves the previous site as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, article, make_site, run_cli
from harness import tmpfs
from dritare import output
from dritare.render import OutputFile



def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "public"
    output.write([OutputFile("a/index.html", b"1"), OutputFile("old.html", b"x")], out)
    output.write([OutputFile("a/index.html", b"2")], out)
    assert snapshot(out) == {out.joinpath("a/index.html").relative_to(out): b"2"}
    # The site before is kept beside it as the spare that the next build updates instead of writing anew.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]
    spare = tmp_path / ".public.spare"
    assert snapshot(spare) == {spare.joinpath("a/index.html").relative_to(spare): b"1",
                               spare.joinpath("old.html").relative_to(spare): b"x"}
    output.write([OutputFile("b.html", b"3")], out)
    assert snapshot(out) == {out.joinpath("b.html").relative_to(out): b"3"}
    assert snapshot(spare) == {spare.joinpath("a/index.html").relative_to(spare): b"2"}


def test_two_writers_of_one_file_and_escaping_paths_are_errors():
    problems = output.check_files([OutputFile("a.html", b"1"), OutputFile("a.html", b"2"),
                                   OutputFile("../x.html", b""), OutputFile("/etc/x", b"")])
    assert [p.message for p in problems] == ["two pages write this same file",
                                             "this output path leaves the output folder",
                                             "this output path leaves the output folder"]


def test_a_folder_that_is_not_a_built_site_is_never_replaced(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/report.docx").write_bytes(b"precious")
    assert "is not a built site" in output.check_target(REPO, tmp_path / "docs")


def big_site(root, count=2500):
    files = {f"content/news/n{i:04d}.sq.md": article(f"Lajmi {i}", f"2020-01-{1 + i % 28:02d}", body="Fjali. " * 300)
             for i in range(count)}
    return make_site(root, files)


def test_build_killed_mid_write_leaves_previous_site_byte_identical(tmp_path):
    root = big_site(tmp_path / "site")
    out = root / "public"
    assert run_cli("build", "--site", str(root)).returncode == 0
    before = snapshot(out)
    (root / "content/news/n0000.sq.md").write_text(article("Ndryshuar"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    staged = []
    while time.monotonic() < deadline and process.poll() is None:
        staged = [p for p in root.glob(".public.staging-*") if sum(1 for _ in p.rglob("*.html")) > 200]
        if staged:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    process.wait()
    assert staged, "the build finished before it could be killed mid-write"
    assert process.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert run_cli("build", "--site", str(root)).returncode == 0
    assert "Ndryshuar" in (out / "sq/news/n0000/index.html").read_text(encoding="utf-8")
    assert list(root.glob(".public.staging-*")) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 600 kB folder of its own (tmpfs), to run out of space in."""
    with tmpfs(tmp_path / "disk", "size=600k") as mount:
        yield mount


def test_full_disk_fails_cleanly_and_keeps_previous_site(small_disk, tmp_path):
    root = make_site(tmp_path / "site", {"content/news/a.sq.md": article()})
    out = small_disk / "public"
    assert run_cli("build", "--site", str(root), "--out", str(out)).returncode == 0
    before = snapshot(out)
    (root / "content/news/b.sq.md").write_text(article("Big", body="Fjalë shumë e gjatë. " * 60000), encoding="utf-8")
    result = run_cli("build", "--site", str(root), "--out", str(out))
    assert result.returncode == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) in (["public"], [".public.spare", "public"])
