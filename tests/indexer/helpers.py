"""Shared steps of the indexer integration tests (real Kafka broker, real Elasticsearch node)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from tradeties.common import codec
from tradeties.common.events import DeadLetter, Event
from tradeties.common.indices import Kind, names_for
from tradeties.common.kafka import client_config, create_topics, name, producer_config
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic
from tradeties.common.waiting import wait_for  # noqa: F401 (the indexer tests import it from here)
from tradeties.search.client import client_for


def prepare(settings: Settings, **indexer: Any) -> Settings:
    """Unique consumer group per test, small batches, fast retries; topics created."""
    settings.indexer.group_id = f"{settings.kafka.topic_prefix}-indexer"
    settings.indexer.flush_interval_s = 0.2
    for k, v in indexer.items():
        setattr(settings.indexer, k, v)
    settings.retry.initial_s, settings.retry.max_s = 0.05, 0.5
    create_topics(settings.kafka)
    return settings


def es(settings: Settings) -> Elasticsearch:
    return client_for(settings.elasticsearch)


def produce(settings: Settings, topic: Topic, events: Iterable[Event | bytes], key: Callable[[Any], bytes] | None = None) -> int:
    producer = KafkaProducer(**producer_config(settings.kafka))
    n = 0
    try:
        for e in events:
            if isinstance(e, bytes):
                producer.send(name(settings.kafka, topic), key=b"poison", value=e)
            else:
                k = key(e) if key else _key(e)
                producer.send(name(settings.kafka, topic), key=k, value=codec.encode(e), headers=codec.headers_for(e))
            n += 1
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)
    return n


def _key(e: Event) -> bytes:
    if hasattr(e, "article"):
        return e.article.id.encode()
    return getattr(e, "alert_id", "").encode()


def alias(settings: Settings, kind: Kind = Kind.ARTICLES) -> str:
    return names_for(settings.elasticsearch.index_prefix)[kind].read_alias


def count(client: Elasticsearch, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index).body["count"])


def read_dead_letters(settings: Settings, topic: Topic, expected: int, timeout_s: float = 30.0) -> list[DeadLetter]:
    consumer = KafkaConsumer(
        **client_config(settings.kafka), group_id=None, auto_offset_reset="earliest", enable_auto_commit=False
    )
    tp = TopicPartition(name(settings.kafka, topic), 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    out: list[DeadLetter] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(out) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                out.extend(codec.decode(r.value, DeadLetter) for r in records)
    finally:
        consumer.close()
    return out


def committed_total(settings: Settings, topic: Topic) -> tuple[int, int]:
    """(sum of committed offsets of the indexer's group, sum of end offsets) over the topic's partitions."""
    consumer = KafkaConsumer(**client_config(settings.kafka), group_id=settings.indexer.group_id, enable_auto_commit=False)
    try:
        t = name(settings.kafka, topic)
        parts = [TopicPartition(t, p) for p in consumer.partitions_for_topic(t) or []]
        committed = sum(consumer.committed(tp) or 0 for tp in parts)
        end = sum(consumer.end_offsets(parts).values())
        return committed, end
    finally:
        consumer.close(autocommit=False)


def env_for(settings: Settings) -> dict[str, str]:
    """Environment that makes a `tradeties` subprocess use the same infrastructure and names."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADETIES_")}
    env.update(
        {
            "TRADETIES_KAFKA_BOOTSTRAP": settings.kafka.bootstrap,
            "TRADETIES_KAFKA_TOPIC_PREFIX": settings.kafka.topic_prefix,
            "TRADETIES_KAFKA_PARTITIONS": str(settings.kafka.partitions),
            "TRADETIES_ES_URL": settings.elasticsearch.url,
            "TRADETIES_ES_INDEX_PREFIX": settings.elasticsearch.index_prefix,
            "TRADETIES_INDEXER_GROUP_ID": settings.indexer.group_id,
            "TRADETIES_INDEXER_BATCH_SIZE": str(settings.indexer.batch_size),
            "TRADETIES_INDEXER_FLUSH_INTERVAL_S": str(settings.indexer.flush_interval_s),
            "TRADETIES_RETRY_INITIAL_S": str(settings.retry.initial_s),
            "TRADETIES_RETRY_MAX_S": str(settings.retry.max_s),
            "TRADETIES_LOG_LEVEL": "INFO",
        }
    )
    return env


TRADETIES = str(Path(sys.executable).parent / "tradeties")


def start_indexer(settings: Settings, *args: str) -> subprocess.Popen:
    """`tradeties indexer ARGS` on ``settings``. Output goes to files, not pipes: an unread pipe that
    fills up (warnings under load) would block the child and stall the test."""
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([TRADETIES, "indexer", *args], env=env_for(settings), stdout=out, stderr=err, text=True)
    proc.files = (out, err)  # type: ignore[attr-defined]
    return proc


def output(proc: subprocess.Popen, timeout: float | None = None) -> tuple[str, str]:
    """Wait for the process (when timeout is given) and return what it wrote (stdout, stderr)."""
    if timeout is not None:
        proc.wait(timeout=timeout)
    texts = []
    for f in proc.files:  # type: ignore[attr-defined]
        f.seek(0)
        texts.append(f.read())
    return texts[0], texts[1]
