"""Kafka records → documents to write, or dead letters for poison messages (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tradeties.common import codec
from tradeties.common.dead_letters import dead_letter
from tradeties.common.errors import PermanentError
from tradeties.common.events import ClassifiedArticle, DeadLetter, DelegationAlert
from tradeties.common.indices import KIND_OF_TOPIC, SOURCE_TOPIC, Kind
from tradeties.common.settings import KafkaSettings
from tradeties.common.topics import Topic, topic_name

from .documents import alert_document, alert_version, article_document, article_version
from .writer import Doc


@dataclass(frozen=True)
class Poison:
    record: Any
    topic: Topic
    letter: DeadLetter


def topics_by_name(kafka: KafkaSettings) -> dict[str, Topic]:
    return {topic_name(t, kafka.topic_prefix): t for t in SOURCE_TOPIC.values()}


def to_doc(record: Any, topic: Topic, targets: dict[Kind, str], now: datetime, consumer: str | None = None) -> Doc | Poison:
    """``record`` is a kafka-python ConsumerRecord of one of the source topics, read by the consumer
    group ``consumer`` (named in a dead letter)."""
    kind = KIND_OF_TOPIC[topic]
    try:
        if kind is Kind.ARTICLES:
            event = codec.decode(record.value, ClassifiedArticle)
            return Doc(
                targets[kind], event.article.id, article_version(event), article_document(event, now), ref=record, kind=kind.value
            )
        alert = codec.decode(record.value, DelegationAlert)
        return Doc(targets[kind], alert.alert_id, alert_version(alert), alert_document(alert, now), ref=record, kind=kind.value)
    except PermanentError as exc:
        return Poison(record, topic, dead_letter("indexer", record, exc.reason, str(exc), consumer=consumer, failed_at=now))
