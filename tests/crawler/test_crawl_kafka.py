"""The crawler against the fixture news web and the REAL Kafka broker (tests/conftest.py fixtures)."""

from __future__ import annotations

import time

import pytest
from kafka import KafkaConsumer, TopicPartition

from tradeties.common import codec
from tradeties.common.events import RawArticle
from tradeties.common.kafka import client_config, create_topics, name
from tradeties.common.topics import Topic
from tradeties.crawler.publisher import KafkaPublisher
from tradeties.crawler.service import Crawler
from tradeties.crawler.sources import SourcesFile
from tradeties.crawler.store import StateStore
from tradeties.newsweb import NewsWeb, load_records

from .helpers import SEEDS, fast_retry, fast_settings

pytestmark = pytest.mark.integration


def read_all(settings, expected_at_least: int, *, deadline_s: float = 60.0) -> list[RawArticle]:
    """Every RawArticle on the topic (polls until the end offsets are read, within a deadline)."""
    topic = name(settings.kafka, Topic.RAW_ARTICLES)
    consumer = KafkaConsumer(**client_config(settings.kafka), enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        end = consumer.end_offsets(parts)
        out: list[RawArticle] = []
        stop = time.monotonic() + deadline_s
        while time.monotonic() < stop:
            for records in consumer.poll(timeout_ms=500).values():
                for r in records:
                    article = codec.decode(r.value, RawArticle)
                    assert r.key == article.id.encode()
                    out.append(article)
            if all(consumer.position(p) >= end[p] for p in parts) and len(out) >= expected_at_least:
                break
        return out
    finally:
        consumer.close()


async def crawl_once(web, settings, tmp_path):
    cs = fast_settings(tmp_path)
    store = StateStore(cs.state_path)
    publisher = KafkaPublisher.from_settings(settings.kafka, timeout_s=30)
    try:
        async with Crawler(sources=SourcesFile.model_validate(web.sources()), crawler=cs, retry=fast_retry(),
                           store=store, publisher=publisher) as crawler:
            await crawler.run_pass()
        return crawler.stats
    finally:
        publisher.close()
        store.close()


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
