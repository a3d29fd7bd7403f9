"""The preview server: serves only the output folder, shows build errors, recovers once fixed."""

from __future__ import annotations

import datetime as dt
import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO, article
from dritare import pipeline
from dritare.errors import Report, error
from dritare.serve import Preview


def call(app, path):
    seen = {}
    body = b"".join(app({"PATH_INFO": path}, lambda status, headers: seen.update(status=status, headers=headers)))
    return seen["status"], dict(seen["headers"]), body


@pytest.fixture
def preview(tmp_path):
    out = tmp_path / "public"
    (out / "sq/news").mkdir(parents=True)
    (out / "index.html").write_text("<html><head></head>root</html>")
    (out / "sq/news/index.html").write_text("<html><head></head>lajme</html>")
    (out / "sq/404.html").write_text("<html><head></head>sq 404</html>")
    (out / "404.html").write_text("<html><head></head>root 404</html>")
    (tmp_path / "secret.txt").write_text("secret")
    return Preview(out)


def test_serves_index_of_folders(preview):
    status, headers, body = call(preview, "/sq/news/")
    assert status == "200 OK" and body.endswith(b"lajme</html>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", ["/../secret.txt", "/sq/../../secret.txt", "//etc/passwd", "/..%2fsecret.txt",
                                  "/sq/..\\..\\secret.txt", "/\x00"])
def test_never_serves_outside_the_output_folder(preview, path):
    status, _, body = call(preview, path)
    assert b"secret" not in body and "root:" not in body.decode()
    assert status == "404 Not Found"


def test_missing_page_gets_the_404_of_its_language(preview):
    assert call(preview, "/sq/nothing/")[2].endswith(b"sq 404</html>")
    assert call(preview, "/xx/nothing/")[2].endswith(b"root 404</html>")


def test_after_a_failed_build_pages_show_the_error_then_recover(preview):
    preview.failure = Report() + [error("content/news/a.sq.md", 3, 7, "bad date")]
    status, _, body = call(preview, "/sq/news/")
    assert status == "500 Build Error"
    assert b"content/news/a.sq.md:3:7: error: bad date" in body and b"</head>" in body
    preview.failure = None
    assert call(preview, "/sq/news/")[0] == "200 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def raw_get(port, path):
    """Send `path` exactly as written, with no normalisation by the client."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def wait_for(predicate, seconds=20.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_serve_rebuilds_on_change_shows_errors_and_recovers(site_factory):
    root = site_factory({"content/news/a.sq.md": article("Para")})
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/sq/news/a/"
    try:
        assert wait_for(lambda: "Para" in fetch(url)[1]), "server did not start"
        assert "livereload" in fetch(url)[1]
        (root.parent / "secret.txt").write_text("secret")
        for raw in ("/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2fsecret.txt", "//etc/passwd",
                    "/sq/../../secret.txt", "/%2Fetc%2Fpasswd", "/sq/%5c..%5c..%5csecret.txt"):
            status, body = raw_get(port, raw)
            assert status in (400, 404) and "secret" not in body and "root:" not in body, raw
        (root / "content/news/a.sq.md").write_text(article("Para", date="2021-02-30"), encoding="utf-8")
        assert wait_for(lambda: fetch(url)[0] == 500)
        assert "content/news/a.sq.md:3:7" in fetch(url)[1]
        (root / "content/news/a.sq.md").write_text(article("Pas"), encoding="utf-8")
        assert wait_for(lambda: "Pas" in fetch(url)[1])
        assert fetch(url)[0] == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "content/news/a.sq.md:3:7: error" in output and "Traceback" not in output


def test_serve_listens_on_loopback_only_by_default():
    args = __import__("dritare.cli", fromlist=["parser"]).parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000


def test_preview_rebuild_keeps_last_good_site(site_factory):
    root = site_factory({"content/news/a.sq.md": article()})
    options = pipeline.Options(site_root=root, out_dir=root / "public")
    preview = Preview(root / "public")
    preview.rebuild(options)
    assert preview.failure is None
    good = (root / "public/sq/news/a/index.html").read_bytes()
    (root / "content/news/a.sq.md").write_text("broken", encoding="utf-8")
    preview.rebuild(options)
    assert preview.failure is not None
    assert (root / "public/sq/news/a/index.html").read_bytes() == good


def test_serving_beyond_this_computer_is_said_in_one_line():
    from dritare.serve import exposure_warning
    assert exposure_warning("127.0.0.1") is None and exposure_warning("localhost") is None
    assert exposure_warning("::1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning.startswith("warning: serving on 0.0.0.0 lets every computer") and "\n" not in warning


def test_a_rebuild_that_crashes_shows_an_error_page_instead_of_the_stale_site(site_factory, monkeypatch):
    root = site_factory({"content/news/a.sq.md": article()})
    preview = Preview(root / "public")
    options = pipeline.Options(site_root=root, out_dir=root / "public")
    preview.rebuild(options)
    monkeypatch.setattr(pipeline, "build", lambda options, cache=None: 1 / 0)
    preview.rebuild(options)
    status, _, body = call(preview, "/sq/news/a/")
    assert status == "500 Build Error"
    assert b"internal error: ZeroDivisionError" in body


def upgrade(port, origin, host=None):
    """Open the reload websocket as a browser page at `origin` would; return the HTTP status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", "/livereload", skip_host=True)
    for name, value in (("Host", host or f"127.0.0.1:{port}"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
                        ("Origin", origin)):
        connection.putheader(name, value)
    connection.endheaders()
    return connection.getresponse().status


@pytest.fixture
def running_preview(site_factory):
    root = site_factory({"content/news/a.sq.md": article("Para")})
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "Para" in fetch(f"http://127.0.0.1:{port}/sq/news/a/")[1]), "server did not start"
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_reload_channel_accepts_only_the_previews_own_pages(running_preview):
    port = running_preview
    assert upgrade(port, f"http://127.0.0.1:{port}") == 101
    assert upgrade(port, "https://evil.example") == 403
    # A name of the attacker's that resolves to this computer (DNS rebinding) is refused as well.
    assert upgrade(port, f"http://evil.example:{port}", host=f"evil.example:{port}") == 403
    assert fetch(f"http://127.0.0.1:{port}/forcereload")[0] == 404


def test_a_second_preview_on_a_busy_port_says_so_in_one_line_with_a_free_port(running_preview, tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--site", str(REPO),
                             "--out", str(tmp_path / "second"), "--port", str(running_preview)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    # It stops before building: the one line is all it prints.
    [line] = result.stderr.splitlines()
    suggested = int(re.fullmatch(rf"error: port {running_preview} is in use \(another preview\?\): "
                                 r"try `python build\.py serve --port (\d+)`", line).group(1))
    assert suggested > running_preview
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # the port it suggests is free
    assert not (tmp_path / "second").exists()


def test_the_preview_rebuilds_an_edited_article_without_rendering_the_rest(site_factory, capsys):
    root = site_factory({f"content/news/n{i}.sq.md": article(f"Lajmi {i}", f"2021-02-{10 + i}") for i in range(6)})
    options = pipeline.Options(site_root=root, out_dir=root / "public", build_date=dt.date(2021, 6, 1))
    preview = Preview(root / "public")
    preview.rebuild(options)
    capsys.readouterr()
    (root / "content/news/n3.sq.md").write_text(article("Lajmi 3", "2021-02-13", body="Teksti i ri."), encoding="utf-8")
    preview.rebuild(options)
    said = capsys.readouterr().err
    rendered, total = map(int, re.search(r"rebuilt in [\d.]+ s: (\d+) of (\d+) pages", said).groups())
    # The article, and in each of the four languages (three written and the Serbian Cyrillic edition;
    # untranslated news are listed in all) the home page, the news list and the year's list: 13 of the site's
    # pages (with, in each language, the four status pages of the projects overview, the organisations' index and
    # the Open data page).
    assert (rendered, total) == (13, 60), said
    assert "Teksti i ri." in (root / "public/sq/news/n3/index.html").read_text(encoding="utf-8")
