"""A loopback web server for the demo and the end-to-end tests: several sites on 127.0.0.x, canned
pages, hostile behaviours (trickle, storms, redirect loops) and an access log.

Sites are bound first (port 0 → a free port) so the content can be built with the real absolute
URLs, then pages are attached. Every request is logged, which is how the tests prove robots.txt
was respected (no request for a disallowed path) and count requests per site.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Page:
    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    #: Send the body this many bytes per second (a server that trickles).
    trickle_bps: float | None = None


@dataclass(frozen=True)
class Hit:
    site: str
    path: str
    status: int
    user_agent: str
    at: float


@dataclass
class Site:
    name: str
    host: str
    port: int = 0
    pages: dict[str, Page] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class LoopbackWeb:
    """Binds one HTTP server per site; ``hits`` is the shared access log."""

    def __init__(self) -> None:
        self.sites: dict[str, Site] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[_Server] = []

    def add_site(self, name: str, host: str, port: int = 0) -> Site:
        site = Site(name=name, host=host)
        server = _Server((host, port), self._handler(site))
        site.port = server.server_address[1]
        self.sites[name] = site
        self._servers.append(server)
        threading.Thread(target=server.serve_forever, name=f"web-{name}", daemon=True).start()
        return site

    def _handler(self, site: Site):
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # the access log is `web.hits`, not stderr
                pass

            def do_GET(self):  # noqa: N802 - stdlib name
                path = self.path.split("#")[0]
                page = site.pages.get(path) or site.pages.get(path.split("?")[0]) or Page(b"not found", 404)
                with web._lock:
                    web.hits.append(Hit(site.name, path, page.status, self.headers.get("User-Agent", ""), time.time()))
                try:
                    self.send_response(page.status)
                    for k, v in page.headers:
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(page.body)))
                    self.end_headers()
                    if page.trickle_bps:
                        for i in range(len(page.body)):
                            self.wfile.write(page.body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(1.0 / page.trickle_bps)
                    else:
                        self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a cut-off trickle, a size cap): expected

            do_HEAD = do_GET

        return Handler

    def hits_for(self, site: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if site is None or h.site == site]

    def close(self) -> None:
        for s in self._servers:
            s.shutdown()
            s.server_close()
        self._servers.clear()
