"""How a failed URL is recorded: counted in ``Stats.error`` by kind and reason, logged once, and —
for an article given up on (failed for good) — marked rejected (retried after
``recheck_rejected_after_s``) and dead-lettered on ``dlq.crawler`` with the reason; an article that
failed transiently stays in the frontier."""

from __future__ import annotations

import asyncio

import structlog

from tradeties.common.dead_letters import page_dead_letter
from tradeties.common.errors import PermanentError, RetryableError, TradetiesError

from .fetcher import reason_of
from .metrics import Stats
from .publisher import Publisher
from .scheduler import Job
from .store import StateStore

log = structlog.get_logger(__name__)


def url_failed(stats: Stats, job: Job, exc: TradetiesError) -> None:
    reason = reason_of(exc)
    stats.error(job.kind, reason)
    log.warning("url failed", url=job.url, kind=job.kind, source=job.source, reason=reason, error=str(exc)[:300])


class GiveUps:
    """Articles given up on: rejected in the state store and dead-lettered with the reason.

    A dead letter holds a slot of the publish window (``window``, the slots articles hold until
    their ack) from before it is handed to the producer until the broker acks it or gives up, so a
    flood of bad pages under a slow broker waits for the broker (backpressure on the fetching, as
    for articles) instead of growing the producer's buffer without bound. A letter never acked is
    counted (``dead_letter_lost``) and logged; the crawl never waits for an ack itself."""

    def __init__(self, stats: Stats, store: StateStore, publisher: Publisher, window: asyncio.Semaphore) -> None:
        self._stats = stats
        self._store = store
        self._publisher = publisher
        self._window = window

    async def article_failed(self, job: Job, exc: PermanentError | RetryableError) -> None:
        url_failed(self._stats, job, exc)
        if isinstance(exc, PermanentError):
            await self.given_up(job, reason_of(exc), str(exc))

    async def given_up(self, job: Job, reason: str, detail: str) -> None:
        # The slot first: a crawl stopped while waiting for it leaves the URL in the frontier.
        await self._window.acquire()
        self._store.record_rejected(job.url, reason)

        def settled(error: str | None) -> None:
            self._window.release()
            if error is not None:
                self._stats.error(job.kind, "dead_letter_lost")
                log.warning("dead letter lost", url=job.url, reason=reason, error=error[:300])

        letter = page_dead_letter(job.url, reason, detail[:300], headers={"source": job.source, "kind": job.kind})
        self._publisher.dead_letter(letter, settled)
