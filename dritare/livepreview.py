"""livereload's server for the preview, with its reload channel open only to the preview's own pages."""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import escape, web

# The snippet livereload puts into every page: it loads livereload.js from the server the page came from.
SCRIPT = ('<script>(function(){var s=document.createElement("script");'
          'var port=(window.location.port||(window.location.protocol=="https:"?443:80));'
          's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
          'document.head.appendChild(s);})();</script>')
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}


class OwnOriginReload(LiveReloadHandler):
    """The reload websocket, refusing pages of other sites (and other host names that resolve here)."""

    def initialize(self, host: str) -> None:
        self.allowed = LOOPBACK_NAMES | {host.lower()}

    def prepare(self) -> None:
        """Refuse a request made under a host name that is not the preview's (DNS rebinding)."""
        if (urlsplit("//" + self.request.host).hostname or "").lower() not in self.allowed:
            raise web.HTTPError(403)

    def check_origin(self, origin: str) -> bool:
        """Return True only for a page of this preview."""
        return urlsplit(origin).netloc.lower() == self.request.host.lower()


class PreviewServer(Server):
    """livereload's Server without /forcereload (any web page could call it) and with OwnOriginReload."""

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        # livereload keeps its watcher on the handler class: that is how its websocket finds it.
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = escape.utf8(SCRIPT)

        class Inject(LiveScriptInjector):
            pass

        Inject.script = script
        handlers = [(r"/livereload", OwnOriginReload, {"host": host}), (r"/livereload.js", LiveReloadJSHandler)]
        app = web.Application(handlers=handlers + self.get_web_handlers(script), transforms=[Inject])
        app.listen(port, address=host)
        print(f"serving http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)


def run(app, watched: list[Path], rebuild: Callable[[], None], host: str, port: int) -> int:
    """Serve `app` on host:port, calling `rebuild` when a watched path changes; return the exit code."""
    server = PreviewServer(app=app)
    for path in watched:
        server.watch(str(path), rebuild, delay=0.2)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    except OSError as exc:
        print(listen_error(host, port, exc), file=sys.stderr)
        return 2
    return 0


def listen_error(host: str, port: int, exc: OSError) -> str:
    """Return the one line that says why the preview cannot listen on host:port, and what to run instead."""
    if exc.errno == errno.EADDRINUSE:
        return f"error: port {port} is in use (another preview?): try `python build.py serve --port {free_port(host, port)}`"
    return f"error: cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --host or --port"


def cannot_listen(host: str, port: int) -> str | None:
    """Return the error line if nothing could listen on host:port now (checked before the first build, so that a
    second preview stops at once), or None."""
    try:
        with _socket(host) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no obstacle
            probe.bind((host.strip("[]"), port))
    except OSError as exc:
        return listen_error(host, port, exc)
    return None


def _socket(host: str) -> socket.socket:
    return socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)


def free_port(host: str, busy: int) -> int:
    """Return the first port after `busy` that nothing listens on at `host` (or the next one, if none is)."""
    for port in range(busy + 1, min(busy + 100, 65536)):
        with _socket(host) as probe:
            try:
                probe.bind((host.strip("[]"), port))
            except OSError:
                continue
            return port
    return busy + 1
