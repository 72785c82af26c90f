"""How a failed URL is recorded: counted in ``Stats.error`` by kind and reason, logged once, and —
for an article given up on (failed for good) — marked rejected (retried after
``recheck_rejected_after_s``) and dead-lettered on ``dlq.crawler`` with the reason; an article that
failed transiently stays in the frontier."""

from __future__ import annotations

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


def article_failed(stats: Stats, store: StateStore, publisher: Publisher, job: Job,
                   exc: PermanentError | RetryableError) -> None:
    url_failed(stats, job, exc)
    if isinstance(exc, PermanentError):
        given_up(stats, store, publisher, job, reason_of(exc), str(exc))


def given_up(stats: Stats, store: StateStore, publisher: Publisher, job: Job, reason: str, detail: str) -> None:
    """Rejected in the state store and dead-lettered; a dead letter the broker never acks is counted
    (``dead_letter_lost``) and logged, the crawl never waits for it."""
    store.record_rejected(job.url, reason)

    def lost(error: str) -> None:
        stats.error(job.kind, "dead_letter_lost")
        log.warning("dead letter lost", url=job.url, reason=reason, error=error[:300])

    letter = page_dead_letter(job.url, reason, detail[:300], headers={"source": job.source, "kind": job.kind})
    publisher.dead_letter(letter, lost)
