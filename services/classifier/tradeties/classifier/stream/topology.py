"""The classifier's topics: the registry topics it reads and writes, plus its internal ones.

Internal topics belong to one classifier application (their names carry the faust app id) and are
co-partitioned by construction: the delegation-reports topic (keyed by alert id) has as many
partitions as the alerts topic, and each table's changelog as many as the topic its agent reads,
because faust writes a table entry to the changelog partition of the event being processed.
Everything is created up front; faust itself never declares a topic (``topic_allow_declare=False``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import structlog
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from tradeties.common import kafka
from tradeties.common.errors import ConfigError
from tradeties.common.groups import classifier_group
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic, spec_for

log = structlog.get_logger(__name__)


def partitions_of(settings: Settings, topic: Topic) -> int:
    return spec_for(topic).partitions or settings.kafka.partitions


def app_id(settings: Settings) -> str:
    """faust app id and consumer group (named in tradeties.common.groups, which deploy/k8s follows)."""
    return classifier_group(settings)


@dataclass(frozen=True)
class Topology:
    raw: str
    classified: str
    alerts: str
    dlq_classifier: str
    dlq_alerts: str
    raw_partitions: int
    alerts_partitions: int
    #: ClassifiedArticles of delegation events re-keyed by alert id (input of the alerts agent).
    reports: str
    #: Changelog of the alert-state table (alert id → current DelegationAlert).
    alert_state: str
    #: Changelog of the delivery table (alert id → delivered revision per webhook).
    deliveries: str

    @classmethod
    def of(cls, settings: Settings) -> Topology:
        k, base = settings.kafka, app_id(settings)
        return cls(
            raw=kafka.name(k, Topic.RAW_ARTICLES),
            classified=kafka.name(k, Topic.CLASSIFIED_ARTICLES),
            alerts=kafka.name(k, Topic.ALERTS),
            dlq_classifier=kafka.name(k, Topic.DLQ_CLASSIFIER),
            dlq_alerts=kafka.name(k, Topic.DLQ_ALERTS),
            raw_partitions=partitions_of(settings, Topic.RAW_ARTICLES),
            alerts_partitions=partitions_of(settings, Topic.ALERTS),
            # faust's own names for a table's changelog: {app id}-{table}-changelog.
            reports=f"{base}-delegation-reports",
            alert_state=f"{base}-alert-state-changelog",
            deliveries=f"{base}-webhook-deliveries-changelog",
        )

    def internal(self, replication_factor: int) -> list[NewTopic]:
        compact = {"cleanup.policy": "compact"}
        n = self.alerts_partitions
        return [
            NewTopic(self.reports, n, replication_factor),
            NewTopic(self.alert_state, n, replication_factor, topic_configs=compact),
            NewTopic(self.deliveries, n, replication_factor, topic_configs=compact),
        ]


def ensure_topics(settings: Settings, *, timeout_s: float = 30.0) -> Topology:
    """Create the registry topics and this app's internal topics (idempotent); check partitions."""
    kafka.create_topics(settings.kafka, timeout_s=timeout_s)
    topology = Topology.of(settings)
    admin = kafka.admin_client(settings.kafka, timeout_s=timeout_s)
    try:
        # The broker's counts, not the registry's: an operator may have grown a data topic.
        have = _partition_counts(admin, [topology.raw, topology.alerts], timeout_s)
        topology = replace(topology, raw_partitions=have[topology.raw], alerts_partitions=have[topology.alerts])
        wanted = {t.name: t for t in topology.internal(settings.kafka.replication_factor)}
        existing = set(admin.list_topics())
        for name, new in wanted.items():
            if name in existing:
                continue
            try:
                admin.create_topics([new], timeout_ms=int(timeout_s * 1000))
                log.info("topic created", topic=name, partitions=new.num_partitions)
            except TopicAlreadyExistsError:
                pass
        for name, count in _partition_counts(admin, list(wanted), timeout_s).items():
            # Unlike a data topic, a changelog with MORE partitions is wrong too: faust refuses it.
            if count != wanted[name].num_partitions:
                raise ConfigError(f"topic {name} has {count} partitions, the classifier needs {wanted[name].num_partitions}")
        return topology
    finally:
        admin.close()


def _partition_counts(admin: KafkaAdminClient, names: list[str], timeout_s: float) -> dict[str, int]:
    """Partitions per topic, waiting out the moment after creation when metadata shows none."""
    deadline = time.monotonic() + timeout_s
    while True:
        counts = {m["name"]: len(m["partitions"]) for m in admin.describe_topics(names)}
        if all(counts.get(n) for n in names) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)
