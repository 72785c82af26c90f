"""Listings — feeds, sitemaps, homepages — fetched and turned into queued work: a conditional fetch
with the stored validators (a full one every ``revalidate_after_s``), an unchanged body skipped by
its hash, large ones parsed in a thread, caps and too-deep sitemap indexes counted; the validators
are saved only after the links are in the frontier, so a 304 next time never hides unprocessed links."""

from __future__ import annotations

import asyncio
import hashlib
import time

import structlog

from tradeties.common.errors import PermanentError, TradetiesError
from tradeties.common.settings import CrawlerSettings

from .discovery import parse_listing
from .fetcher import Fetcher
from .metrics import Stats
from .outcomes import url_failed
from .scheduler import CrawlPass, Job
from .store import StateStore

log = structlog.get_logger(__name__)

#: Feeds, sitemaps and homepages larger than this are parsed in a thread, off the event loop.
_PARSE_INLINE_BYTES = 256 * 1024


class Listings:
    def __init__(self, fetcher: Fetcher, store: StateStore, stats: Stats, settings: CrawlerSettings) -> None:
        self._fetcher, self._store, self._stats, self._settings = fetcher, store, stats, settings

    async def discover(self, p: CrawlPass, job: Job) -> None:
        """Fetch ``job``'s listing (conditionally, unless due a full fetch) and queue what it links."""
        stored = self._store.validators(job.url)
        fresh = stored and time.time() - stored.full_at < self._settings.revalidate_after_s
        try:
            fetched = await self._fetcher.fetch(job.url, validators=stored.validators if stored and fresh else None)
        except TradetiesError as exc:
            return url_failed(self._stats, job, exc)
        if fetched.not_modified:
            return self._stats.unchanged(job.kind)
        body_hash = hashlib.sha256(fetched.body).hexdigest()
        if stored and stored.body_hash == body_hash:
            self._stats.unchanged(job.kind)  # new or missing validators, same bytes
            return self._store.save_validators(job.url, fetched.validators, body_hash)
        self._stats.fetch(job.kind)
        args = (job.kind, fetched.body, fetched.url, fetched.content_type, self._settings)
        try:
            inline = len(fetched.body) <= _PARSE_INLINE_BYTES
            found = parse_listing(*args) if inline else await asyncio.to_thread(parse_listing, *args)
        except PermanentError as exc:
            return url_failed(self._stats, job, exc)
        if found.dropped:
            self._stats.error(job.kind, "over_cap")
            log.warning("list over its cap; the newest kept", url=job.url, kind=job.kind, dropped=found.dropped)
        if found.sitemaps and job.depth >= self._settings.max_sitemap_depth:
            self._stats.error(job.kind, "sitemap_depth")
            log.warning(
                "sitemap index too deep; children not followed", url=job.url, depth=job.depth, children=len(found.sitemaps)
            )
        else:
            for url in found.sitemaps:
                p.queue(Job(url, job.source, "sitemap", "sitemap", depth=job.depth + 1))
        for url in found.feeds:
            p.queue(Job(url, job.source, "feed", "feed"))
        p.persist_and_queue(job.source, found.articles)
        self._store.save_validators(job.url, fetched.validators, body_hash)
        log.debug(
            "discovered",
            url=job.url,
            kind=job.kind,
            articles=len(found.articles),
            sitemaps=len(found.sitemaps),
            feeds=len(found.feeds),
        )
