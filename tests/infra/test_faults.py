"""The `local_infra` fixture drives the session's services for fault tests: kill, stop, restart."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

pytestmark = pytest.mark.integration


def test_kafka_survives_sigkill_with_acknowledged_data(local_infra, settings, unique):
    topic = f"{unique}.durable"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    admin.create_topics({topic: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True)
    admin.close()
    producer = KafkaProducer(bootstrap_servers=settings.kafka.bootstrap, acks="all")
    producer.send(topic, value=b"before the crash").get(timeout=30)
    producer.close()

    assert local_infra.kafka.kill()
    assert not local_infra.kafka.healthy()
    assert local_infra.kafka.start()
    local_infra.kafka.wait_healthy()

    consumer = KafkaConsumer(
        topic, bootstrap_servers=settings.kafka.bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=30_000
    )
    try:
        assert next(iter(consumer)).value == b"before the crash"
    finally:
        consumer.close()


def test_elasticsearch_stop_and_start_keeps_documents(local_infra, settings):
    es = Elasticsearch(settings.elasticsearch.url, request_timeout=30)
    index = f"{settings.elasticsearch.index_prefix}-kept"
    es.index(index=index, id="1", document={"title": "kept"}, refresh=True)

    assert local_infra.elasticsearch.stop()
    assert not local_infra.elasticsearch.healthy()
    assert not local_infra.elasticsearch.stop()  # stopping twice is a no-op
    local_infra.elasticsearch.start()
    local_infra.elasticsearch.wait_healthy()
    assert es.get(index=index, id="1")["_source"] == {"title": "kept"}
