"""The one registry of Kafka topics: names, partitions, keys, retention and dead-letter routes.

Names are ``{prefix}.{suffix}`` with the prefix from settings (``TRADETIES_KAFKA_TOPIC_PREFIX``),
so two pipelines (or two test sessions) can share a broker without touching each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .events import ClassifiedArticle, DeadLetter, DelegationAlert, Event, RawArticle


class Topic(str, Enum):
    RAW_ARTICLES = "articles.raw"
    CLASSIFIED_ARTICLES = "articles.classified"
    ALERTS = "alerts.delegation"
    DLQ_CLASSIFIER = "dlq.classifier"
    DLQ_INDEXER = "dlq.indexer"
    DLQ_ALERTS = "dlq.alerts"
    DLQ_CRAWLER = "dlq.crawler"


@dataclass(frozen=True)
class TopicSpec:
    topic: Topic
    model: type[Event]
    key: str
    #: None → the configured default partition count (settings.kafka.partitions).
    partitions: int | None = None
    compacted: bool = False
    #: Where messages this topic's consumers cannot process go.
    dead_letter: Topic | None = None
    doc: str = ""


REGISTRY: dict[Topic, TopicSpec] = {
    s.topic: s
    for s in (
        TopicSpec(
            Topic.RAW_ARTICLES,
            RawArticle,
            "article id",
            dead_letter=Topic.DLQ_CLASSIFIER,
            doc="Crawler → classifier: one RawArticle per new article.",
        ),
        TopicSpec(
            Topic.CLASSIFIED_ARTICLES,
            ClassifiedArticle,
            "article id",
            dead_letter=Topic.DLQ_INDEXER,
            doc="Classifier → indexer: every article with its classification.",
        ),
        TopicSpec(
            Topic.ALERTS,
            DelegationAlert,
            "alert id",
            compacted=True,
            dead_letter=Topic.DLQ_ALERTS,
            doc="Classifier → indexer and webhooks: newest revision of each delegation alert.",
        ),
        TopicSpec(
            Topic.DLQ_CLASSIFIER,
            DeadLetter,
            "original key",
            partitions=1,
            doc="Raw articles the classifier could not decode or classify.",
        ),
        TopicSpec(
            Topic.DLQ_INDEXER,
            DeadLetter,
            "original key",
            partitions=1,
            doc="Classified articles or documents the indexer could not store.",
        ),
        TopicSpec(
            Topic.DLQ_ALERTS, DeadLetter, "original key", partitions=1, doc="Alerts that could not be indexed or delivered."
        ),
        TopicSpec(
            Topic.DLQ_CRAWLER,
            DeadLetter,
            "page URL",
            partitions=1,
            doc="Article pages the crawler gave up on (failed for good, e.g. extraction timed out twice).",
        ),
    )
}


def topic_name(topic: Topic, prefix: str) -> str:
    return f"{prefix}.{topic.value}" if prefix else topic.value


def spec_for(topic: Topic) -> TopicSpec:
    return REGISTRY[topic]


def dead_letter_topics() -> list[Topic]:
    """Every topic of dead letters, in registry order."""
    return [s.topic for s in REGISTRY.values() if s.model is DeadLetter]
