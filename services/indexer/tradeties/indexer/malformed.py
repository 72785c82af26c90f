"""The malformed-input policy (``indexer.on_malformed``): a poison message or a document Elasticsearch
rejects is dead-lettered (default), ignored (counted) or fails the indexer (nothing committed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

import orjson
import structlog

from tradeties.common.dead_letters import dead_letter
from tradeties.common.errors import RejectedDocument
from tradeties.common.events import DeadLetter
from tradeties.common.kafka import DeadLetterSink
from tradeties.common.topics import Topic

from . import metrics
from .writer import Rejected

log = structlog.get_logger(__name__)

Outcome = Literal["dead_lettered", "ignored"]


class MalformedPolicy:
    def __init__(self, policy: str, dead_letters: DeadLetterSink, group_id: str) -> None:
        self._policy = policy
        self._dead_letters = dead_letters
        self._group_id = group_id

    def apply(self, topic: Topic, reason: str, message: str, letter: Callable[[], DeadLetter], doc_id: str = "") -> Outcome:
        """Raise RejectedDocument under ``fail``; otherwise what was done with the input."""
        if self._policy == "fail":
            raise RejectedDocument(f"{reason}: {message} (id={doc_id or '-'}; indexer.on_malformed=fail)", reason=reason)
        if self._policy == "ignore":
            metrics.IGNORED.labels(reason).inc()
            log.warning("malformed input ignored", reason=reason, id=doc_id, error=message[:300])
            return "ignored"
        self._dead_letters.send(topic, letter())
        metrics.DEAD_LETTERED.labels(reason).inc()
        return "dead_lettered"

    def rejected(self, topic: Topic, rejected: Rejected, now: datetime) -> Outcome:
        """A document Elasticsearch refused: its dead letter carries the document it was sent as."""
        return self.apply(
            topic,
            rejected.error_type,
            rejected.reason,
            lambda: dead_letter(
                "indexer",
                rejected.doc.ref,
                rejected.error_type,
                rejected.reason,
                consumer=self._group_id,
                failed_at=now,
                extra_headers={"indexer-document": orjson.dumps(rejected.doc.source).decode()},
            ),
            doc_id=rejected.doc.id,
        )
