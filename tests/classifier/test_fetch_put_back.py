"""Records a fetch hands out once faust's flow has stopped are put back, against the real broker
(tradeties.classifier.stream.faust_compat.FetchBatchingThread, hole 4).

The classifier's own consumer thread, with its aiokafka consumer on the session's broker: a fetch is
waiting when the flow stops (a rebalance begins; a table recovery has sought its changelogs and not yet
resumed the flow), then records arrive. faust's ``Consumer.getmany`` drops whatever that fetch returns
while its flow is stopped, and aiokafka's position is past it: a changelog partition's records lost
that way were never fetched again and the recovery waited for them for good."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiokafka import TopicPartition
from faust.types import TP
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from service_fakes import TitleClassifier

from tradeties.classifier.stream.app import create_app
from tradeties.common import kafka

pytestmark = pytest.mark.integration


async def eventually(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")
        await asyncio.sleep(0.05)


def produce(settings, topic: str, n: int) -> None:
    producer = KafkaProducer(**kafka.client_config(settings.kafka))
    try:
        for i in range(n):
            producer.send(topic, key=f"k{i}".encode(), value=f"v{i}".encode(), partition=0)
        producer.flush(30)
    finally:
        producer.close()


async def test_records_fetched_once_the_flow_stopped_are_fetched_again(settings, tmp_path):
    settings.classifier.data_dir = tmp_path
    topic = f"{settings.kafka.topic_prefix}.fetched-while-stopped"
    admin = KafkaAdminClient(**kafka.client_config(settings.kafka))
    try:
        admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        admin.close()
    app = create_app(settings, TitleClassifier())
    consumer, thread = app.consumer, app.consumer._thread
    tp = TP(topic, 0)
    await thread.start()
    try:
        aio = thread._ensure_consumer()

        async def assign() -> None:
            aio.assign([TopicPartition(*tp)])
            await aio.seek_to_beginning(TopicPartition(*tp))

        await thread.call_thread(assign)
        consumer.resume_flow()
        fetch = asyncio.ensure_future(consumer._getmany({tp}, timeout=60.0))
        # The fetch waits in aiokafka for records (the topic is empty) when the flow stops.
        await eventually(lambda: aio._fetcher._fetch_waiters, 30, "the fetch waiting for records")
        consumer.stop_flow()
        await asyncio.get_running_loop().run_in_executor(None, produce, settings, topic, 3)
        handed = await asyncio.wait_for(fetch, 60)
        assert handed == {}, "records handed to faust while its flow is stopped (its getmany drops them)"
        assert await consumer.position(tp) == 0, "put back where the fetch found them"
        consumer.resume_flow()
        again = await consumer._getmany({tp}, timeout=30.0)
        assert [r.offset for r in again.get(tp, [])] == [0, 1, 2]
    finally:
        await thread.stop()
