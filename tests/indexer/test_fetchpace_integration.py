"""The indexer's consumer on the real broker: fetches wait for more only while records flow, and
every record still arrives."""

from __future__ import annotations

import threading
import time

import pytest
from kafka import KafkaProducer

from tradeties.common.kafka import name, producer_config
from tradeties.common.topics import Topic
from tradeties.indexer.fetchpace import flowing
from tradeties.indexer.service import make_consumer

from .helpers import prepare, wait_for

pytestmark = pytest.mark.integration


def test_flowing_rule():
    assert flowing(True, False, 0.05, 200)  # records soon after the last ones: the stream flows
    assert not flowing(True, False, 0.5, 200)  # records further apart than the busy wait
    assert flowing(True, True, 0.2, 200)  # a busy fetch that brought records keeps it flowing
    assert not flowing(False, True, 0.2, 200)  # none: back to answered-at-once


def _options(consumer) -> tuple[int, int]:
    config = consumer._fetcher.config
    return config["fetch_min_bytes"], config["fetch_max_wait_ms"]


def _consume(settings, gap_s: float, n: int) -> tuple[set[tuple[int, int]], int]:
    """Produce ``n`` records ``gap_s`` apart while polling; the fetch options seen and the records read."""
    topic = name(settings.kafka, Topic.CLASSIFIED_ARTICLES)
    consumer = make_consumer(settings)
    producer = KafkaProducer(**{**producer_config(settings.kafka), "linger_ms": 0})
    wait_for(lambda: bool(consumer.partitions_for_topic(topic)), 30, "the topic's metadata")  # else an empty assignment
    consumer.subscribe([topic])
    seen: set[tuple[int, int]] = set()
    read = 0
    try:
        wait_for(lambda: consumer.poll(timeout_ms=100) == {} and bool(consumer.assignment()), 60, "partitions assigned")

        def send() -> None:
            for i in range(n):
                producer.send(topic, key=b"k%d" % i, value=b"v" * 200)
                producer.flush()
                time.sleep(gap_s)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 60 + n * gap_s
        while read < n and time.monotonic() < deadline:
            read += sum(len(r) for r in consumer.poll(timeout_ms=50).values())
            seen.add(_options(consumer))
        sender.join()
        idle = settings.kafka.fetch_min_bytes, settings.kafka.fetch_max_wait_ms
        wait_for(lambda: consumer.poll(timeout_ms=50) == {} and _options(consumer) == idle, 10, "the idle fetch options back")
        return seen, read
    finally:
        producer.close(timeout=10)
        consumer.close(autocommit=False)


def test_fetches_wait_for_more_while_records_flow_and_lose_nothing(settings):
    prepare(settings)
    busy = settings.kafka.fetch_busy_min_bytes, settings.indexer.fetch_busy_wait_ms
    seen, read = _consume(settings, gap_s=0.01, n=300)
    assert read == 300
    assert busy in seen


def test_fetches_stay_answered_at_once_at_a_low_rate(settings):
    prepare(settings)
    settings.indexer.fetch_busy_wait_ms = 100
    seen, read = _consume(settings, gap_s=0.4, n=5)
    assert read == 5
    assert seen == {(settings.kafka.fetch_min_bytes, settings.kafka.fetch_max_wait_ms)}
