"""A strange file system never breaks the build: one writer at a time, unreadable, linked, piped and huge source
files refused with their path, the output folder's files, links and modes respected, and no site ever lost."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_DATE, REPO, article, make_site, run_cli
from harness import assert_rejected, build_cli, good_site, snapshot, time_bound, tmpfs, unavailable, write
from dritare import output, sources
from dritare.render import OutputFile

SITE = {"content/news/a.sq.md": article(), "content/pages/rreth.sq.md": "---\ntitle: Rreth\nsummary: S.\n---\n\nT.\n"}


def mutate(*steps):
    """Return a mutation that applies every one of `steps`."""
    def apply(root: Path) -> None:
        for step in steps:
            step(root)
    return apply


def link(rel: str, to: str):
    """Return a mutation that makes `rel` a symbolic link to `to`."""
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(to, root / rel)
    return apply


def fifo(rel: str):
    """Return a mutation that makes `rel` a named pipe, which blocks whoever opens it to read."""
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
    return apply


# One writer at a time -------------------------------------------------------------------------------------------

def test_a_build_waits_while_another_writes_and_then_publishes_the_whole_site(tmp_path):
    root = good_site(tmp_path / "site", SITE)
    out = root / "public"
    before = snapshot(out)
    write("content/news/b.sq.md", article("E reja"))(root)
    with output.locked(out):
        # What another build, alive and writing, has beside the output folder.
        other = root / ".public.staging-1"
        (other / "sq").mkdir(parents=True)
        (other / "sq/index.html").write_bytes(b"half")
        second = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site", str(root),
                                   "--build-date", BUILD_DATE.isoformat()],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert second.poll() is None, second.communicate()
        assert (other / "sq/index.html").read_bytes() == b"half"
        assert snapshot(out) == before
        shutil.rmtree(other)
    said, complaints = second.communicate(timeout=60)
    assert second.returncode == 0, complaints
    assert "waiting for another build" in complaints and "Traceback" not in complaints
    assert build_cli(root, "--out", str(tmp_path / "alone")).returncode == 0
    assert snapshot(out) == snapshot(tmp_path / "alone")
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".public")) == [".public.spare"]


def test_a_build_that_cannot_get_the_lock_in_time_refuses_and_writes_nothing(tmp_path):
    out = tmp_path / "public"
    output.write([OutputFile("index.html", b"old"), OutputFile("sitemap.xml", b"")], out)
    with output.locked(out), pytest.raises(output.OutputError) as refused:
        output.write([OutputFile("index.html", b"new")], out, wait=0.3)
    assert str(refused.value) == f"another build (process {os.getpid()}) is still writing {out} after 0.3 s of waiting"
    assert (out / "index.html").read_bytes() == b"old"


def test_leftovers_of_a_killed_build_are_removed_by_the_next_one(tmp_path):
    out = tmp_path / "public"
    (tmp_path / ".public.staging-999999/sq").mkdir(parents=True)
    (tmp_path / ".public.lock").write_text("999999\n")
    output.write([OutputFile("index.html", b"new")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


# Where renameat2 is missing: two renames, and a kill between them ----------------------------------------------

KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from dritare import cli, output

output._exchange = lambda a, b: False
rename = os.rename

def rename_then_die(a, b):
    rename(a, b)
    if str(a).endswith(os.sep + "public"):
        os.kill(os.getpid(), signal.SIGKILL)

os.rename = rename_then_die
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_build_killed_between_the_two_renames_of_the_fallback_swap_loses_no_site(tmp_path):
    root = good_site(tmp_path / "site", SITE)
    before = snapshot(root / "public")
    write("content/news/b.sq.md", article("E reja"))(root)
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES, "build", "--site", str(root),
                             "--build-date", BUILD_DATE.isoformat()], cwd=REPO, capture_output=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert killed.returncode == -signal.SIGKILL
    assert not (root / "public").exists() and (root / ".public.old").is_dir()
    # The next build puts the previous site back even when it fails itself.
    write("content/news/c.sq.md", article(date="2021-02-30"))(root)
    assert build_cli(root).returncode == 1
    assert snapshot(root / "public") == before
    (root / "content/news/c.sq.md").unlink()
    assert build_cli(root).returncode == 0
    assert (root / "public/sq/news/b/index.html").is_file()
    assert not (root / ".public.old").exists()


def test_the_fallback_swap_replaces_the_site(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "public"
    output.write([OutputFile("a.html", b"1"), OutputFile("old.html", b"x")], out)
    output.write([OutputFile("a.html", b"2")], out)
    assert snapshot(out) == {"a.html": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]


# The output folder: files, links, read-only disks, modes --------------------------------------------------------

@pytest.mark.parametrize("name", ["site_config.yaml", "notes.txt"])
def test_an_output_folder_that_is_a_file_is_refused(tmp_path, name):
    root = make_site(tmp_path / "site", {**SITE, "notes.txt": "shënime"})
    kept = (root / name).read_bytes()
    result = build_cli(root, "--out", str(root / name))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{root / name}: error: {root / name} is a file, not a folder; a build would replace it" in result.stderr
    assert (root / name).read_bytes() == kept


def test_an_output_link_to_a_file_is_refused(tmp_path):
    root = make_site(tmp_path / "site", SITE)
    (tmp_path / "notes.txt").write_text("shënime")
    os.symlink(tmp_path / "notes.txt", root / "public")
    result = build_cli(root)
    assert result.returncode == 1
    assert f"(a link to {tmp_path / 'notes.txt'}) is a file, not a folder" in result.stderr
    assert (root / "public").is_symlink() and (tmp_path / "notes.txt").read_text() == "shënime"


def test_an_output_folder_that_is_a_link_is_updated_where_it_leads_and_stays_a_link(tmp_path):
    root = make_site(tmp_path / "site", SITE)
    web_root = tmp_path / "www/site"
    os.symlink(web_root, root / "public")
    assert build_cli(root).returncode == 0
    write("content/news/b.sq.md", article("E reja"))(root)
    assert build_cli(root).returncode == 0
    assert (root / "public").is_symlink() and os.readlink(root / "public") == str(web_root)
    assert (web_root / "sq/news/b/index.html").is_file()
    assert sorted(p.name for p in web_root.parent.iterdir()) == [".site.spare", "site"]


@pytest.fixture
def read_only_disk(tmp_path):
    """A folder on a file system mounted read-only."""
    with tmpfs(tmp_path / "ro", "ro,size=100k") as mount:
        yield mount


def test_output_in_a_new_folder_on_a_read_only_disk_is_an_error(tmp_path, read_only_disk):
    root = make_site(tmp_path / "site", SITE)
    out = read_only_disk / "a/b/public"
    result = build_cli(root, "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{out}: error: cannot write {out}: Read-only file system; the previous site is unchanged" in result.stderr
    assert "hint: this disk is read-only: choose an output folder on one that can be written" in result.stderr


def modes(folder: Path) -> set[tuple[str, str]]:
    """Return the kinds and permission bits found under `folder`, itself included."""
    return {("folder" if p.is_dir() else "file", oct(stat.S_IMODE(p.stat().st_mode)))
            for p in [folder, *folder.rglob("*")]}


def test_the_site_is_readable_by_the_web_server_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        output.write([OutputFile("index.html", b"1"), OutputFile("sq/news/a/index.html", b"2")],
                     tmp_path / "new/public")
    finally:
        os.umask(previous)
    assert modes(tmp_path / "new") == {("folder", "0o755"), ("file", "0o644")}


# Reading the sources: one safe walk, one safe read --------------------------------------------------------------

def cannot_read_as_root(tmp_path: Path) -> list[str]:
    """Return the command prefix that takes from root its power to read any file (tests run as root, whom
    chmod 000 does not stop), so that an unreadable file is unreadable as for any other user."""
    if os.geteuid() != 0:
        return []
    secret = tmp_path / "unreadable"
    secret.write_text("x")
    secret.chmod(0)
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(secret)!r}).read()"],
                           capture_output=True) if shutil.which("setpriv") else None
    if probe is None or probe.returncode == 0:
        unavailable("cannot take from root the power to read unreadable files (setpriv)")
    return prefix


@pytest.mark.parametrize("rel, what", [
    ("content/news", "content/news: error: this folder cannot be read: Permission denied"),
    ("content/news/a.sq.md", "content/news/a.sq.md: error: this file cannot be read: Permission denied"),
    ("content/tags.yaml", "content/tags.yaml: error: this file cannot be read: Permission denied"),
    ("static/img", "static/img: error: this folder cannot be read: Permission denied"),
    ("site_config.yaml", "site_config.yaml: error: this file cannot be read: Permission denied"),
])
def test_an_unreadable_file_or_folder_is_an_error_not_a_smaller_site(tmp_path, rel, what):
    prefix = cannot_read_as_root(tmp_path)
    root = good_site(tmp_path / "site", {**SITE, "content/tags.yaml": "ngjarje: Ngjarje\n", "static/img/a.txt": "a"})
    before = snapshot(root / "public")
    os.chmod(root / rel, 0)
    try:
        result = subprocess.run([*prefix, sys.executable, str(REPO / "build.py"), "build", "--site", str(root),
                                 "--build-date", BUILD_DATE.isoformat()], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
    finally:
        os.chmod(root / rel, 0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert what in result.stderr
    assert "hint: let the user who builds the site read it" in result.stderr
    assert snapshot(root / "public") == before


@pytest.mark.parametrize("mistake, expected", [
    (link("static/passwd", "/etc/passwd"), "static/passwd: error: this link points outside the site folder"),
    (mutate(fifo("pipe"), link("content/news/p.sq.md", "../../pipe")),
     "content/news/p.sq.md: error: this is a named pipe (FIFO), not a file"),
    (fifo("static/pipe"), "static/pipe: error: this is a named pipe (FIFO), not a file"),
    (fifo("content/news/p.sq.md"), "content/news/p.sq.md: error: this is a named pipe (FIFO), not a file"),
    (mutate(fifo("pipe"), link("content/tags.yaml", "../pipe")),
     "content/tags.yaml: error: this is a named pipe (FIFO), not a file"),
    (link("content/news/gone.sq.md", "missing.sq.md"),
     "content/news/gone.sq.md: error: this link leads to nothing: missing.sq.md does not exist"),
    (mutate(link("content/news/x.sq.md", "y.sq.md"), link("content/news/y.sq.md", "x.sq.md")),
     "content/news/x.sq.md: error: this link leads round in a loop of links"),
    (link("static/docs", "../content"),
     "static/docs: error: this link leads to a folder; links to folders are not followed"),
    (link("content/news/dir.sq.md", "../pages"),
     "content/news/dir.sq.md: error: this link leads to a folder; links to folders are not followed"),
], ids=["link-out-of-site", "link-to-pipe", "pipe-in-static", "pipe-in-content", "tags-link-to-pipe", "dangling",
        "loop", "static-link-to-folder", "content-link-to-folder"])
def test_links_pipes_and_loops_in_the_sources_are_errors_never_a_hang(tmp_path, mistake, expected):
    root = good_site(tmp_path / "site", SITE)
    assert_rejected(root, mistake, expected, timeout=30)


def test_a_link_to_a_file_inside_the_site_is_published(tmp_path):
    root = make_site(tmp_path / "site", SITE)
    os.symlink("../content/news/a.sq.md", root / "static/a.txt")
    assert build_cli(root).returncode == 0
    assert (root / "public/static/a.txt").read_bytes() == (root / "content/news/a.sq.md").read_bytes()


def test_an_editors_lock_file_is_ignored(tmp_path):
    root = make_site(tmp_path / "site", SITE)
    os.symlink("root@host.123:1700000000", root / "content/news/.#a.sq.md")
    os.symlink("root@host.123:1700000000", root / "static/.#site.css")
    assert build_cli(root).returncode == 0


def test_a_huge_article_is_refused_at_once_with_its_size(tmp_path):
    root = good_site(tmp_path / "site", SITE)
    start = time.monotonic()
    result = assert_rejected(root, write("content/news/big.sq.md", article(body="Fjali e gjatë. " * 200_000)),
                             "content/news/big.sq.md: error: this file is 3.2 MB; a source file may be at most 2 MB",
                             "hint: split it into several articles")
    assert time.monotonic() - start < 20, result.stderr


def test_reading_a_pipe_returns_an_error_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    os.symlink("pipe", tmp_path / "link")
    with time_bound(5):
        for name in ("pipe", "link"):
            data, [problem] = sources.read_bytes(tmp_path, tmp_path / name)
            assert data is None and problem.format().startswith(f"{name}: error: this is a named pipe (FIFO)")


# The environment --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["x", "1.5", "-1", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_an_error_naming_it(tmp_path, monkeypatch, value):
    root = make_site(tmp_path / "site", SITE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f'SOURCE_DATE_EPOCH: error: "{value}" is not a time in seconds since 1970-01-01 (UTC)' in result.stderr
    assert not (root / "public").exists()
