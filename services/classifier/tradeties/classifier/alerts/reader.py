"""Reading the alerts topic from the beginning: the newest revision of every alert.

Reads Kafka directly (no consumer group, nothing committed), so `tradeties alerts` works without
Elasticsearch and never disturbs the running service.
"""

from __future__ import annotations

import time

import structlog
from kafka import TopicPartition
from kafka.errors import KafkaConnectionError

from tradeties.common import codec, kafka
from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.events import DelegationAlert
from tradeties.common.reachability import Unreachable
from tradeties.common.settings import KafkaSettings
from tradeties.common.topics import Topic

log = structlog.get_logger(__name__)


def newest(alerts: list[DelegationAlert]) -> list[DelegationAlert]:
    """Newest revision per alert id, oldest event first."""
    best: dict[str, DelegationAlert] = {}
    for alert in alerts:
        if alert.alert_id not in best or alert.revision > best[alert.alert_id].revision:
            best[alert.alert_id] = alert
    return sorted(best.values(), key=lambda a: (a.first_seen_at, a.alert_id))


def read_alerts(settings: KafkaSettings, *, timeout_s: float = 30.0) -> list[DelegationAlert]:
    """Every alert on the topic up to its end offsets at call time (newest revision of each)."""
    topic = kafka.name(settings, Topic.ALERTS)
    try:
        consumer = kafka.consumer(settings, enable_auto_commit=False, group_id=None)
    except KafkaConnectionError as exc:
        raise Unreachable("Kafka", settings.bootstrap, "no broker answered") from exc
    try:
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            return []
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        found: list[DelegationAlert] = []
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < end[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise RetryableError(f"reading {topic} did not reach its end within {timeout_s}s")
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    try:
                        found.append(codec.decode(record.value, DelegationAlert))
                    except PermanentError as exc:  # not ours to dead-letter here; say so and go on
                        log.warning("unreadable alert", partition=record.partition, offset=record.offset, reason=exc.reason)
        return newest(found)
    finally:
        consumer.close()
