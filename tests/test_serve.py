"""The preview server: serves only the output folder, shows build errors, recovers once fixed."""

from __future__ import annotations

import http.client
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
