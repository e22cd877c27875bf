"""Serve a built site from 127.0.0.1 under a sub-path (as a commune portal would), for the tests
and the page-weight benchmark. Only files under the sub-path exist; anything else is a 404, answered
with the site's ``404.html`` as a portal's web server does (Apache ``ErrorDocument``, nginx
``error_page``), at the address that was asked for."""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PREFIX = "/cong-khai/ke-hoach/"


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".ics": "text/calendar",
                      ".atom": "application/atom+xml", ".js": "text/javascript", ".json": "application/json",
                      ".svg": "image/svg+xml", ".csv": "text/csv"}

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet
        pass


@contextmanager
def serve(site: Path):
    """Yield the base URL (``http://127.0.0.1:PORT/cong-khai/ke-hoach/``) of ``site``."""
    handler = functools.partial(_Handler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
