"""Politeness gate, held around every single HTTP request.

Per host: at most ``per_host_concurrency`` requests at once and at least ``delay`` seconds
between the end of one request and the start of the next (the larger of ``per_host_delay_s``
and the host's robots.txt Crawl-delay). Across hosts: at most ``concurrency`` requests in
flight. The global slot is taken only after the host's own wait is over, so a slow or
rate-limited host never holds a slot another host could use; asyncio semaphores wake waiters in
FIFO order, so hosts take turns and none starves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class _Host:
    __slots__ = ("sem", "delay", "next_at")

    def __init__(self, concurrency: int, delay: float) -> None:
        self.sem = asyncio.Semaphore(concurrency)
        self.delay = delay
        self.next_at = 0.0


class PolitenessGate:
    def __init__(
        self, concurrency: int, per_host_concurrency: int, per_host_delay_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host_concurrency
        self._default_delay = per_host_delay_s
        self._hosts: dict[str, _Host] = {}
        self._clock = clock

    def _host(self, host: str) -> _Host:
        h = self._hosts.get(host)
        if h is None:
            h = self._hosts[host] = _Host(self._per_host, self._default_delay)
        return h

    def set_crawl_delay(self, host: str, delay_s: float) -> None:
        h = self._host(host)
        h.delay = max(self._default_delay, delay_s)

    def delay_of(self, host: str) -> float:
        return self._host(host).delay

    @asynccontextmanager
    async def __call__(self, host: str) -> AsyncIterator[None]:
        h = self._host(host)
        async with h.sem:
            wait = h.next_at - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._global:
                try:
                    yield
                finally:
                    h.next_at = self._clock() + h.delay
