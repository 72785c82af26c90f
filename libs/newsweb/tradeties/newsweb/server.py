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
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from aiohttp import web

from .documents import document, respond
from .lineup import outlets_for
from .outlet import Handler, Outlet
from .records import ArticleRecord


@dataclass(frozen=True)
class Access:
    outlet: str
    host: str
    path: str
    status: int
    conditional: bool
    user_agent: str
    at: float  # time.time() when the request arrived


class NewsWeb:
    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self.access_log: list[Access] = []
        self._runners: list[web.AppRunner] = []
        self._thread: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        records: list[ArticleRecord],
        *,
        faults: bool = False,
        syndicate: bool = True,
        broken_robots: bool = False,
        crawl_delay: float = 0.0,
        first_ip: int = 2,
    ) -> NewsWeb:
        """A news web of ``records``' outlets (``lineup.outlets_for`` says which and how)."""
        return cls(
            outlets_for(
                records,
                faults=faults,
                syndicate=syndicate,
                broken_robots=broken_robots,
                crawl_delay=crawl_delay,
                first_ip=first_ip,
            )
        )

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        for outlet in self.outlets:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handler(outlet))
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            site = web.TCPSite(runner, outlet.ip, outlet.port)
            await site.start()
            outlet.port = runner.addresses[0][1]
            self._runners.append(runner)

    async def stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()

    async def __aenter__(self) -> NewsWeb:
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

    def __enter__(self) -> NewsWeb:
        self.start_in_thread()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what a crawler should be told --------------------------------------------------------
    def sources(self) -> dict[str, Any]:
        """A sources file (as data) that reaches every outlet through its entry points."""
        return {"allow_private_networks": True, "sources": [o.source() for o in self.outlets]}

    def sources_yaml(self) -> str:
        return yaml.safe_dump(self.sources(), sort_keys=False, allow_unicode=True)

    def fetched(self, path_prefix: str = "", outlet: str | None = None) -> list[Access]:
        return [a for a in self.access_log if a.path.startswith(path_prefix) and (outlet is None or a.outlet == outlet)]

    # -- serving ------------------------------------------------------------------------------
    def _handler(self, outlet: Outlet) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            arrived = time.time()
            try:
                response = await respond(outlet, request)
            except web.HTTPException as exc:
                response = web.Response(status=exc.status, body=exc.body, headers=exc.headers)
            self.access_log.append(
                Access(
                    outlet.name,
                    outlet.ip,
                    request.path,
                    response.status,
                    "If-None-Match" in request.headers or "If-Modified-Since" in request.headers,
                    request.headers.get("User-Agent", ""),
                    arrived,
                )
            )
            return response

        return handle

    def document(self, o: Outlet, path: str) -> tuple[bytes, str] | None:
        """The body and content type ``o`` serves at ``path`` (None: not one of its documents)."""
        return document(o, path)


def serve_until_signalled(web_: NewsWeb, on_serving: Callable[[NewsWeb], object] | None = None) -> None:
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
