"""The fixture news web: several outlets, each an aiohttp site on its own loopback address.

Every outlet serves a homepage (linking its articles, a redirect, a 404 and a robots-disallowed
page, announcing its feed with <link rel="alternate">), RSS + Atom + JSON feeds, a sitemap index
with a plain and a Google News sitemap, robots.txt (``Disallow: /private/`` and a Crawl-delay)
and conditional responses (ETag / Last-Modified → 304). Options add a syndicated copy of another
outlet's article, an outlet whose robots.txt errors, and a hostile outlet with fault routes;
``extra_routes`` serve anything else (a ``Canned`` response or any aiohttp handler). Every request
is appended to ``access_log``. Serve it from a running event loop (``async with web``) or, for
synchronous callers, from a background thread (``with web``).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from typing import Awaitable, Callable

from aiohttp import web

from . import pages
from .records import ArticleRecord

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LAST_MODIFIED = format_datetime(datetime(2024, 1, 1, tzinfo=timezone.utc), usegmt=True)
#: Linked from every outlet's homepage and feed, disallowed by its robots.txt.
PRIVATE_PATH = "/private/internal-memo"
FEED_TYPES = {"rss": ("/feed.xml", "application/rss+xml"), "atom": ("/atom.xml", "application/atom+xml"),
              "json": ("/feed.json", "application/feed+json")}


@dataclass(frozen=True)
class Access:
    outlet: str
    host: str
    path: str
    status: int
    conditional: bool
    user_agent: str
    at: float  # time.time() when the request arrived


@dataclass(frozen=True)
class Canned:
    """A fixed response, usable as an ``extra_routes`` handler; ``trickle_bps`` sends the body that
    many bytes per second (a server that trickles)."""

    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    trickle_bps: float | None = None

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if not self.trickle_bps:
            return web.Response(status=self.status, body=self.body, headers=dict(self.headers))
        response = web.StreamResponse(status=self.status, headers=dict(self.headers))
        response.content_length = len(self.body)
        await response.prepare(request)
        try:
            for i in range(len(self.body)):
                await response.write(self.body[i:i + 1])
                await asyncio.sleep(1.0 / self.trickle_bps)
        except (ConnectionError, RuntimeError):
            pass  # the client gave up (a total timeout): expected
        return response


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@dataclass
class Outlet:
    name: str
    ip: str
    articles: list[ArticleRecord] = field(default_factory=list)
    feed_format: str = "rss"
    style: int = 0
    #: Article page style (``pages.PAGE_STYLES``): "plain", or "realistic" real-outlet chrome.
    page_style: str = "plain"
    declare_lang: bool = True
    validators: bool = True          # False: never answers 304 (tests the content-hash fallback)
    robots: str = "normal"           # "normal" | "error" (robots.txt answers 500)
    crawl_delay: float = 0.0
    raw_pages: dict[str, bytes] = field(default_factory=dict)   # path → HTML bytes served as-is
    port: int = 0
    extra_routes: dict[str, Handler] = field(default_factory=dict)
    homepage_extra: list[tuple[str, str]] = field(default_factory=list)
    syndicated: list[tuple[str, ArticleRecord, str, str]] = field(default_factory=list)  # path, rec, title, note
    #: What a crawler is told about this outlet: sources-file keys (feeds, sitemaps, homepages,
    #: urls) → paths. None: its feed, its sitemap index and its homepage.
    entry_points: dict[str, list[str]] | None = None
    interval: str = "15m"

    @property
    def base_url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def article_paths(self) -> list[str]:
        return [a.url_path for a in self.articles] + list(self.raw_pages) + [p for p, *_ in self.syndicated]

    def source(self) -> dict:
        """This outlet's entry in a crawler sources file (absolute URLs: call once it is serving)."""
        entry = self.entry_points
        if entry is None:
            entry = {"feeds": [FEED_TYPES[self.feed_format][0]], "sitemaps": ["/sitemap_index.xml"], "homepages": ["/"]}
        return {"name": self.name, **{k: [self.url(p) for p in paths] for k, paths in entry.items()},
                "interval": self.interval}


class NewsWeb:
    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self.access_log: list[Access] = []
        self._runners: list[web.AppRunner] = []
        self._thread: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def build(cls, records: list[ArticleRecord], *, faults: bool = False, syndicate: bool = True,
              broken_robots: bool = False, crawl_delay: float = 0.0, first_ip: int = 2) -> "NewsWeb":
        by_outlet: dict[str, list[ArticleRecord]] = {}
        for r in records:
            by_outlet.setdefault(r.outlet, []).append(r)
        outlets = []
        for i, (name, recs) in enumerate(by_outlet.items()):
            feed_format = ("rss", "atom", "json")[i % 3]
            # Each discovery path on its own (feed, sitemap) and combined (feed + sitemap, no homepage).
            entry = [{"feeds": [FEED_TYPES[feed_format][0]], "homepages": ["/"]},
                     {"sitemaps": ["/sitemap_index.xml"], "homepages": ["/"]},
                     {"feeds": [FEED_TYPES[feed_format][0]], "sitemaps": ["/sitemap_index.xml"]}][i % 3]
            outlets.append(Outlet(name=name, ip=f"127.0.0.{first_ip + i}", articles=recs, feed_format=feed_format,
                                  style=i % 2, declare_lang=i % 4 != 3, validators=i % 5 != 2,
                                  crawl_delay=crawl_delay, entry_points=entry))
        if syndicate and len(outlets) >= 2:
            src, dst = outlets[0], outlets[1]
            rec = src.articles[0]
            dst.syndicated.append((f"/syndicated/{slug(rec.title)}", rec, f"Reprint: {rec.title}",
                                   f"This article first appeared in {src.name}."))
        n = first_ip + len(outlets)
        if faults:
            from .faults import hostile_outlet

            outlets.append(hostile_outlet(f"127.0.0.{n}", crawl_delay=crawl_delay))
            n += 1
        if broken_robots:
            rec = records[0]
            outlets.append(Outlet(name="Broken Robots Gazette", ip=f"127.0.0.{n}", robots="error",
                                  articles=[ArticleRecord("Broken Robots Gazette", "/never-fetched", rec.published,
                                                          "Never fetched", "", rec.paragraphs)],
                                  entry_points={"homepages": ["/"], "urls": ["/never-fetched"]}))
        return cls(outlets)

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        for outlet in self.outlets:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handler(outlet))
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            site = web.TCPSite(runner, outlet.ip, outlet.port)
            await site.start()
            outlet.port = site._server.sockets[0].getsockname()[1]
            self._runners.append(runner)

    async def stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()

    async def __aenter__(self) -> "NewsWeb":
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self, timeout_s: float = 30.0) -> None:
        """Serve from a background thread's event loop, for synchronous callers (e2e tests, the
        benchmark); outlets are bound when this returns."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="newsweb", daemon=True)
        thread.start()
        self._thread = (loop, thread)
        try:
            asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout_s)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop serving from the background thread (no-op if it is not serving)."""
        if self._thread is None:
            return
        loop, thread = self._thread
        self._thread = None
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()

    def __enter__(self) -> "NewsWeb":
        self.start_in_thread()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what a crawler should be told --------------------------------------------------------
    def sources(self) -> dict:
        """A sources file (as data) that reaches every outlet through its entry points."""
        return {"allow_private_networks": True, "sources": [o.source() for o in self.outlets]}

    def sources_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.sources(), sort_keys=False, allow_unicode=True)

    def fetched(self, path_prefix: str = "", outlet: str | None = None) -> list[Access]:
        return [a for a in self.access_log if a.path.startswith(path_prefix) and (outlet is None or a.outlet == outlet)]

    # -- serving ------------------------------------------------------------------------------
    def _handler(self, outlet: Outlet) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            arrived = time.time()
            try:
                response = await self._route(outlet, request)
            except web.HTTPException as exc:
                response = web.Response(status=exc.status, body=exc.body, headers=exc.headers)
            self.access_log.append(Access(outlet.name, outlet.ip, request.path, response.status,
                                          "If-None-Match" in request.headers or "If-Modified-Since" in request.headers,
                                          request.headers.get("User-Agent", ""), arrived))
            return response
        return handle

    async def _route(self, o: Outlet, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path in o.extra_routes:
            return await o.extra_routes[path](request)
        if path == "/robots.txt":
            if o.robots == "error":
                return web.Response(status=500, text="robots backend down")
            delay = f"Crawl-delay: {o.crawl_delay:g}\n" if o.crawl_delay else ""
            return web.Response(text=f"User-agent: *\nDisallow: /private/\n{delay}\nSitemap: {o.url('/sitemap_index.xml')}\n")
        doc = self.document(o, path)
        if doc is None:
            if path.startswith("/old/"):
                raise web.HTTPMovedPermanently(location=path[len("/old"):])
            raise web.HTTPNotFound(text="no such story")
        body, ctype = doc
        return self._conditional(o, request, body, ctype)

    def _conditional(self, o: Outlet, request: web.Request, body: bytes, ctype: str) -> web.Response:
        if not o.validators:
            return web.Response(body=body, headers={"Content-Type": ctype})
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": ctype}
        if request.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in request.headers and request.headers.get("If-Modified-Since") == LAST_MODIFIED):
            return web.Response(status=304, headers={"ETag": etag, "Last-Modified": LAST_MODIFIED})
        return web.Response(body=body, headers=headers)

    def _items(self, o: Outlet) -> list[tuple[str, str, str]]:
        items = [(o.url(a.url_path), a.title, a.published) for a in o.articles]
        items += [(o.url(p), t, r.published) for p, r, t, _ in o.syndicated]
        items += [(o.url(p), p.strip("/"), "2024-01-01") for p in o.raw_pages]
        return items

    def document(self, o: Outlet, path: str) -> tuple[bytes, str] | None:
        """The body and content type ``o`` serves at ``path`` (None: not one of its documents)."""
        html = "text/html; charset=utf-8"
        if path in o.raw_pages:
            return o.raw_pages[path], html
        for a in o.articles:
            if a.url_path == path:
                related = [(b.url_path, b.title) for b in o.articles if b is not a][:3]
                return pages.article_html(a, outlet=o.name, base=o.base_url, path=path, style=o.style,
                                          declare_lang=o.declare_lang, related=related,
                                          page_style=o.page_style).encode(), html
        for p, rec, title, note in o.syndicated:
            if p == path:
                return pages.article_html(rec, outlet=o.name, base=o.base_url, path=p, style=o.style + 1,
                                          title=title, extra_paragraph=note, page_style=o.page_style).encode(), html
        items = self._items(o)
        if path == "/":
            links = [(u, t) for u, t, _ in items]
            if o.articles:
                links += [("/missing-story", "A story that is gone"), (PRIVATE_PATH, "Internal memo"),
                          ("/old" + o.articles[0].url_path, "Old link")]
            links += o.homepage_extra
            feed_path, feed_type = FEED_TYPES[o.feed_format]
            return pages.homepage_html(o.name, links, [(feed_path, feed_type)]).encode(), html
        if path == "/feed.xml":
            extra = [(o.url(PRIVATE_PATH), "Internal memo", "2024-01-01")] if o.articles else []
            return pages.rss(o.name, o.base_url, items + extra).encode(), "application/rss+xml"
        if path == "/atom.xml":
            return pages.atom(o.name, o.base_url, items).encode(), "application/atom+xml"
        if path == "/feed.json":
            return pages.json_feed(o.name, o.base_url, items).encode(), "application/feed+json"
        if path == "/sitemap_index.xml":
            return pages.sitemap_index([o.url("/sitemap-articles.xml"), o.url("/news-sitemap.xml")]).encode(), "application/xml"
        if path == "/sitemap-articles.xml":
            return pages.sitemap([(u, d) for u, _, d in items]).encode(), "application/xml"
        if path == "/news-sitemap.xml":
            return pages.news_sitemap(o.name, items).encode(), "application/xml"
        if path.startswith("/private/"):
            return b"<html><body><p>Internal memo: not for crawlers.</p></body></html>", html
        return None


def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    return gzip.compress(b" " * size, 9)


async def trickle(request: web.Request, *, seconds: float = 120.0, gap: float = 0.25) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    try:
        await response.write(b"<html><body><p>")
        while loop.time() < end:
            await asyncio.sleep(gap)
            await response.write(b"a")
    except (ConnectionError, RuntimeError):
        pass
    return response


def serve_until_signalled(web_: NewsWeb, on_serving=None) -> None:
    """Foreground: serve ``web_`` until SIGINT/SIGTERM; ``on_serving(web_)`` runs once it is bound."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with web_:
            if on_serving is not None:
                on_serving(web_)
            await stop.wait()

    asyncio.run(main())
