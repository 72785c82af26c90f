"""The crawl engine: sources → discovery → article fetch → processing (extraction, de-duplication,
``build_article``, publish). What runs when is the scheduler's (``scheduler``); a feed, sitemap or
homepage becomes queued work in ``listings``, a fetched article reaches its outcome in
``processing``; this module wires them to the HTTP client.

Invariants:
- An article URL is recorded as done only after its outcome is durable: published (broker
  acked), alias of an already published article, or rejected (no article). Anything else —
  a transient fetch error, a broker outage, a shutdown — leaves it in the persistent frontier.
- A feed's or sitemap's validators are saved only after the links it listed are in the
  frontier, so a 304 next time never hides unprocessed links.
- De-duplication runs under one lock together with the in-flight set (``dedup``), so two copies
  of an article fetched at the same moment are still published once.
- Every failure ends in ``Stats.error`` (``tradeties_crawler_errors_total{kind,reason}``), including
  a bug on hostile input (reason ``internal``); a capped list counts what it left out (``over_cap``).
- Sources are scheduled one by one (``run_forever``): a slow host's pass never delays another
  source's next pass.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import structlog

from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.settings import CrawlerSettings, RetrySettings

from .client import crawl_client
from .fetcher import Fetcher
from .listings import Listings
from .metrics import Stats
from .politeness import PolitenessGate
from .pool import ExtractionPool
from .processing import ArticleProcessor
from .publisher import Publisher
from .robots import RobotsCache
from .safety import AddressPolicy, Resolver, pinned_transport, system_resolver
from .scheduler import CrawlPass, Job, SourceSchedule
from .sources import Source, SourcesFile
from .store import StateStore

log = structlog.get_logger(__name__)


class Crawler:
    def __init__(
        self,
        *,
        sources: SourcesFile,
        crawler: CrawlerSettings,
        retry: RetrySettings,
        store: StateStore,
        publisher: Publisher,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver = system_resolver,
        extraction: ExtractionPool | None = None,
    ) -> None:
        self.sources = sources
        self.settings = crawler
        self.store = store
        self.publisher = publisher
        self.stats = Stats()
        self._own_extraction = extraction is None
        self._extraction = extraction or ExtractionPool(crawler.extract_workers, timeout_s=crawler.extract_timeout_s)
        self.policy = AddressPolicy(sources.allow_private_networks, resolver)
        self._client = crawl_client(transport or pinned_transport(self.policy, crawler), crawler)
        self.gate = PolitenessGate(crawler.concurrency, crawler.per_host_concurrency, crawler.per_host_delay_s)
        self.robots = RobotsCache(
            self._fetch_robots,
            crawler.user_agent,
            ttl_s=crawler.robots_ttl_s,
            error_ttl_s=crawler.robots_error_ttl_s,
            max_delay_s=crawler.max_crawl_delay_s,
            max_bytes=crawler.max_robots_bytes,
            on_delay=self.gate.set_crawl_delay,
            on_problem=lambda reason: self.stats.error("robots", reason),
        )
        self.fetcher = Fetcher(self._client, crawler, retry, self.policy, self.gate, robots=self.robots.allowed)
        self._listings = Listings(self.fetcher, store, self.stats, crawler)
        self._passes: set[CrawlPass] = set()
        self._processor = ArticleProcessor(
            crawler, store, publisher, self.stats, self._extraction, fetching=lambda: any(p.queues.busy for p in self._passes)
        )

    async def aclose(self) -> None:
        self.store.writes.flush()  # outcomes still queued for a group commit (acked articles among them)
        await self._client.aclose()
        if self._own_extraction:
            self._extraction.close()

    async def __aenter__(self) -> Crawler:
        await self._extraction.warm()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- passes ------------------------------------------------------------------------------
    async def run_pass(
        self, sources: list[Source] | None = None, *, stop: asyncio.Event | None = None, progress_log: bool = True
    ) -> Stats:
        """Crawl every entry point of ``sources`` (default: all) once; return when all work is done."""
        sources = list(self.sources.sources) if sources is None else sources
        p = CrawlPass(
            self._run_job,
            self.store,
            workers_per_host=self.settings.per_host_concurrency,
            recheck_rejected_after_s=self.settings.recheck_rejected_after_s,
        )
        self._passes.add(p)
        started = time.monotonic()
        p.seed(sources)
        progress = asyncio.create_task(self._progress(started)) if progress_log else None
        try:
            await p.finish(stop, self.settings.total_timeout_s)
        finally:
            if progress:
                progress.cancel()
            self._passes.discard(p)
        log.info(
            "pass done",
            sources=len(sources),
            source=sources[0].name if len(sources) == 1 else None,
            seconds=round(time.monotonic() - started, 1),
            **self.stats.line(),
        )
        return self.stats

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Run each source whenever it is due (its ``interval``) until ``stop`` is set (``SourceSchedule``)."""
        schedule = SourceSchedule(list(self.sources.sources), self.store, self.settings.default_interval_s, self._source_pass)
        progress = asyncio.create_task(self._progress(time.monotonic()))  # one line for all passes
        try:
            await schedule.run(stop, lambda n: log.info("every source crawled", sources=n, **self.stats.line()))
        finally:
            progress.cancel()

    async def _source_pass(self, source: Source, stop: asyncio.Event) -> None:
        try:
            await self.run_pass([source], stop=stop, progress_log=False)
        except Exception:  # one source's bug must not end the others' schedule; retried at its interval
            self.stats.error("source", "internal")
            log.exception("source pass failed", source=source.name)

    async def _progress(self, started: float) -> None:
        while True:
            await asyncio.sleep(self.settings.progress_interval_s)
            queued = sum(sum(p.queues.depth().values()) for p in self._passes)
            log.info("progress", seconds=round(time.monotonic() - started), queued=queued, **self.stats.line())

    # -- jobs --------------------------------------------------------------------------------
    async def _run_job(self, p: CrawlPass, job: Job) -> None:
        try:
            if job.kind == "article":
                await self._article(p, job)
            else:
                await self._listings.discover(p, job)
        except Exception as exc:  # a bug on hostile input: counted, never an uncounted "job failed"
            self.stats.error(job.kind, "internal")
            log.exception("job failed unexpectedly", url=job.url, kind=job.kind, error=str(exc)[:300])

    async def _fetch_robots(self, url: str) -> bytes:
        fetched = await self.fetcher.fetch(url, check_robots=False)
        self.stats.fetch("robots")
        return fetched.body

    async def _article(self, p: CrawlPass, job: Job) -> None:
        """Fetch on the host's worker; the processor extracts and publishes the page meanwhile."""
        if self.store.is_done(job.url, recheck_rejected_after_s=self.settings.recheck_rejected_after_s):
            return
        try:
            fetched = await self.fetcher.fetch(job.url, html_only=True)
            self.stats.fetch("article")
        except (PermanentError, RetryableError) as exc:
            return await self._processor.give_ups.article_failed(job, exc)
        await self._processor.start(job, fetched, p.processing)
