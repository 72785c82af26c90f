"""The indexer service: Kafka (classified articles, alerts) → Elasticsearch, exactly once in effect.

Loop: poll into a batch bounded by count, bytes and age → decode (poison → dead letter) → bulk
write through the write aliases (external versions make replays no-ops) → apply the
``on_malformed`` policy (malformed.py) to rejected documents → commit the batch's offsets. Bulk
threads write up to ``max_in_flight`` batches (inflight.py) while the consumer thread reads and
decodes the next one;
everything Kafka — polls, pauses, commits — stays on the consumer thread, and batches are settled
and committed in order. Offsets are committed only after Elasticsearch acknowledged every
document of the batch (or its dead letter was acknowledged), so a crash at any point replays,
never loses. While Elasticsearch is overloaded or unreachable the consumer is paused (still
polling, so it stays in its group) and nothing more is read (backpressure.py).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from kafka import KafkaConsumer

from tradeties.common import kafka
from tradeties.common.indices import names_for
from tradeties.common.kafka import DeadLetterSink
from tradeties.common.settings import IndexerSettings, KafkaSettings, Settings

from .backpressure import Backpressure, Interrupted
from .batching import Batch
from .bookkeeping import RunStats, commit_offsets
from .fetchpace import adapt_fetches
from .inflight import InFlight, InFlightBatches
from .malformed import MalformedPolicy
from .records import Poison, to_doc, topics_by_name
from .writer import BulkWriter, Doc, WriteResult

log = structlog.get_logger(__name__)


def consumer_options(indexer: IndexerSettings, kafka_settings: KafkaSettings) -> dict[str, Any]:
    return {
        "group_id": indexer.group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_poll_records": indexer.batch_size,
        # A killed member's partitions move to the others after 10 s, not the 45 s default.
        "session_timeout_ms": 10_000,
        "heartbeat_interval_ms": 3_000,
        "fetch_max_bytes": max(indexer.batch_bytes, 1_048_576),
        "max_partition_fetch_bytes": max(indexer.batch_bytes, 1_048_576),
        "fetch_min_bytes": kafka_settings.fetch_min_bytes,
        "fetch_max_wait_ms": kafka_settings.fetch_max_wait_ms,
    }


def make_consumer(settings: Settings) -> KafkaConsumer:
    consumer = kafka.consumer(settings.kafka, **consumer_options(settings.indexer, settings.kafka))
    if settings.indexer.fetch_busy_wait_ms:
        adapt_fetches(consumer, settings.kafka.fetch_busy_min_bytes, settings.indexer.fetch_busy_wait_ms)
    return consumer


class Indexer:
    """The consumer thread's loop: poll into a batch, hand it to a bulk thread, settle finished batches
    in order (malformed-input policy, then commit). Parts: ``InFlightBatches``, ``Backpressure``,
    ``MalformedPolicy``, ``bookkeeping``."""

    def __init__(
        self,
        settings: Settings,
        client: Any,
        consumer: KafkaConsumer,
        dead_letters: DeadLetterSink,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cfg = settings.indexer
        self._consumer = consumer
        self._clock = clock
        self._topics = topics_by_name(settings.kafka)
        self._targets = {k: n.write_alias for k, n in names_for(settings.elasticsearch.index_prefix).items()}
        self._stopping = False
        self._backpressure = Backpressure(consumer, stopping=lambda: self._stopping, clock=clock)
        self._writer = BulkWriter(
            client,
            settings.retry,
            max_chunk_bytes=max(self._cfg.batch_bytes * 2, 1_000_000),
            unavailable_timeout_s=self._cfg.unavailable_timeout_s,
            wait=self._backpressure.wait,
            clock=clock,
        )
        self._batch: Batch[Any] = Batch(self._cfg.batch_size, self._cfg.batch_bytes, self._cfg.flush_interval_s)
        self._inflight = InFlightBatches(self._cfg.max_in_flight, self._write)
        self._malformed = MalformedPolicy(self._cfg.on_malformed, dead_letters, self._cfg.group_id)
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
                if self._backpressure.pushing_back:
                    self._hold()  # Elasticsearch pushes back: read nothing more until it accepts again
                elif self._backpressure.paused:
                    self._backpressure.resume()
                timeout = min(
                    self._batch.time_left(now),
                    0.02 if len(self._inflight) else 0.5,
                    idle_s if idle_s and len(self._batch) else 0.5,
                )
                polled = self._consumer.poll(timeout_ms=int(timeout * 1000), max_records=max(self._batch.room(), 1))
                now = self._clock()
                if polled and self.stats.first_message_at is None:
                    self.stats.first_message_at = now
                for records in polled.values():
                    for r in records:
                        self._batch.add(r, len(r.value or b""), now)
                    last_message = now
                if self._batch.ready(now):
                    self._submit(self._batch.take())
                elif idle_s and len(self._batch) and now - last_message >= idle_s:
                    self._submit(self._batch.take(), refresh=self._cfg.refresh_idle_flush)
                self._settle(self._inflight.reap(block=False, hold=self._hold))
                if not self._consumer.assignment():
                    last_message = now  # idle counts from having partitions, not from joining the group
                # Idle: no new message and no batch settled for N s (backpressure just ended is not idle).
                if (
                    until_idle_s is not None
                    and not len(self._batch)
                    and not len(self._inflight)
                    and now - max(last_message, self._last_settled) >= until_idle_s
                ):
                    log.info("idle, exiting", idle_s=until_idle_s)
                    break
            self.flush()
        except Interrupted:
            log.warning(
                "stopped while Elasticsearch was unavailable; the batches in hand stay uncommitted",
                messages=len(self._batch) + self._inflight.messages(),
            )
        finally:
            self._stopping = True  # a bulk thread still backing off gives up now (its batch stays uncommitted)
            self._inflight.shutdown()
        log.info("indexer stopped", **{k: v for k, v in vars(self.stats).items() if not k.endswith("_at")})
        return self.stats

    def flush(self) -> None:
        """Write whatever is in hand and wait until all of it is settled and committed."""
        records = self._batch.take()
        if records:
            self._submit(records)
        while len(self._inflight):
            self._settle(self._inflight.reap(block=True, hold=self._hold))

    def _submit(self, records: list[Any], *, refresh: bool = False) -> None:
        """Decode and build a batch while earlier ones are in flight, then hand it to a bulk thread
        (``refresh``: searchable once the bulk returns, not at the index's next refresh)."""
        now = datetime.now(UTC)
        docs: list[Doc] = []
        poison: list[Poison] = []
        for record in records:
            item = to_doc(record, self._topics[record.topic], self._targets, now, self._cfg.group_id)
            if isinstance(item, Poison):
                poison.append(item)
            else:
                docs.append(item)
        done: list[InFlight] = []
        while self._inflight.full():
            done += self._inflight.reap(block=True, hold=self._hold)
        self._inflight.submit(records, docs, poison, now, self._clock(), refresh=refresh)
        self._settle(done)  # commit the finished ones while the new bulk is on its way

    def _settle(self, batches: list[InFlight]) -> None:
        """Apply the malformed-input policy, then commit: offsets only ever cover settled batches."""
        for batch in batches:
            result = batch.result()
            if self._backpressure.paused and not self._backpressure.pushing_back:
                self._backpressure.resume()
            for p in batch.poison:
                outcome = self._malformed.apply(p.topic, p.letter.error_type, p.letter.error_message, lambda p=p: p.letter)  # type: ignore[misc]
                self.stats.count(outcome)
            for rejected in result.rejected:
                self.stats.count(self._malformed.rejected(self._topics[rejected.doc.ref.topic], rejected, batch.now))
            if commit_offsets(self._consumer, batch.records):
                self.stats.last_commit_at = self._clock()
            self._last_settled = self._clock()
            self.stats.settled(batch, result, self._last_settled - batch.started)

    def _write(self, docs: list[Doc], refresh: bool = False) -> WriteResult:
        """Bulk thread: one batch; a batch accepted means the push-back is over."""
        result = self._writer.write(docs, refresh=refresh)
        self._backpressure.accepted()
        return result

    def _hold(self) -> None:
        self._backpressure.hold(self._inflight.futures())


def run_service(
    settings: Settings,
    *,
    until_idle_s: float | None = None,
    install_signals: bool = True,
    client: Any = None,
    consumer: KafkaConsumer | None = None,
) -> RunStats:
    """Wire the clients (real ones unless injected), prepare the cluster and run until SIGTERM/SIGINT
    (or idle)."""
    import signal

    from tradeties.common.metrics import serve_metrics
    from tradeties.search.client import client_for

    from .admin import ensure_ready

    serve_metrics(settings.indexer.metrics_host, settings.indexer.metrics_port)
    client = client or client_for(settings.elasticsearch)
    ensure_ready(client, settings.elasticsearch.index_prefix, settings.indexer)
    # Long-lived start-up objects leave the collector's view: full collections then only walk the
    # batches in hand, instead of stalling the loop for tenths of a second.
    gc.freeze()
    producer = kafka.producer(settings.kafka)
    consumer = consumer or make_consumer(settings)
    indexer = Indexer(settings, client, consumer, DeadLetterSink(producer, settings.kafka))
    if install_signals:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: indexer.stop())
    try:
        return indexer.run(until_idle_s=until_idle_s)
    finally:
        consumer.close(autocommit=False)
        producer.close(timeout=10)
