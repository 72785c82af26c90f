"""The indexer service: Kafka (classified articles, alerts) → Elasticsearch, exactly once in effect.

Loop: poll into a batch bounded by count, bytes and age → decode (poison → dead letter) → bulk
write through the write aliases (external versions make replays no-ops) → apply the
``on_malformed`` policy to rejected documents → commit the batch's offsets. Bulk threads write
up to ``max_in_flight`` batches while the consumer thread reads and decodes the next one;
everything Kafka — polls, pauses, commits — stays on the consumer thread, and batches are settled
and committed in order. Offsets are committed only after Elasticsearch acknowledged every
document of the batch (or its dead letter was acknowledged), so a crash at any point replays,
never loses. While Elasticsearch is overloaded or unreachable the consumer is paused (still
polling, so it stays in its group) and nothing more is read.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

import orjson
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
from .writer import BulkWriter, Doc, Rejected, WriteResult

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


@dataclass
class _InFlight:
    future: Future | None
    records: list[Any]
    docs: list[Doc]
    poison: list[Poison]
    now: datetime
    started: float


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
        self._max_in_flight = self._cfg.max_in_flight
        self._pool = ThreadPoolExecutor(max_workers=self._max_in_flight, thread_name_prefix="tradeties-bulk")
        self._inflight: deque[_InFlight] = deque()
        self._backoff = threading.Event()  # set by a bulk thread backing off, cleared when a batch gets through
        self._paused = False  # consumption paused for backpressure (main thread only)
        self._last_settled = float("-inf")
        self.stats = RunStats()

    def stop(self) -> None:
        """Finish the batches in hand, commit them and return from ``run`` (signal-handler safe)."""
        self._stopping = True

    def run(self, until_idle_s: float | None = None) -> RunStats:
        self._consumer.subscribe(sorted(self._topics))
        last_message = self._clock()
        idle_s = self._cfg.idle_flush_s  # the stream paused: write what is in hand now
        try:
            while not self._stopping:
                now = self._clock()
                if self._backoff.is_set():
                    self._hold()  # Elasticsearch pushes back: read nothing more until it accepts again
                elif self._paused:
                    self._resume()
                timeout = min(self._batch.time_left(now), 0.02 if self._inflight else 0.5)
                if idle_s and len(self._batch):
                    timeout = min(timeout, idle_s)
                polled = self._consumer.poll(timeout_ms=int(timeout * 1000), max_records=max(self._batch.room(), 1))
                now = self._clock()
                if polled and self.stats.first_message_at is None:
                    self.stats.first_message_at = now
                for records in polled.values():
                    for r in records:
                        self._batch.add(r, len(r.value or b""), now)
                    last_message = now
                if self._batch.ready(now) or (idle_s and len(self._batch) and now - last_message >= idle_s):
                    self._submit(self._batch.take())
                self._settle(self._reap(block=False))
                if not self._consumer.assignment():
                    last_message = now  # idle counts from having partitions, not from joining the group
                # Idle = no new message and no batch settled for N s (a long backpressure episode
                # that just ended is not idleness: the partitions were paused).
                if (until_idle_s is not None and not len(self._batch) and not self._inflight
                        and now - max(last_message, self._last_settled) >= until_idle_s):
                    log.info("idle, exiting", idle_s=until_idle_s)
                    break
            self.flush()
        except Interrupted:
            log.warning("stopped while Elasticsearch was unavailable; the batches in hand stay uncommitted",
                        messages=len(self._batch) + sum(len(b.records) for b in self._inflight))
        finally:
            self._stopping = True  # a bulk thread still backing off gives up now (its batch stays uncommitted)
            self._pool.shutdown(wait=True, cancel_futures=True)
        log.info("indexer stopped", **{k: v for k, v in vars(self.stats).items() if not k.endswith("_at")})
        return self.stats

    def flush(self) -> None:
        """Write whatever is in hand and wait until all of it is settled and committed."""
        records = self._batch.take()
        if records:
            self._submit(records)
        while self._inflight:
            self._settle(self._reap(block=True))

    def _submit(self, records: list[Any]) -> None:
        """Decode and build a batch while earlier ones are in flight, then hand it to a bulk thread.

        At most ``max_in_flight`` batches are being written and one more is being read: memory
        stays bounded. Batches are settled and committed strictly in order.
        """
        now = datetime.now(timezone.utc)
        docs: list[Doc] = []
        poison: list[Poison] = []
        for record in records:
            item = to_doc(record, self._topics[record.topic], self._targets, now, self._cfg.group_id)
            (poison if isinstance(item, Poison) else docs).append(item)  # type: ignore[arg-type]
        done: list[_InFlight] = []
        while len(self._inflight) >= self._max_in_flight:
            done += self._reap(block=True)
        future = self._pool.submit(self._write, docs) if docs else None
        self._inflight.append(_InFlight(future, records, docs, poison, now, self._clock()))
        self._settle(done)  # commit the finished ones while the new bulk is on its way

    def _reap(self, *, block: bool) -> list[_InFlight]:
        """Take the oldest batches whose bulk finished (waiting for the oldest one if ``block``)."""
        done: list[_InFlight] = []
        while self._inflight:
            head = self._inflight[0]
            if head.future is not None and not head.future.done():
                if not block or done:
                    break
                while not head.future.done():
                    self._hold()
            done.append(self._inflight.popleft())
        return done

    def _settle(self, batches: list[_InFlight]) -> None:
        """Apply the malformed-input policy, then commit: offsets only ever cover settled batches."""
        for batch in batches:
            result = batch.future.result() if batch.future is not None else WriteResult()
            if self._paused and not self._backoff.is_set():
                self._resume()
            for p in batch.poison:
                self._malformed(p.topic, p.letter.error_type, p.letter.error_message, lambda p=p: p.letter)
            for rejected in result.rejected:
                self._reject(rejected, batch.now)
            self._commit(batch.records)
            self._last_settled = self._clock()
            elapsed = self._last_settled - batch.started
            metrics.BATCH_SECONDS.observe(elapsed)
            metrics.BATCH_DOCS.observe(len(batch.docs))
            s = self.stats
            s.messages += len(batch.records)
            s.stored += result.stored
            s.conflicts += result.conflicts
            s.batches += 1
            log.debug("batch indexed", messages=len(batch.records), stored=result.stored,
                      conflicts=result.conflicts, rejected=len(result.rejected), seconds=round(elapsed, 3))

    def _reject(self, rejected: Rejected, now: datetime) -> None:
        record = rejected.doc.ref
        self._malformed(
            self._topics[record.topic], rejected.error_type, rejected.reason,
            lambda: dead_letter(record, rejected.error_type, rejected.reason, now,
                                {"indexer-document": orjson.dumps(rejected.doc.source).decode()},
                                consumer=self._cfg.group_id),
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

    def _write(self, docs: list[Doc]) -> WriteResult:
        """Bulk thread: one batch; a batch accepted means the push-back is over."""
        result = self._writer.write(docs)
        self._backoff.clear()
        return result

    def _wait(self, delay: float, reason: str) -> None:
        """Bulk thread, backing off: flag backpressure (the main thread pauses consumption) and sleep."""
        if not self._backoff.is_set():
            self._backoff.set()
            metrics.PAUSED.set(1)
            log.warning("Elasticsearch pushes back; pausing consumption", reason=reason)
        deadline = self._clock() + delay
        while (left := deadline - self._clock()) > 0:
            if self._stopping:
                raise Interrupted()
            time.sleep(min(left, 0.1))

    def _hold(self) -> None:
        """Main thread: wait (≤ 0.2 s) for a batch in flight; under backpressure, pause every
        partition first and keep the consumer polled."""
        head = self._inflight[0] if self._inflight else None
        if not self._backoff.is_set() and head is not None and head.future is not None:
            # A normal bulk round trip: just wait for it (the heartbeat thread keeps the group alive).
            wait([head.future], timeout=0.2)
            return
        assigned = self._consumer.assignment()
        if assigned - self._consumer.paused():
            self._consumer.pause(*assigned)
        self._paused = True
        for tp, records in self._consumer.poll(timeout_ms=0).items():
            # A partition assigned during the pause is not paused yet: give its records back.
            self._consumer.seek(tp, records[0].offset)
            self._consumer.pause(tp)
        futures = [b.future for b in self._inflight if b.future is not None]
        if futures:
            wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
        else:
            time.sleep(0.05)

    def _resume(self) -> None:
        """Main thread: resume the partitions paused for backpressure once a batch got through."""
        paused = self._consumer.paused()
        if paused:
            self._consumer.resume(*paused)
        self._paused = False
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

    serve_metrics(settings.indexer.metrics_host, settings.indexer.metrics_port)
    client = client or client_for(settings.elasticsearch)
    ensure_ready(client, settings.elasticsearch.index_prefix, settings.indexer)
    # Long-lived start-up objects leave the collector's view: full collections then only walk the
    # batches in hand, instead of stalling the loop for tenths of a second.
    gc.freeze()
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
