"""robots.txt per host: fetched once, cached, respected (RFC 9309 semantics).

- 2xx: parsed with protego (wildcards, Allow/Disallow precedence, fractional Crawl-delay).
- 4xx (incl. 404): no restrictions.
- 5xx, timeouts, connection errors, a body that is not text (NUL bytes, not decodable): the host
  is treated as fully disallowed for ``robots_error_ttl_s`` and then asked again — an erroring
  robots.txt never means "crawl everything" (counted, reason ``robots_unusable``).
- The body is decoded by its byte-order mark (UTF-8, UTF-16) or as UTF-8; a BOM is never part of
  the first rule. Only the first ``max_bytes`` are used (RFC 9309 §2.5 allows a limit of at least
  500 KiB), cut at the last line break (counted, reason ``over_cap``); parsing runs in a thread,
  off the event loop.
A parsed file is trusted for ``robots_ttl_s``. The Crawl-delay for our user agent (capped by
``max_crawl_delay_s``) raises that host's minimum gap between requests.
"""

from __future__ import annotations

import asyncio
import codecs
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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
    def __init__(
        self,
        fetch_robots: FetchText,
        agent: str,
        *,
        ttl_s: float,
        error_ttl_s: float,
        max_delay_s: float,
        max_bytes: int = 512_000,
        on_delay: Callable[[str, float], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch_robots
        self._agent = agent.split("/", 1)[0]  # the product token, e.g. "tradeties"
        self._ttl, self._error_ttl, self._max_delay = ttl_s, error_ttl_s, max_delay_s
        self._on_delay = on_delay
        self._on_problem = on_problem or (lambda reason: None)
        self._max_bytes = max_bytes
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
            self._on_problem(exc.reason)
            log.warning("robots.txt unusable; host disallowed", host=host, reason=exc.reason, error=str(exc))
            return _Entry(None, now + self._error_ttl)
        except TradetiesError as exc:
            self._on_problem(exc.reason)
            log.warning("robots.txt unreachable; host disallowed", host=host, reason=exc.reason, error=str(exc))
            return _Entry(None, now + self._error_ttl)
        try:
            rules = await asyncio.to_thread(self._parse, body, host)
        except Exception as exc:  # not text, or something protego still chokes on: the host is disallowed
            self._on_problem("robots_unusable")
            log.warning("robots.txt unusable; host disallowed", host=host, error=str(exc)[:300])
            return _Entry(None, now + self._error_ttl)
        delay = rules.crawl_delay(self._agent)
        if delay and self._on_delay:
            self._on_delay(host, min(float(delay), self._max_delay))
        return _Entry(rules, now + self._ttl)

    def _parse(self, body: bytes, host: str) -> Protego:
        text = robots_text(body)
        if len(text) > self._max_bytes:
            text = text[: self._max_bytes]
            text = text[: text.rfind("\n") + 1] or text
            self._on_problem("over_cap")
            log.warning("robots.txt over its cap; the rest ignored", host=host, max_bytes=self._max_bytes)
        return Protego.parse(text)


def robots_text(body: bytes) -> str:
    """The text of a robots.txt; ValueError when it is not text."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = body.decode("utf-16", errors="strict")
    else:
        text = body.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    if "\x00" in text:
        raise ValueError("robots.txt is not text (NUL characters)")
    if text and text.count("\ufffd") > len(text) // 10:
        raise ValueError("robots.txt is not text (mostly undecodable bytes)")
    return text
