"""What the pipeline has done so far, read from the outside: Kafka offsets, consumer-group lag,
Elasticsearch counts and the crawler's Prometheus counter.

Used by the status line of ``tradeties run``, by the demo's "wait until everything is indexed" and
by the end-to-end tests. Every probe tolerates a component being down (its figure is None) so a
status line never kills the supervisor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from tradeties.common.kafka import client_config, name
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic, dead_letter_topics

log = structlog.get_logger(__name__)

_FETCHED = re.compile(r"^(\w*fetch\w*_total)(\{[^}]*\})?\s+([0-9.e+]+)$", re.M)


def consumer_groups(settings: Settings) -> dict[str, list[Topic]]:
    """Which consumer group reads which topics (the classifier's group is its faust app id)."""
    from tradeties.classifier.stream.topology import app_id  # faust's group id is the (prefixed) app id

    return {
        app_id(settings): [Topic.RAW_ARTICLES],
        settings.indexer.group_id: [Topic.CLASSIFIED_ARTICLES, Topic.ALERTS],
    }


@dataclass
class Progress:
    fetched: int | None = None
    published: int | None = None
    classified: int | None = None
    indexed: int | None = None
    alerts: int | None = None
    dead_letters: int | None = None
    #: topic suffix → lag of the group that consumes it (None: group or broker unknown).
    lag: dict[str, int | None] = field(default_factory=dict)

    def line(self) -> str:
        def f(v: Any) -> str:
            return "-" if v is None else str(v)

        lag = " ".join(f"{t}={f(v)}" for t, v in self.lag.items())
        return (
            f"fetched={f(self.fetched)} published={f(self.published)} classified={f(self.classified)} "
            f"indexed={f(self.indexed)} alerts={f(self.alerts)} dead_letters={f(self.dead_letters)} lag[{lag}]"
        )

    @property
    def settled(self) -> bool:
        """Every consumer caught up (lag 0 everywhere it is known, and known everywhere)."""
        return bool(self.lag) and all(v == 0 for v in self.lag.values())

    def counts(self) -> tuple:
        return (self.published, self.classified, self.indexed, self.alerts, self.dead_letters)


def _group_offsets(admin: KafkaAdminClient, group: str) -> dict:
    """Committed offsets of a group (kafka-python 3 renamed the admin call)."""
    if hasattr(admin, "list_group_offsets"):
        return admin.list_group_offsets({group: None}).get(group, {})
    return admin.list_consumer_group_offsets(group)


class ProgressProbe:
    def __init__(self, settings: Settings, *, crawler_metrics_url: str | None = None) -> None:
        self._s = settings
        self._metrics_url = crawler_metrics_url
        self._consumer: KafkaConsumer | None = None
        self._admin: KafkaAdminClient | None = None
        self._es = None

    # -- Kafka ---------------------------------------------------------------------------------
    def _kafka(self) -> tuple[KafkaConsumer, KafkaAdminClient]:
        if self._consumer is None or self._admin is None:
            cfg = client_config(self._s.kafka)
            self._consumer = KafkaConsumer(**cfg, enable_auto_commit=False, request_timeout_ms=10_000)
            self._admin = KafkaAdminClient(**cfg, request_timeout_ms=10_000)
        return self._consumer, self._admin

    def _partitions(self, consumer: KafkaConsumer, topic: Topic) -> list[TopicPartition]:
        t = name(self._s.kafka, topic)
        parts = consumer.partitions_for_topic(t) or set()
        return [TopicPartition(t, p) for p in sorted(parts)]

    def end_offsets(self, topic: Topic) -> dict[TopicPartition, int]:
        consumer, _ = self._kafka()
        parts = self._partitions(consumer, topic)
        return consumer.end_offsets(parts) if parts else {}

    def messages(self, topic: Topic) -> int:
        """Messages ever written to a topic (sum of end offsets minus beginnings)."""
        consumer, _ = self._kafka()
        parts = self._partitions(consumer, topic)
        if not parts:
            return 0
        ends, begins = consumer.end_offsets(parts), consumer.beginning_offsets(parts)
        return sum(ends[p] - begins[p] for p in parts)

    def lag(self, group: str, topic: Topic) -> int:
        consumer, admin = self._kafka()
        ends = self.end_offsets(topic)
        committed = {tp: om.offset for tp, om in _group_offsets(admin, group).items()}
        begins = consumer.beginning_offsets(list(ends)) if ends else {}
        # No commit yet: the group starts from the beginning (auto.offset.reset=earliest).
        return sum(
            max(0, end - (committed.get(tp, -1) if committed.get(tp, -1) >= 0 else begins[tp])) for tp, end in ends.items()
        )

    # -- Elasticsearch -------------------------------------------------------------------------
    def _client(self):
        if self._es is None:
            from tradeties.pipeline.es import client_for

            self._es = client_for(self._s.elasticsearch)
        return self._es

    def es_count(self, kind: str) -> int:
        from tradeties.pipeline.es import read_alias

        alias = read_alias(self._s.elasticsearch.index_prefix, kind)
        es = self._client()
        es.indices.refresh(index=alias)
        return int(es.count(index=alias).body["count"])

    # -- crawler -------------------------------------------------------------------------------
    def fetched(self) -> int | None:
        if not self._metrics_url:
            return None
        text = httpx.get(self._metrics_url, timeout=2.0).text
        return int(sum(float(m.group(3)) for m in _FETCHED.finditer(text)))

    # -- all of it -----------------------------------------------------------------------------
    def snapshot(self) -> Progress:
        p = Progress()
        p.fetched = self._try(self.fetched)
        p.published = self._try(self.messages, Topic.RAW_ARTICLES)
        p.classified = self._try(self.messages, Topic.CLASSIFIED_ARTICLES)
        p.dead_letters = self._try(lambda: sum(self.messages(t) for t in dead_letter_topics()))
        p.indexed = self._try(self.es_count, "articles")
        p.alerts = self._try(self.es_count, "alerts")
        for group, topics in consumer_groups(self._s).items():
            for topic in topics:
                p.lag[topic.value] = self._try(self.lag, group, topic)
        return p

    def _try(self, fn, *args):
        try:
            return fn(*args)
        except Exception as exc:
            log.debug("probe failed", probe=getattr(fn, "__name__", "probe"), error=str(exc)[:200])
            if isinstance(exc, (OSError,)) or "Kafka" in type(exc).__name__:
                self.close()
            return None

    def close(self) -> None:
        for c in (self._consumer, self._admin):
            try:
                if c is not None:
                    c.close()
            except Exception:
                pass
        self._consumer = self._admin = None
