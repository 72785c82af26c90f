"""Building blocks of hostile and canned responses: a fixed response (optionally trickled), one that
is unavailable (503) a few times first, a gzip bomb, a body that never ends."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web


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
                await response.write(self.body[i : i + 1])
                await asyncio.sleep(1.0 / self.trickle_bps)
        except (ConnectionError, RuntimeError):
            pass  # the client gave up (a total timeout): expected
        return response


@dataclass
class Recovering:
    """503 the first ``failures`` times (with a ``Retry-After`` of ``retry_after()`` when given), then
    whatever ``then`` answers: a server busy for a while."""

    then: Callable[[web.Request], Awaitable[web.StreamResponse]]
    failures: int = 1
    retry_after: Callable[[], str] | None = None
    hits: int = field(default=0, init=False)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        if self.hits <= self.failures:
            headers = {"Retry-After": self.retry_after()} if self.retry_after else None
            return web.Response(status=503, text="try again", headers=headers)
        return await self.then(request)


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
