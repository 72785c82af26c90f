"""Bulk writes with triage, backoff and backpressure (elasticsearch-py ``helpers.streaming_bulk``).

``write(batch)`` returns only when every document of the batch is settled: stored (or already
stored at a newer version), or malformed (returned to the caller for its policy). Overload and
unavailability are retried without an attempt limit — the caller's ``wait`` hook pauses
consumption meanwhile — until ``unavailable_timeout_s``; other failures get
``retry.attempts`` tries and then raise ``IndexingFailed``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch, helpers

from tradeties.common.errors import RetryableError, TradetiesError
from tradeties.common.retry import backoff_delay
from tradeties.common.settings import RetrySettings

from . import metrics
from .triage import Verdict, error_reason, error_type, verdict

log = structlog.get_logger(__name__)


class IndexingFailed(TradetiesError):
    """Documents kept failing with errors that are neither malformed input nor overload."""

    reason = "indexing_failed"


class ClusterUnavailable(RetryableError):
    """Elasticsearch stayed overloaded or unreachable for longer than ``unavailable_timeout_s``."""

    reason = "unavailable"


@dataclass
class Doc:
    """One document to write, with an opaque reference back to where it came from."""

    index: str
    id: str
    version: int
    source: dict[str, Any]
    ref: Any = None
    kind: str = "articles"

    def action(self) -> dict[str, Any]:
        return {
            "_op_type": "index",
            "_index": self.index,
            "_id": self.id,
            "version": self.version,
            "version_type": "external",
            "_source": self.source,
        }


@dataclass
class Rejected:
    doc: Doc
    error_type: str
    reason: str


@dataclass
class WriteResult:
    stored: int = 0
    conflicts: int = 0
    rejected: list[Rejected] = field(default_factory=list)


Wait = Callable[[float, str], None]


class BulkWriter:
    def __init__(
        self,
        client: Elasticsearch,
        retry: RetrySettings,
        *,
        max_chunk_bytes: int = 10_000_000,
        unavailable_timeout_s: float = 600.0,
        require_alias: bool = True,
        wait: Wait | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Our own loop retries (and pauses consumption); the transport's silent retries would not.
        self._client = client.options(max_retries=0, retry_on_status=(), retry_on_timeout=False)
        self._retry = retry
        self._max_chunk_bytes = max_chunk_bytes
        self._unavailable_timeout_s = unavailable_timeout_s
        self._require_alias = require_alias
        self._wait: Wait = wait or (lambda delay, _reason: time.sleep(delay))
        self._clock = clock

    def write(self, docs: list[Doc], *, refresh: bool = False) -> WriteResult:
        """Every document stored, a conflict or rejected; with ``refresh``, searchable on return."""
        result = WriteResult()
        pending = list(docs)
        failures = 0  # tries that ended with RETRY items
        overloaded = 0  # consecutive tries that ended with BACKPRESSURE only
        unavailable_since: float | None = None
        while pending:
            retry_items: list[tuple[Doc, str, str, Verdict]] = []
            for doc, (v, kind, reason) in zip(pending, self._send(pending, refresh), strict=True):
                if v is Verdict.OK:
                    result.stored += 1
                    metrics.INDEXED.labels(doc.kind).inc()
                elif v is Verdict.CONFLICT:
                    result.conflicts += 1
                    metrics.REPLAYED.labels(doc.kind).inc()
                elif v is Verdict.MALFORMED:
                    result.rejected.append(Rejected(doc, kind, reason))
                else:
                    retry_items.append((doc, kind, reason, v))
            if not retry_items:
                break
            pending = [d for d, *_ in retry_items]
            kinds = sorted({k for _, k, _, _ in retry_items})
            if all(v is Verdict.BACKPRESSURE for *_, v in retry_items):
                now = self._clock()
                unavailable_since = now if unavailable_since is None else unavailable_since
                if now - unavailable_since >= self._unavailable_timeout_s:
                    raise ClusterUnavailable(
                        f"Elasticsearch overloaded or unreachable for {now - unavailable_since:.0f}s: {kinds}"
                    )
                overloaded += 1
                delay = backoff_delay(self._retry, overloaded)
            else:
                unavailable_since, overloaded = None, 0
                failures += 1
                if failures >= self._retry.attempts:
                    sample = retry_items[0]
                    raise IndexingFailed(
                        f"{len(retry_items)} document(s) still failing after {failures} tries; "
                        f"first: id={sample[0].id} {sample[1]}: {sample[2][:500]}"
                    )
                delay = backoff_delay(self._retry, failures)
            for kind in kinds:
                metrics.RETRIES.labels(kind).inc()
            log.warning("bulk retry", documents=len(pending), reasons=",".join(kinds), delay_s=round(delay, 2))
            self._wait(delay, kinds[0])
        return result

    def _send(self, docs: list[Doc], refresh: bool = False) -> list[tuple[Verdict, str, str]]:
        """One round of bulk requests; a verdict per document, in order."""
        extra: dict[str, Any] = {"refresh": True} if refresh else {}
        try:
            out = []
            for _ok, item in helpers.streaming_bulk(
                self._client,
                (d.action() for d in docs),
                chunk_size=max(len(docs), 1),
                max_chunk_bytes=self._max_chunk_bytes,
                raise_on_error=False,
                raise_on_exception=False,
                max_retries=0,
                yield_ok=True,
                require_alias=self._require_alias,
                **extra,
            ):
                body = next(iter(item.values()))
                out.append((verdict(body), error_type(body), error_reason(body)))
            return out
        except (ESConnectionError, ConnectionTimeout) as exc:
            # The request never got an answer: nothing is known about any document of it.
            return [(Verdict.BACKPRESSURE, "connection_error", str(exc))] * len(docs)
