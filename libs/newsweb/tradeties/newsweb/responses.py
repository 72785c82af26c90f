"""Building blocks of hostile and canned responses: a fixed response (optionally trickled), a gzip
bomb, a body that never ends."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

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
                await response.write(self.body[i:i + 1])
                await asyncio.sleep(1.0 / self.trickle_bps)
        except (ConnectionError, RuntimeError):
            pass  # the client gave up (a total timeout): expected
        return response


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
