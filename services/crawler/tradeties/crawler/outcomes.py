"""How a failed URL is recorded: counted in ``Stats.error`` by kind and reason, logged once, and —
for an article that failed for good — marked rejected (retried after ``recheck_rejected_after_s``);
an article that failed transiently stays in the frontier."""

from __future__ import annotations

import structlog

from tradeties.common.errors import PermanentError, RetryableError, TradetiesError

from .fetcher import reason_of
from .metrics import Stats
from .scheduler import Job
from .store import StateStore

log = structlog.get_logger(__name__)


def url_failed(stats: Stats, job: Job, exc: TradetiesError) -> None:
    reason = reason_of(exc)
    stats.error(job.kind, reason)
    log.warning("url failed", url=job.url, kind=job.kind, source=job.source, reason=reason, error=str(exc)[:300])


def article_failed(stats: Stats, store: StateStore, job: Job, exc: PermanentError | RetryableError) -> None:
    url_failed(stats, job, exc)
    if isinstance(exc, PermanentError):
        store.record_rejected(job.url, reason_of(exc))
