"""Consumer groups and the classifier's internal topics: the one place their names are made.

The classifier (a faust app) uses its app id, prefixed like the registry topics, as its consumer
group, and names its own topics (table changelogs, the leader topic) ``{group}-…``. The indexer's
group is its setting as is. deploy/k8s (KafkaUser ACLs, KEDA triggers) must grant and watch exactly
these names; tests/deploy/test_k8s.py derives them from here and fails on a mismatch.
"""

from __future__ import annotations

from .settings import Settings


def classifier_group(settings: Settings) -> str:
    """faust app id and consumer group: one per topic prefix, so pipelines on one broker stay apart."""
    prefix = settings.kafka.topic_prefix
    return f"{prefix}.{settings.classifier.app_id}" if prefix else settings.classifier.app_id


def classifier_internal_topics_prefix(settings: Settings) -> str:
    """faust creates its changelog and leader topics under this name prefix."""
    return f"{classifier_group(settings)}-"


def consumer_groups(settings: Settings) -> dict[str, str]:
    """Worker name → its consumer group."""
    return {"classifier": classifier_group(settings), "indexer": settings.indexer.group_id}
