"""robots.txt per host: fetched once, cached, respected (RFC 9309 semantics).

- 2xx: parsed with protego (wildcards, Allow/Disallow precedence, fractional Crawl-delay).
- 4xx (incl. 404): no restrictions.
- 5xx, timeouts, connection errors, a body that is not text: the host is treated as fully
  disallowed for ``robots_error_ttl_s`` and then asked again — an erroring robots.txt never
  means "crawl everything".
A parsed file is trusted for ``robots_ttl_s``. The Crawl-delay for our user agent (capped by
``max_crawl_delay_s``) raises that host's minimum gap between requests.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import structlog
from protego import Protego

from tradeties.common.errors import PermanentError, TradetiesError

from .identity import host_of

log = structlog.get_logger(__name__)

FetchText = Callable[[str], Awaitable[bytes]]


@dataclass
class _Entry:
    rules: Protego | None  # None: fully disallowed (robots.txt unreachable)
    expires: float


class RobotsCache:
    def __init__(self, fetch_robots: FetchText, agent: str, *, ttl_s: float, error_ttl_s: float,
                 max_delay_s: float, on_delay: Callable[[str, float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch_robots
        self._agent = agent.split("/", 1)[0]  # the product token, e.g. "tradeties"
        self._ttl, self._error_ttl, self._max_delay = ttl_s, error_ttl_s, max_delay_s
        self._on_delay = on_delay
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        entry = await self._entry(url)
        return entry.rules is not None and entry.rules.can_fetch(url, self._agent)

    async def _entry(self, url: str) -> _Entry:
        host = host_of(url)
        entry = self._entries.get(host)
        if entry and entry.expires > self._clock():
            return entry
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:  # one robots.txt fetch per host, however many URLs wait for it
            entry = self._entries.get(host)
            if entry and entry.expires > self._clock():
                return entry
            entry = await self._load(url, host)
            self._entries[host] = entry
            return entry

    async def _load(self, url: str, host: str) -> _Entry:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        now = self._clock()
        try:
            body = await self._fetch(robots_url)
        except PermanentError as exc:
            if exc.reason in ("http_404", "http_4xx"):
                return _Entry(Protego.parse(""), now + self._ttl)
            log.warning("robots.txt unusable; host disallowed", host=host, reason=exc.reason, error=str(exc))
            return _Entry(None, now + self._error_ttl)
        except TradetiesError as exc:
            log.warning("robots.txt unreachable; host disallowed", host=host, reason=exc.reason, error=str(exc))
            return _Entry(None, now + self._error_ttl)
        try:
            rules = Protego.parse(body.decode("utf-8", errors="replace"))
        except Exception as exc:  # protego is lenient; anything it still chokes on disallows the host
            log.warning("robots.txt unparsable; host disallowed", host=host, error=str(exc))
            return _Entry(None, now + self._error_ttl)
        delay = rules.crawl_delay(self._agent)
        if delay and self._on_delay:
            self._on_delay(host, min(float(delay), self._max_delay))
        return _Entry(rules, now + self._ttl)
