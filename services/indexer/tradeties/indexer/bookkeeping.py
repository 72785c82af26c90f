"""The bookkeeping of settled batches: the run's statistics (with the batch metrics and debug log)
and the offsets commit, which only ever covers settled batches (``service.Indexer._settle``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import CommitFailedError, RebalanceInProgressError
from kafka.structs import OffsetAndMetadata

from . import metrics
from .inflight import InFlight
from .malformed import Outcome
from .writer import WriteResult

log = structlog.get_logger(__name__)


@dataclass
class RunStats:
    messages: int = 0
    stored: int = 0
    conflicts: int = 0
    dead_lettered: int = 0
    ignored: int = 0
    batches: int = 0
    #: monotonic clock of the first message polled and of the last commit (throughput = messages / span)
    first_message_at: float | None = None
    last_commit_at: float | None = None

    def count(self, outcome: Outcome) -> None:
        """One malformed document handled by the policy."""
        if outcome == "ignored":
            self.ignored += 1
        else:
            self.dead_lettered += 1

    def settled(self, batch: InFlight, result: WriteResult, elapsed: float) -> None:
        """One batch settled and committed ``elapsed`` seconds after it was submitted."""
        metrics.BATCH_SECONDS.observe(elapsed)
        metrics.BATCH_DOCS.observe(len(batch.docs))
        self.messages += len(batch.records)
        self.stored += result.stored
        self.conflicts += result.conflicts
        self.batches += 1
        log.debug(
            "batch indexed",
            messages=len(batch.records),
            stored=result.stored,
            conflicts=result.conflicts,
            rejected=len(result.rejected),
            seconds=round(elapsed, 3),
        )


def commit_offsets(consumer: KafkaConsumer, records: list[Any]) -> bool:
    """Commit the offsets past ``records`` on the partitions ``consumer`` still owns; True when it did
    (False: none of them owned, or a rebalance refused the commit)."""
    offsets: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        offsets[tp] = max(offsets.get(tp, -1), r.offset + 1)
    owned = consumer.assignment()
    commit = {tp: OffsetAndMetadata(o, "", -1) for tp, o in offsets.items() if tp in owned}
    if not commit:
        return False
    try:
        consumer.commit(offsets=commit)
    except (CommitFailedError, RebalanceInProgressError) as exc:
        # The group rebalances (kafka-python 3 raises RebalanceInProgressError while it does) or
        # already moved the partitions: whoever owns them next replays from the last commit, and
        # external versions make that replay harmless. The next poll rejoins the group.
        log.warning("commit failed in a rebalance; the next owner replays", error=str(exc))
        return False
    metrics.COMMITTED.inc(len(records))
    return True
