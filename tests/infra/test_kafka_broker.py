"""The real local broker speaks to both Python clients the services use (kafka-python and aiokafka)."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from tradeties.common.kafka import client_config, producer_config

pytestmark = pytest.mark.integration


def _create(bootstrap: str, topic: str, partitions: int = 3) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics({topic: {"num_partitions": partitions, "replication_factor": 1}}, wait_for_metadata=True)
    finally:
        admin.close()


def test_kafka_python_produces_and_consumes(settings, unique):
    topic = f"{unique}.roundtrip"
    _create(settings.kafka.bootstrap, topic)
    producer = KafkaProducer(**producer_config(settings.kafka))
    sent = {f"key-{i}".encode(): f"value-{i}".encode() for i in range(20)}
    for key, value in sent.items():
        producer.send(topic, key=key, value=value, headers=[("h", b"1")])
    producer.flush(timeout=30)
    producer.close()

    consumer = KafkaConsumer(
        topic,
        **client_config(settings.kafka),
        group_id=f"{unique}-g",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=30_000,
    )
    got = {}
    try:
        for message in consumer:
            got[message.key] = message.value
            assert message.headers == [("h", b"1")]
            if len(got) == len(sent):
                break
        consumer.commit()
    finally:
        consumer.close()
    assert got == sent


async def test_aiokafka_produces_and_consumes(settings, unique):
    topic = f"{unique}.aio"
    _create(settings.kafka.bootstrap, topic)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for i in range(10):
            await producer.send_and_wait(topic, key=f"k{i}".encode(), value=f"v{i}".encode())
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka.bootstrap,
        group_id=f"{unique}-g",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    got = set()
    try:
        async with asyncio.timeout(60):
            async for message in consumer:
                got.add(message.value)
                if len(got) == 10:
                    break
        await consumer.commit()
        committed = {tp: await consumer.committed(tp) for tp in consumer.assignment()}
    finally:
        await consumer.stop()
    assert got == {f"v{i}".encode() for i in range(10)}
    assert sum(committed.values()) == 10


def test_topics_are_not_auto_created(settings, unique):
    """The registry is the only source of topics: producing to an unknown topic must not create it."""
    from kafka.errors import KafkaTimeoutError

    producer = KafkaProducer(**client_config(settings.kafka), max_block_ms=2000)
    try:
        with pytest.raises(KafkaTimeoutError):
            producer.send(f"{unique}.nobody-created-me", value=b"x").get(timeout=5)
    finally:
        producer.close()
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        assert f"{unique}.nobody-created-me" not in admin.list_topics()
    finally:
        admin.close()
