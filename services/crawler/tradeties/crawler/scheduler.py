"""What is crawled next, and when: a pass's jobs in per-host queues, and each source's next pass.

- ``CrawlPass``: the jobs of one pass. Each URL is queued at most once per pass, whichever entry
  point or link led to it; an article link is written to the persistent frontier before it is
  queued, so a link listed once is crawled even if the process dies before it is fetched.
- ``SourceSchedule``: every source runs as a pass of its own whenever it is due (its ``interval``),
  so a slow host's pass never delays another source's next pass.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import structlog

from .discovery import Link
from .identity import host_of, normalise
from .queues import HostQueues
from .sources import Source
from .store import StateStore
from .worklist import FrontierItem

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Job:
    url: str
    source: str
    kind: str  # feed | sitemap | homepage | article
    via: str = "url"
    title: str | None = None
    published: datetime | None = None
    depth: int = 0  # sitemap index nesting


class CrawlPass:
    """One pass over some sources: its host queues, the URLs it has seen, and the fetched pages
    still being extracted or published (``processing``)."""

    def __init__(
        self,
        run: Callable[[CrawlPass, Job], Awaitable[None]],
        store: StateStore,
        *,
        workers_per_host: int,
        recheck_rejected_after_s: float,
    ) -> None:
        self.queues: HostQueues[Job] = HostQueues(lambda job: run(self, job), workers_per_host=workers_per_host)
        self.visited: set[str] = set()
        self.processing: set[asyncio.Task[None]] = set()
        self._store = store
        self._recheck_s = recheck_rejected_after_s

    def seed(self, sources: Iterable[Source]) -> None:
        """Queue what an interrupted run left in the frontier, then every entry point of ``sources``."""
        sources = list(sources)
        for item in self._store.worklist.frontier({s.name for s in sources}):
            self.queue(Job(item.url, item.source, "article", item.via, item.title, item.published))
        for s in sources:
            for kind, urls in (("feed", s.feeds), ("sitemap", s.sitemaps), ("homepage", s.homepages)):
                for url in urls:
                    self.queue(Job(url, s.name, kind, kind))
            self.persist_and_queue(s.name, [Link(normalise(u), "url") for u in s.urls])

    def queue(self, job: Job) -> None:
        if job.url in self.visited:
            return
        self.visited.add(job.url)
        self.queues.submit(host_of(job.url), job)

    def persist_and_queue(self, source: str, links: Iterable[Link]) -> None:
        """Article links not yet done: into the frontier first, then into the queues."""
        fresh = []
        for link in links:
            url = normalise(link.url)
            if url in self.visited or self._store.is_done(url, recheck_rejected_after_s=self._recheck_s):
                continue
            fresh.append(FrontierItem(url, source, link.via, link.title, link.published))
        self._store.worklist.add_frontier(fresh)
        for item in fresh:
            self.queue(Job(item.url, source, "article", item.via, item.title, item.published))

    async def finish(self, stop: asyncio.Event | None, grace_s: float) -> None:
        """Return when every job is done, or — once ``stop`` is set — when the requests in flight
        are (within ``grace_s``). Pages already fetched are finished either way: their extraction
        is quick and their publish is awaited, so nothing acknowledged goes unrecorded."""
        waiter = asyncio.create_task(self.queues.join())
        stopper = asyncio.create_task(stop.wait()) if stop else None
        try:
            await asyncio.wait([t for t in (waiter, stopper) if t], return_when=asyncio.FIRST_COMPLETED)
            if stop and stop.is_set():
                log.info("stopping: finishing requests in flight")
                await self.queues.stop(grace_s)
            while self.processing:
                await asyncio.gather(*list(self.processing), return_exceptions=True)
        finally:
            for t in (waiter, stopper):
                if t:
                    t.cancel()


class SourceSchedule:
    """Runs each source's pass whenever it is due, one task per source; per-host politeness is
    still shared by all passes (the crawler's gate)."""

    def __init__(
        self,
        sources: list[Source],
        store: StateStore,
        default_interval_s: float,
        run_pass: Callable[[Source, asyncio.Event], Awaitable[None]],
    ) -> None:
        self._sources = sources
        self._store = store
        self._default_interval_s = default_interval_s
        self._run_pass = run_pass

    async def run(self, stop: asyncio.Event, on_all_crawled: Callable[[int], None]) -> None:
        """Until ``stop`` is set; ``on_all_crawled(n)`` once every source has had a pass."""
        running: dict[str, asyncio.Task[None]] = {}
        crawled: set[str] = set()
        stopper = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                now = time.time()
                for s in self._sources:
                    if s.name not in running and self._store.worklist.next_due(s.name) <= now:
                        task = asyncio.create_task(self._source_pass(s, stop), name=f"source:{s.name}")
                        running[s.name] = task
                        task.add_done_callback(lambda _t: running.pop(_t.get_name().removeprefix("source:"), None))
                if len(crawled) < len(self._sources):
                    crawled |= {s.name for s in self._sources if self._store.worklist.next_due(s.name) > now}
                    if len(crawled) == len(self._sources):
                        on_all_crawled(len(crawled))
                idle = [self._store.worklist.next_due(s.name) for s in self._sources if s.name not in running]
                timeout = max(0.05, min(idle) - now) if idle else None
                await asyncio.wait([stopper, *running.values()], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.gather(*running.values(), return_exceptions=True)
        finally:
            stopper.cancel()

    async def _source_pass(self, source: Source, stop: asyncio.Event) -> None:
        started = time.time()
        await self._run_pass(source, stop)
        if not stop.is_set():
            self._store.worklist.set_next_due(source.name, started + (source.interval_s or self._default_interval_s))
