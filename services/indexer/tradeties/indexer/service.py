"""The indexer service: Kafka (classified articles, alerts) → Elasticsearch, exactly once in effect.

Loop: poll into a batch bounded by count, bytes and age → decode (poison → dead letter) → bulk
write through the write aliases (external versions make replays no-ops) → apply the
``on_malformed`` policy to rejected documents → commit the batch's offsets. Offsets are committed
only after Elasticsearch acknowledged every document of the batch (or its dead letter was
acknowledged), so a crash at any point replays, never loses. While Elasticsearch is overloaded
or unreachable the consumer is paused (still polling, so it stays in its group) and nothing more
is read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

import structlog
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata

from tradeties.common.errors import RejectedDocument
from tradeties.common.kafka import DeadLetterSink, client_config
from tradeties.common.settings import IndexerSettings, KafkaSettings, Settings
from tradeties.common.topics import Topic

from . import metrics
from .batching import Batch
from .names import Kind, names_for
from .records import Poison, dead_letter, to_doc, topics_by_name
from .writer import BulkWriter, Doc, Rejected

log = structlog.get_logger(__name__)


class Interrupted(Exception):
    """Stop requested while waiting out backpressure: leave the batch uncommitted."""


def consumer_config(kafka: KafkaSettings, indexer: IndexerSettings) -> dict[str, Any]:
    return {
        **client_config(kafka),
        "group_id": indexer.group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_poll_records": indexer.batch_size,
        # A killed member's partitions move to the others after 10 s, not the 45 s default.
        "session_timeout_ms": 10_000,
        "heartbeat_interval_ms": 3_000,
        "fetch_max_bytes": max(indexer.batch_bytes, 1_048_576),
        "max_partition_fetch_bytes": max(indexer.batch_bytes, 1_048_576),
    }


def make_consumer(settings: Settings) -> KafkaConsumer:
    return KafkaConsumer(**consumer_config(settings.kafka, settings.indexer))


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


class Indexer:
    def __init__(self, settings: Settings, client: Any, consumer: KafkaConsumer, dead_letters: DeadLetterSink,
                 *, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._cfg = settings.indexer
        self._consumer = consumer
        self._dead_letters = dead_letters
        self._clock = clock
        self._topics = topics_by_name(settings.kafka)
        names = names_for(settings.elasticsearch.index_prefix)
        self._targets = {k: n.write_alias for k, n in names.items()}
        self._writer = BulkWriter(client, settings.retry, max_chunk_bytes=max(self._cfg.batch_bytes * 2, 1_000_000),
                                  unavailable_timeout_s=self._cfg.unavailable_timeout_s, wait=self._wait, clock=clock)
        self._batch: Batch[Any] = Batch(self._cfg.batch_size, self._cfg.batch_bytes, self._cfg.flush_interval_s)
        self._stopping = False
        self.stats = RunStats()

    def stop(self) -> None:
        """Finish the batch in hand, commit it and return from ``run`` (signal-handler safe)."""
        self._stopping = True

    def run(self, until_idle_s: float | None = None) -> RunStats:
        self._consumer.subscribe(sorted(self._topics))
        last_message = self._clock()
        try:
            while not self._stopping:
                now = self._clock()
                timeout = min(self._batch.time_left(now), 0.5)
                polled = self._consumer.poll(timeout_ms=int(timeout * 1000), max_records=max(self._batch.room(), 1))
                now = self._clock()
                if polled and self.stats.first_message_at is None:
                    self.stats.first_message_at = now
                for records in polled.values():
                    for r in records:
                        self._batch.add(r, len(r.value or b""), now)
                    last_message = now
                if self._batch.ready(now):
                    self.flush()
                if not self._consumer.assignment():
                    last_message = now  # idle counts from having partitions, not from joining the group
                if until_idle_s is not None and not len(self._batch) and now - last_message >= until_idle_s:
                    log.info("idle, exiting", idle_s=until_idle_s)
                    break
            self.flush()
        except Interrupted:
            log.warning("stopped while Elasticsearch was unavailable; the batch in hand stays uncommitted",
                        messages=len(self._batch))
        log.info("indexer stopped", **{k: v for k, v in vars(self.stats).items() if not k.endswith("_at")})
        return self.stats

    def flush(self) -> None:
        records = self._batch.take()
        if not records:
            return
        started = self._clock()
        now = datetime.now(timezone.utc)
        docs: list[Doc] = []
        for record in records:
            item = to_doc(record, self._topics[record.topic], self._targets, now)
            if isinstance(item, Poison):
                self._malformed(item.topic, item.letter.error_type, item.letter.error_message,
                                lambda item=item: item.letter)
            else:
                docs.append(item)
        result = self._writer.write(docs)
        for rejected in result.rejected:
            self._reject(rejected, now)
        self._resume()
        self._commit(records)
        elapsed = self._clock() - started
        metrics.BATCH_SECONDS.observe(elapsed)
        metrics.BATCH_DOCS.observe(len(docs))
        s = self.stats
        s.messages += len(records)
        s.stored += result.stored
        s.conflicts += result.conflicts
        s.batches += 1
        log.debug("batch indexed", messages=len(records), stored=result.stored, conflicts=result.conflicts,
                  rejected=len(result.rejected), seconds=round(elapsed, 3))

    def _reject(self, rejected: Rejected, now: datetime) -> None:
        record = rejected.doc.ref
        self._malformed(
            self._topics[record.topic], rejected.error_type, rejected.reason,
            lambda: dead_letter(record, rejected.error_type, rejected.reason, now,
                                {"indexer-document": json.dumps(rejected.doc.source, ensure_ascii=False)}),
            doc_id=rejected.doc.id,
        )

    def _malformed(self, topic: Topic, reason: str, message: str, letter: Callable[[], Any], doc_id: str = "") -> None:
        policy = self._cfg.on_malformed
        if policy == "fail":
            raise RejectedDocument(f"{reason}: {message} (id={doc_id or '-'}; indexer.on_malformed=fail)",
                                   reason=reason)
        if policy == "ignore":
            metrics.IGNORED.labels(reason).inc()
            self.stats.ignored += 1
            log.warning("malformed input ignored", reason=reason, id=doc_id, error=message[:300])
            return
        self._dead_letters.send(topic, letter())
        metrics.DEAD_LETTERED.labels(reason).inc()
        self.stats.dead_lettered += 1

    def _commit(self, records: list[Any]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for r in records:
            tp = TopicPartition(r.topic, r.partition)
            offsets[tp] = max(offsets.get(tp, -1), r.offset + 1)
        owned = self._consumer.assignment()
        commit = {tp: OffsetAndMetadata(o, "", -1) for tp, o in offsets.items() if tp in owned}
        if not commit:
            return
        try:
            self._consumer.commit(offsets=commit)
            metrics.COMMITTED.inc(len(records))
            self.stats.last_commit_at = self._clock()
        except CommitFailedError as exc:
            # Partitions moved to another member mid-batch: it replays them, and external versions
            # make that replay harmless.
            log.warning("commit failed after rebalance; the new owner replays", error=str(exc))

    def _wait(self, delay: float, reason: str) -> None:
        """Backpressure: pause every partition and keep polling (group membership) for ``delay``."""
        assigned = self._consumer.assignment()
        if assigned:
            self._consumer.pause(*assigned)
        metrics.PAUSED.set(1)
        deadline = self._clock() + delay
        while (left := deadline - self._clock()) > 0:
            if self._stopping:
                raise Interrupted()
            polled = self._consumer.poll(timeout_ms=int(min(left, 0.2) * 1000) or 1)
            for tp, records in polled.items():
                # A partition assigned during the pause is not paused yet: give its records back.
                self._consumer.seek(tp, records[0].offset)
                self._consumer.pause(tp)

    def _resume(self) -> None:
        paused = self._consumer.paused()
        if paused:
            self._consumer.resume(*paused)
            metrics.PAUSED.set(0)
            log.info("consumption resumed")


def run_service(settings: Settings, *, until_idle_s: float | None = None, install_signals: bool = True,
                client: Any = None, consumer: KafkaConsumer | None = None) -> RunStats:
    """Wire the clients (real ones unless injected), prepare the cluster and run until SIGTERM/SIGINT
    (or idle)."""
    import signal

    from kafka import KafkaProducer

    from tradeties.common.errors import RetryableError
    from tradeties.common.kafka import producer_config
    from tradeties.common.metrics import serve_metrics

    from .admin import client_for, ensure_ready

    serve_metrics(settings.indexer.metrics_port)
    client = client or client_for(settings.elasticsearch)
    ensure_ready(client, settings.elasticsearch.index_prefix, settings.indexer)
    try:
        producer = KafkaProducer(**producer_config(settings.kafka))
        consumer = consumer or make_consumer(settings)
    except KafkaError as exc:
        raise RetryableError(f"cannot reach Kafka at {settings.kafka.bootstrap}: {exc}") from exc
    indexer = Indexer(settings, client, consumer, DeadLetterSink(producer, settings.kafka))
    if install_signals:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: indexer.stop())
    try:
        return indexer.run(until_idle_s=until_idle_s)
    finally:
        consumer.close(autocommit=False)
        producer.close(timeout=10)
