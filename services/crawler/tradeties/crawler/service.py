"""The crawl loop: sources → discovery → article fetch → extraction → de-duplication → publish.

Invariants:
- An article URL is recorded as done only after its outcome is durable: published (broker
  acked), alias of an already published article, or rejected (no article). Anything else —
  a transient fetch error, a broker outage, a shutdown — leaves it in the persistent frontier.
- A feed's or sitemap's validators are saved only after the links it listed are in the
  frontier, so a 304 next time never hides unprocessed links.
- De-duplication runs under one lock together with the in-flight set, so two copies of an
  article fetched at the same moment are still published once.
- Every failure ends in ``Stats.error`` (``tradeties_crawler_errors_total{kind,reason}``), including
  a bug on hostile input (reason ``internal``); a capped list counts what it left out (``over_cap``).
- Sources are scheduled one by one (``run_forever``): a slow host's pass never delays another
  source's next pass.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import structlog

from tradeties.common.errors import PermanentError, RetryableError, TradetiesError
from tradeties.common.events import Extraction, RawArticle, utcnow
from tradeties.common.settings import CrawlerSettings, RetrySettings

from . import discovery
from .discovery import Link, MalformedInput
from .dedup import Deduplicator
from .extraction import EXTRACTOR
from .fetcher import Fetched, Fetcher, reason_of
from .identity import article_id, canonical_url, host_of, normalise
from .metrics import Stats
from .politeness import PolitenessGate
from .pool import ExtractionPool, Page
from .publisher import Publisher
from .queues import HostQueues
from .robots import RobotsCache
from .safety import AddressPolicy, Resolver, pinned_transport, system_resolver
from .sources import Source, SourcesFile
from .store import FrontierItem, StateStore

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


#: Feeds, sitemaps and homepages larger than this are parsed in a thread, off the event loop.
_PARSE_INLINE_BYTES = 256 * 1024


@dataclass(eq=False)
class _Pass:
    queues: HostQueues[Job] = field(init=False)
    visited: set[str] = field(default_factory=set)
    #: Fetched pages of this pass being extracted or published.
    processing: set[asyncio.Task] = field(default_factory=set)


class Crawler:
    def __init__(self, *, sources: SourcesFile, crawler: CrawlerSettings, retry: RetrySettings, store: StateStore,
                 publisher: Publisher, transport: httpx.AsyncBaseTransport | None = None,
                 resolver: Resolver = system_resolver, extraction: ExtractionPool | None = None) -> None:
        self.sources = sources
        self.settings = crawler
        self.store = store
        self.publisher = publisher
        self.stats = Stats()
        self._own_extraction = extraction is None
        self._extraction = extraction or ExtractionPool(crawler.extract_workers, timeout_s=crawler.extract_timeout_s)
        self.policy = AddressPolicy(sources.allow_private_networks, resolver)
        self._client = httpx.AsyncClient(
            transport=transport or pinned_transport(self.policy, crawler), follow_redirects=False,
            headers={"User-Agent": crawler.user_agent},
            timeout=httpx.Timeout(crawler.read_timeout_s, connect=crawler.connect_timeout_s),
        )
        self.gate = PolitenessGate(crawler.concurrency, crawler.per_host_concurrency, crawler.per_host_delay_s)
        self.fetcher = Fetcher(self._client, crawler, retry, self.policy, self.gate, robots=lambda url: self.robots.allowed(url))
        self.robots = RobotsCache(self._fetch_robots, crawler.user_agent, ttl_s=crawler.robots_ttl_s,
                                  error_ttl_s=crawler.robots_error_ttl_s, max_delay_s=crawler.max_crawl_delay_s,
                                  max_bytes=crawler.max_robots_bytes, on_delay=self.gate.set_crawl_delay,
                                  on_problem=lambda reason: self.stats.error("robots", reason))
        self._dedup = Deduplicator(store)
        # Fetched pages in hand: a page holds an extraction slot (enough to keep every worker busy
        # while the hosts' next requests go out) until extracted, then a publish slot until the
        # broker acked it. Acks are awaited side by side, not in the extraction slots: the producer
        # batches them, and a slow ack never idles the extraction workers.
        self._extract_slots = asyncio.Semaphore(max(2, 2 * crawler.extract_workers))
        self._publish_slots = asyncio.Semaphore(crawler.publish_window)
        self._passes: set[_Pass] = set()

    async def aclose(self) -> None:
        await self._client.aclose()
        if self._own_extraction:
            self._extraction.close()

    async def __aenter__(self) -> "Crawler":
        await self._extraction.warm()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- passes ------------------------------------------------------------------------------
    async def run_pass(self, sources: list[Source] | None = None, *, stop: asyncio.Event | None = None,
                       progress_log: bool = True) -> Stats:
        """Crawl every entry point of ``sources`` (default: all) once; return when all work is done."""
        sources = list(self.sources.sources) if sources is None else sources
        names = {s.name for s in sources}
        p = _Pass()
        p.queues = HostQueues(lambda job: self._run_job(p, job), workers_per_host=self.settings.per_host_concurrency)
        self._passes.add(p)
        started = time.monotonic()
        for item in self.store.frontier(names):  # left over from an interrupted run
            self._queue(p, Job(item.url, item.source, "article", item.via, item.title, item.published))
        for s in sources:
            for kind, urls in (("feed", s.feeds), ("sitemap", s.sitemaps), ("homepage", s.homepages)):
                for url in urls:
                    self._queue(p, Job(url, s.name, kind, kind))
            direct = [Link(normalise(u), "url") for u in s.urls]
            self._persist_and_queue(p, s.name, direct)
        progress = asyncio.create_task(self._progress(started)) if progress_log else None
        waiter = asyncio.create_task(p.queues.join())
        stopper = asyncio.create_task(stop.wait()) if stop else None
        try:
            await asyncio.wait([t for t in (waiter, stopper) if t], return_when=asyncio.FIRST_COMPLETED)
            if stop and stop.is_set():
                log.info("stopping: finishing requests in flight")
                await p.queues.stop(self.settings.total_timeout_s)
            # Pages already fetched are finished even when stopping: their extraction is quick and
            # their publish is awaited, so nothing acknowledged goes unrecorded.
            while p.processing:
                await asyncio.gather(*list(p.processing), return_exceptions=True)
        finally:
            for t in (progress, waiter, stopper):
                if t:
                    t.cancel()
            self._passes.discard(p)
        log.info("pass done", sources=len(sources), source=sources[0].name if len(sources) == 1 else None,
                 seconds=round(time.monotonic() - started, 1), **self.stats.line())
        return self.stats

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Run each source whenever it is due (its ``interval``) until ``stop`` is set. Sources are
        passes of their own: a source whose pass is slow (a Crawl-delay, many URLs) is not waited
        for by the others; per-host politeness is still shared by all."""
        running: dict[str, asyncio.Task] = {}
        crawled: set[str] = set()
        stopper = asyncio.create_task(stop.wait())
        progress = asyncio.create_task(self._progress(time.monotonic()))  # one line for all passes
        try:
            while not stop.is_set():
                now = time.time()
                for s in self.sources.sources:
                    if s.name not in running and self.store.next_due(s.name) <= now:
                        task = asyncio.create_task(self._source_pass(s, stop), name=f"source:{s.name}")
                        running[s.name] = task
                        task.add_done_callback(lambda _t, name=s.name: running.pop(name, None))
                if len(crawled) < len(self.sources.sources):
                    crawled |= {s.name for s in self.sources.sources if self.store.next_due(s.name) > now}
                    if len(crawled) == len(self.sources.sources):
                        log.info("every source crawled", sources=len(crawled), **self.stats.line())
                idle = [self.store.next_due(s.name) for s in self.sources.sources if s.name not in running]
                timeout = max(0.05, min(idle) - now) if idle else None
                await asyncio.wait([stopper, *running.values()], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.gather(*running.values(), return_exceptions=True)
        finally:
            stopper.cancel()
            progress.cancel()

    async def _source_pass(self, source: Source, stop: asyncio.Event) -> None:
        started = time.time()
        try:
            await self.run_pass([source], stop=stop, progress_log=False)
        except Exception:  # one source's bug must not end the others' schedule; retried at its interval
            self.stats.error("source", "internal")
            log.exception("source pass failed", source=source.name)
        if not stop.is_set():
            self.store.set_next_due(source.name, started + (source.interval_s or self.settings.default_interval_s))

    async def _progress(self, started: float) -> None:
        while True:
            await asyncio.sleep(self.settings.progress_interval_s)
            queued = sum(sum(p.queues.depth().values()) for p in self._passes)
            log.info("progress", seconds=round(time.monotonic() - started), queued=queued, **self.stats.line())

    # -- queueing ----------------------------------------------------------------------------
    def _queue(self, p: _Pass, job: Job) -> None:
        """Each URL at most once per pass, whichever entry point or link led to it."""
        if job.url in p.visited:
            return
        p.visited.add(job.url)
        p.queues.submit(host_of(job.url), job)

    def _persist_and_queue(self, p: _Pass, source: str, links: list[Link] | tuple[Link, ...]) -> None:
        fresh = []
        for link in links:
            url = normalise(link.url)
            if url in p.visited:
                continue
            if self.store.is_done(url, recheck_rejected_after_s=self.settings.recheck_rejected_after_s):
                continue
            fresh.append(FrontierItem(url, source, link.via, link.title, link.published))
        self.store.add_frontier(fresh)
        for item in fresh:
            self._queue(p, Job(item.url, source, "article", item.via, item.title, item.published))

    async def _run_job(self, p: _Pass, job: Job) -> None:
        try:
            if job.kind == "article":
                await self._article(p, job)
            else:
                await self._discover(p, job)
        except Exception as exc:  # a bug on hostile input: counted, never an uncounted "job failed"
            self.stats.error(job.kind, "internal")
            log.exception("job failed unexpectedly", url=job.url, kind=job.kind, error=str(exc)[:300])

    async def _fetch_robots(self, url: str) -> bytes:
        fetched = await self.fetcher.fetch(url, check_robots=False)
        self.stats.fetch("robots")
        return fetched.body

    # -- discovery ---------------------------------------------------------------------------
    async def _discover(self, p: _Pass, job: Job) -> None:
        stored = self.store.validators(job.url)
        fresh = stored and time.time() - stored.full_at < self.settings.revalidate_after_s
        try:
            fetched = await self.fetcher.fetch(job.url, validators=stored.validators if fresh else None)
        except TradetiesError as exc:
            return self._failed(job, exc)
        if fetched.not_modified:
            self.stats.unchanged(job.kind)
            return
        body_hash = hashlib.sha256(fetched.body).hexdigest()
        if stored and stored.body_hash == body_hash:
            self.stats.unchanged(job.kind)  # new or missing validators, same bytes
            self.store.save_validators(job.url, fetched.validators, body_hash)
            return
        self.stats.fetch(job.kind)
        try:
            if len(fetched.body) > _PARSE_INLINE_BYTES:
                found = await asyncio.to_thread(self._parse, job, fetched)
            else:
                found = self._parse(job, fetched)
        except PermanentError as exc:
            return self._failed(job, exc)
        if found.dropped:
            self.stats.error(job.kind, "over_cap")
            log.warning("list over its cap; the newest kept", url=job.url, kind=job.kind, dropped=found.dropped)
        if found.sitemaps and job.depth >= self.settings.max_sitemap_depth:
            self.stats.error(job.kind, "sitemap_depth")
            log.warning("sitemap index too deep; children not followed", url=job.url, depth=job.depth,
                        children=len(found.sitemaps))
        else:
            for url in found.sitemaps:
                self._queue(p, Job(url, job.source, "sitemap", "sitemap", depth=job.depth + 1))
        for url in found.feeds:
            self._queue(p, Job(url, job.source, "feed", "feed"))
        self._persist_and_queue(p, job.source, found.articles)
        self.store.save_validators(job.url, fetched.validators, body_hash)
        log.debug("discovered", url=job.url, kind=job.kind, articles=len(found.articles),
                  sitemaps=len(found.sitemaps), feeds=len(found.feeds))

    def _parse(self, job: Job, fetched: Fetched) -> discovery.Discovered:
        s = self.settings
        if job.kind == "feed":
            return discovery.parse_feed(fetched.body, fetched.url, fetched.content_type, max_urls=s.max_urls_per_feed)
        if job.kind == "sitemap":
            return discovery.parse_sitemap(fetched.body, fetched.url, limit_bytes=s.max_response_bytes,
                                           max_urls=s.max_urls_per_sitemap)
        return discovery.parse_homepage(fetched.body, fetched.url, max_links=s.max_links_per_homepage)

    def _failed(self, job: Job, exc: TradetiesError) -> None:
        reason = reason_of(exc)
        self.stats.error(job.kind, reason)
        log.warning("url failed", url=job.url, kind=job.kind, source=job.source, reason=reason, error=str(exc)[:300])

    def _article_failed(self, job: Job, exc: PermanentError | RetryableError) -> None:
        """A permanent failure is recorded (retried after recheck_rejected_after_s); a retryable one
        stays in the frontier."""
        self._failed(job, exc)
        if isinstance(exc, PermanentError):
            self.store.record_rejected(job.url, reason_of(exc))

    # -- articles ----------------------------------------------------------------------------
    async def _article(self, p: _Pass, job: Job) -> None:
        """Fetch on the host's worker; extract and publish in a task of its own, so the host's next
        request goes out while this page is extracted (bounded: backpressure, not buffering)."""
        url = job.url
        if self.store.is_done(url, recheck_rejected_after_s=self.settings.recheck_rejected_after_s):
            return
        try:
            fetched = await self.fetcher.fetch(url, html_only=True)
            self.stats.fetch("article")
        except (PermanentError, RetryableError) as exc:
            return self._article_failed(job, exc)
        await self._extract_slots.acquire()
        task = asyncio.create_task(self._process(job, fetched))
        p.processing.add(task)
        task.add_done_callback(p.processing.discard)

    async def _process(self, job: Job, fetched: Fetched) -> None:
        # The extraction slot is let go only once a publish slot is taken: a slow broker fills the
        # publish window, then the extraction slots, then stops the fetching (backpressure).
        try:
            page = await self._extract(job, fetched)
            if page is None:
                return
            await self._publish_slots.acquire()
        finally:
            self._extract_slots.release()
        try:
            await self._dedup_and_publish(job, fetched, page)
        finally:
            self._publish_slots.release()

    async def _extract(self, job: Job, fetched: Fetched) -> Page | None:
        url = job.url
        try:
            return await self._extraction.run(fetched.body, fetched.url, fetched.charset,
                                              self.settings.min_text_chars, self.settings.cjk_char_weight)
        except (PermanentError, RetryableError) as exc:
            self._article_failed(job, exc)
        except Exception as exc:  # a bug in a parser on hostile input: count it, keep crawling
            self.stats.error(job.kind, "internal")
            log.exception("article failed", url=url, error=str(exc)[:300])
            self.store.record_rejected(url, "internal")
        return None

    async def _dedup_and_publish(self, job: Job, fetched: Fetched, page: Page) -> None:
        ex = page.extracted
        canonical = canonical_url(fetched.url, ex.declared_canonical)
        aid = article_id(canonical)
        urls = list(dict.fromkeys([job.url, *map(normalise, fetched.redirects), normalise(fetched.url)]))
        async with self._dedup.claim(aid, page) as dup:
            if dup:
                kind, original = dup
                self.store.record_alias(urls + [canonical], original, kind)
                self.stats.duplicate(kind)
                log.info("duplicate", url=job.url, kind=kind, original=original)
                return
            await self._publish(job, fetched, page, aid, canonical, urls)

    async def _publish(self, job: Job, fetched: Fetched, page: Page, aid: str, canonical: str, urls: list[str]) -> None:
        ex = page.extracted
        published = ex.published or job.published
        article = RawArticle(
            id=aid, url=fetched.url, canonical_url=canonical, source=job.source,
            title=ex.title or job.title or canonical, text=ex.text, published_at=published,
            language=ex.language, fetched_at=utcnow(), content_hash=page.content_hash,
            extraction=Extraction(
                extractor=EXTRACTOR, author=ex.author, sitename=ex.sitename, description=ex.description,
                date_source="htmldate" if ex.published else (job.via if published else None),
                language_source=ex.language_source if ex.language else None, http_status=fetched.status,
                content_type=fetched.content_type, response_bytes=len(fetched.body),
                discovered_via=job.via if job.via in ("feed", "sitemap", "homepage", "url") else None,
            ),
        )
        try:
            await self.publisher.publish(article)
        except RetryableError as exc:
            return self._failed(job, exc)  # stays in the frontier, retried next pass
        self.store.record_published(article_id=aid, canonical_url=canonical, url=job.url, source=job.source,
                                    content_hash=page.content_hash, simhash=page.simhash, other_urls=urls)
        self.stats.publish()
        log.info("published", id=aid, url=canonical, source=job.source)
