"""The crawler against the fixture news web and the REAL Kafka broker (tests/conftest.py fixtures)."""

from __future__ import annotations

import time

import pytest
from kafka import KafkaConsumer, TopicPartition

from tradeties.common import codec
from tradeties.common.events import DeadLetter, RawArticle
from tradeties.common.kafka import client_config, create_topics, name
from tradeties.common.topics import Topic
from tradeties.crawler.publisher import KafkaPublisher
from tradeties.newsweb import NewsWeb, load_records

from .helpers import SEEDS
from .hostile_web import crawl, slow_page_web

pytestmark = pytest.mark.integration


def read_all(settings, expected_at_least: int, *, deadline_s: float = 60.0) -> list[RawArticle]:
    """Every RawArticle on the topic, each keyed by its id."""
    records = read_topic(settings, Topic.RAW_ARTICLES, expected_at_least, deadline_s=deadline_s)
    articles = [codec.decode(r.value, RawArticle) for r in records]
    assert all(r.key == a.id.encode() for r, a in zip(records, articles, strict=True))
    return articles


def read_topic(settings, topic: Topic, expected_at_least: int, *, deadline_s: float = 60.0) -> list:
    """Every record on ``topic`` (polls until the end offsets are read, within a deadline)."""
    t = name(settings.kafka, topic)
    consumer = KafkaConsumer(**client_config(settings.kafka), enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        parts = [TopicPartition(t, p) for p in consumer.partitions_for_topic(t) or []]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        end = consumer.end_offsets(parts)
        out: list = []
        stop = time.monotonic() + deadline_s
        while time.monotonic() < stop:
            for records in consumer.poll(timeout_ms=500).values():
                out.extend(records)
            if all(consumer.position(p) >= end[p] for p in parts) and len(out) >= expected_at_least:
                break
        return out
    finally:
        consumer.close()


async def crawl_once(web, settings, tmp_path):
    publisher = KafkaPublisher.from_settings(settings.kafka, timeout_s=30)
    try:
        crawler, store, _ = await crawl(web, tmp_path, publisher=publisher)
        store.close()
        return crawler.stats
    finally:
        publisher.close()


async def test_published_once_to_kafka_and_restart_adds_nothing(settings, tmp_path):
    create_topics(settings.kafka)
    async with NewsWeb.build(load_records(SEEDS), faults=True) as web:
        stats = await crawl_once(web, settings, tmp_path)
        assert stats.published >= 5
        articles = read_all(settings, stats.published)
        assert len(articles) == stats.published
        assert len({a.id for a in articles}) == len(articles)
        assert len({a.canonical_url for a in articles}) == len(articles)

        again = await crawl_once(web, settings, tmp_path)  # restart on the same state file
        assert again.published == 0
        assert len(read_all(settings, len(articles), deadline_s=5)) == len(articles)


async def test_a_page_that_times_out_twice_is_one_dead_letter_and_the_good_ones_are_published(
    settings, tmp_path, extraction_deadline
):
    create_topics(settings.kafka)
    web, good = slow_page_web("127.0.0.42")
    publisher = KafkaPublisher.from_settings(settings.kafka, timeout_s=30)
    try:
        async with web:
            crawler, store, _ = await crawl(
                web, tmp_path, publisher=publisher, extract_workers=1, extract_timeout_s=extraction_deadline(good)
            )
            assert crawler._extraction.replaced == 2  # the slow page, tried twice: its worker killed and replaced each time
        slow = web.outlets[0].url("/slow")
        assert store.url_state(slow)[:1] == ("rejected",)
        store.close()
    finally:
        publisher.close()  # flushes: every dead letter acked (or counted lost) before this returns
    assert crawler.stats.errors["extract_timeout"] == 1
    assert "dead_letter_lost" not in crawler.stats.errors

    (record,) = read_topic(settings, Topic.DLQ_CRAWLER, 1)
    letter = codec.decode(record.value, DeadLetter)
    assert record.key == slow.encode() == letter.key == letter.original
    assert (letter.stage, letter.error_type) == ("crawler", "extract_timeout")
    assert "extraction failed twice" in letter.error_message
    assert letter.headers["kind"] == "article"

    assert sorted(a.title for a in read_all(settings, 3)) == ["Good story 0", "Good story 1", "Good story 2"]
