"""A fetched article page to its durable outcome: extraction in the worker pool, de-duplication,
``build_article``, publish — then published, alias or rejected in the state store.

Pages in hand are bounded: a page holds an extraction slot (enough to keep every worker busy
while the hosts' next requests go out) until extracted, then a publish slot until the broker
acked it. Acks are awaited side by side, not in the extraction slots: the producer batches them,
and a slow ack never idles the extraction workers. A slow broker fills the publish window, then
the extraction slots, then stops the fetching (backpressure, not buffering). The dead letters of
pages given up on take slots of the same publish window until acked.

While more articles are coming (pages fetched and not yet handed to the producer, or jobs still
queued or fetching) an article lingers in the producer for them and its record waits for their
prompt writes; at the end of a pass, the last ones do neither (the pass is not held back by
waits for articles that will not come).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

import structlog

from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.events import utcnow
from tradeties.common.settings import CrawlerSettings

from .articles import build_article
from .dedup import Deduplicator
from .fetcher import Fetched
from .identity import article_id, canonical_url, normalise
from .metrics import Stats
from .outcomes import GiveUps, url_failed
from .pool import ExtractionPool, Page
from .publisher import Publisher
from .scheduler import Job
from .store import StateStore

log = structlog.get_logger(__name__)

#: How long an acked article's record may wait to share the state store's next transaction.
RECORD_WAIT_S = 0.1


class ArticleProcessor:
    def __init__(
        self,
        settings: CrawlerSettings,
        store: StateStore,
        publisher: Publisher,
        stats: Stats,
        extraction: ExtractionPool,
        *,
        fetching: Callable[[], bool] = lambda: False,
    ) -> None:
        self._settings = settings
        self._store = store
        self._publisher = publisher
        self._stats = stats
        self._extraction = extraction
        self._dedup = Deduplicator(store)
        self._extract_slots = asyncio.Semaphore(max(2, 2 * settings.extract_workers))
        self._publish_slots = asyncio.Semaphore(settings.publish_window)
        self._in_hand: set[int] = set()  # ids of the pages fetched and not yet handed to the producer (``_hand_over``)
        self._fetching = fetching  # whether jobs are queued or fetching (pages may follow)
        #: Dead letters take slots of the same window (``outcomes.GiveUps``).
        self.give_ups = GiveUps(stats, store, publisher, self._publish_slots)

    async def start(self, job: Job, fetched: Fetched, processing: set[asyncio.Task[None]]) -> None:
        """Wait for an extraction slot, then process the page in a task of its own (kept in
        ``processing`` until done), so the host's next request goes out meanwhile."""
        self._in_hand.add(id(fetched))
        try:
            await self._extract_slots.acquire()
        except BaseException:
            self._in_hand.discard(id(fetched))
            raise
        task = asyncio.create_task(self._process(job, fetched))
        processing.add(task)
        task.add_done_callback(processing.discard)

    async def _process(self, job: Job, fetched: Fetched) -> None:
        try:
            await self._process_page(job, fetched)
        finally:
            self._hand_over(fetched)

    async def _process_page(self, job: Job, fetched: Fetched) -> None:
        # The extraction slot is let go only once a publish slot is taken (backpressure).
        try:
            page = await self._extract(job, fetched)
            if page is None:
                return
            await self._publish_slots.acquire()
        finally:
            self._extract_slots.release()
        failed: Exception | None = None
        try:
            await self._dedup_and_publish(job, fetched, page)
        except Exception as exc:  # a bug on hostile metadata (build_article, the store): counted below
            failed = exc
        finally:
            self._publish_slots.release()  # before giving up: the dead letter takes a slot of its own
        if failed is not None:
            await self._internal(job, failed)

    def _hand_over(self, fetched: Fetched) -> bool:
        """This page is no longer in hand (idempotent); True when more articles are coming."""
        self._in_hand.discard(id(fetched))
        return self._more_coming()

    def _more_coming(self) -> bool:
        return bool(self._in_hand) or self._fetching()

    async def _extract(self, job: Job, fetched: Fetched) -> Page | None:
        try:
            return await self._extraction.run(
                fetched.body, fetched.url, fetched.charset, self._settings.min_text_chars, self._settings.cjk_char_weight
            )
        except (PermanentError, RetryableError) as exc:
            await self.give_ups.article_failed(job, exc)
        except Exception as exc:  # a bug in a parser on hostile input: count it, keep crawling
            await self._internal(job, exc)
        return None

    async def _internal(self, job: Job, exc: Exception) -> None:
        self._stats.error(job.kind, "internal")
        log.exception("article failed", url=job.url, error=str(exc)[:300], exc_info=exc)
        await self.give_ups.given_up(job, "internal", f"{type(exc).__name__}: {exc}")

    async def _dedup_and_publish(self, job: Job, fetched: Fetched, page: Page) -> None:
        canonical = canonical_url(fetched.url, page.extracted.declared_canonical)
        aid = article_id(canonical)
        urls = list(dict.fromkeys([job.url, *map(normalise, fetched.redirects), normalise(fetched.url)]))
        async with self._dedup.claim(aid, page) as dup:
            if dup:
                kind, original = dup
                await self._store.writes.write(lambda: self._store.record_alias([*urls, canonical], original, kind))
                self._stats.duplicate(kind)
                log.info("duplicate", url=job.url, kind=kind, original=original)
                return
            await self._publish(job, fetched, page, aid, canonical, urls)

    async def _publish(self, job: Job, fetched: Fetched, page: Page, aid: str, canonical: str, urls: list[str]) -> None:
        article = build_article(job, fetched, page, article_id=aid, canonical=canonical, fetched_at=utcnow())
        try:
            await self._publisher.publish(article, more_coming=self._hand_over(fetched))
        except RetryableError as exc:
            return url_failed(self._stats, job, exc)  # stays in the frontier, retried next pass
        record = partial(
            self._store.record_published,
            article_id=aid,
            canonical_url=canonical,
            url=job.url,
            source=job.source,
            content_hash=page.content_hash,
            simhash=page.simhash,
            other_urls=urls,
            sketch=page.sketch,
        )
        # Acked: recorded even if the crawl stops now, in no hurry (nothing waits on it to be sent)
        # while pages on their way will write promptly. A kill -9 before the commit publishes it
        # again under its own id, idempotent downstream (``pending``); its pending row still makes
        # a copy fetched first its alias.
        wait_s = RECORD_WAIT_S if self._more_coming() else None
        await self._store.writes.write(record, even_if_cancelled=True, wait_s=wait_s)
        self._stats.publish()
        log.info("published", id=aid, url=canonical, source=job.source)
