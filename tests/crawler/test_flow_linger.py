"""The crawler's producer lingers longer only while articles flow (a real broker's producer)."""

from __future__ import annotations

import pytest
from kafka import KafkaProducer

from tradeties.common.kafka import create_topics, name, producer_config
from tradeties.common.topics import Topic
from tradeties.crawler.publisher import flow_linger

pytestmark = pytest.mark.integration


def test_linger_is_long_while_records_flow_and_short_after_a_pause(settings):
    create_topics(settings.kafka)
    producer = KafkaProducer(**producer_config(settings.kafka))
    now = [100.0]
    linger = flow_linger(producer, 200, clock=lambda: now[0])
    config = producer._accumulator.config  # what the sender thread reads at each readiness check
    seen = []
    try:
        # a steady stream, a pause, a pair found together, another pause, a steady stream again
        for gap in (0.0, 0.05, 0.1, 0.5, 0.0, 0.5, 0.05, 0.05):
            now[0] += gap
            linger.sending()
            seen.append(config["linger_ms"])
            producer.send(name(settings.kafka, Topic.RAW_ARTICLES), key=b"k", value=b"v").get(timeout=30)
    finally:
        producer.close(timeout=10)
    idle = settings.kafka.linger_ms
    assert seen == [idle, idle, 200, idle, idle, idle, idle, 200]


def test_a_busy_linger_below_the_configured_one_changes_nothing(settings):
    producer = KafkaProducer(**producer_config(settings.kafka))
    try:
        linger = flow_linger(producer, 0)
        linger.sending()
        linger.sending()
        assert producer._accumulator.config["linger_ms"] == settings.kafka.linger_ms
    finally:
        producer.close(timeout=10)


def test_the_last_record_in_hand_lingers_only_linger_ms(settings):
    """A record sent with ``more_coming`` False ends the long linger: the batch lingering with it
    goes out after ``linger_ms``, not after the busy linger (the sender thread is woken)."""
    create_topics(settings.kafka)
    producer = KafkaProducer(**producer_config(settings.kafka))
    linger = flow_linger(producer, 600_000)
    config = producer._accumulator.config
    topic = name(settings.kafka, Topic.RAW_ARTICLES)
    try:
        for _ in range(2):
            linger.sending()
            producer.send(topic, key=b"k", value=b"v").get(timeout=30)
        linger.sending()
        assert config["linger_ms"] == 600_000  # flowing: this batch would wait ten minutes
        lingering = producer.send(topic, key=b"k", value=b"v")
        linger.sending(more_coming=False)
        assert config["linger_ms"] == settings.kafka.linger_ms
        last = producer.send(topic, key=b"k", value=b"v")
        last.get(timeout=30)
        assert lingering.is_done and lingering.succeeded()
    finally:
        producer.close(timeout=10)
