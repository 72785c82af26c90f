"""`tradeties topics create` against the real broker: creates the registry once, then reports 'exists'."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from tradeties.common.errors import ConfigError
from tradeties.common.kafka import create_topics, name
from tradeties.common.topics import REGISTRY, Topic

pytestmark = pytest.mark.integration

TRADETIES = Path(sys.executable).with_name("tradeties")


def test_create_topics_is_idempotent(settings):
    first = create_topics(settings.kafka)
    assert set(first) == {name(settings.kafka, t) for t in REGISTRY}
    assert set(first.values()) == {"created"}
    assert set(create_topics(settings.kafka).values()) == {"exists"}

    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        described = {t["name"]: t for t in admin.describe_topics(list(first))}
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name(settings.kafka, Topic.ALERTS))])
    finally:
        admin.close()
    assert len(described[name(settings.kafka, Topic.RAW_ARTICLES)]["partitions"]) == settings.kafka.partitions
    assert len(described[name(settings.kafka, Topic.DLQ_INDEXER)]["partitions"]) == 1
    assert "compact" in str(configs)


def test_too_few_partitions_is_a_config_error(settings):
    raw = name(settings.kafka, Topic.RAW_ARTICLES)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        admin.create_topics({raw: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True)
    finally:
        admin.close()
    with pytest.raises(ConfigError, match="partitions"):
        create_topics(settings.kafka)


def test_cli_topics_create_twice(settings):
    env = {
        **os.environ,
        "TRADETIES_KAFKA_BOOTSTRAP": settings.kafka.bootstrap,
        "TRADETIES_KAFKA_TOPIC_PREFIX": settings.kafka.topic_prefix,
    }
    first = subprocess.run([str(TRADETIES), "topics", "create"], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([str(TRADETIES), "topics", "create"], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    raw = name(settings.kafka, Topic.RAW_ARTICLES)
    assert f"created  {raw}" in first.stdout
    assert f"exists   {raw}" in second.stdout
