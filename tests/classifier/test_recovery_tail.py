"""A table recovery ends when the changelog's last offsets hold no record (transaction markers), against
the real broker: a `tradeties classifier` subprocess recovers an alert-state changelog whose tail is a
committed transaction's marker on one partition, and on another the abort marker the broker wrote after
a transactional producer was killed -9 mid-transaction. faust 0.15.3 waited for a record at the
highwater that never comes (tradeties.classifier.stream.faust_compat.GatedRecovery)."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import textwrap

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from service_support import (  # noqa: F401 (fixtures)
    START_S,
    alert_messages,
    produce_articles,
    raw_article,
    read_topic,
    service,
    wait_for,
)

from tradeties.classifier.alerts.rules import alert_id_for
from tradeties.classifier.stream.topology import ensure_topics
from tradeties.common import kafka
from tradeties.common.events import DelegationAlert

pytestmark = pytest.mark.integration

#: the broker aborts a dead producer's transaction after its timeout, on its next check (10 s apart)
ABORT_S = 60.0

# A transactional producer that writes one record and dies before committing (the test kills it).
ZOMBIE = textwrap.dedent(
    """
    import sys
    from kafka import KafkaProducer
    bootstrap, transactional_id, topic, partition, key, value = sys.argv[1:]
    producer = KafkaProducer(
        bootstrap_servers=bootstrap.split(","), transactional_id=transactional_id, transaction_timeout_ms=1000
    )
    producer.init_transactions()
    producer.begin_transaction()
    producer.send(topic, key=key.encode(), value=value.encode(), partition=int(partition)).get(30)
    print("sent", flush=True)
    sys.stdin.read()  # until killed
    """
)


def end_offsets(settings, topic: str) -> dict[int, int]:
    consumer = KafkaConsumer(**kafka.client_config(settings.kafka), group_id=None, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(parts).items()}
    finally:
        consumer.close()


def test_recovery_ends_when_the_changelog_ends_with_transaction_markers(settings, service, tmp_path):
    topology = ensure_topics(settings)
    first = service("first")
    visit = raw_article("https://a.example/c1", "DELEGATION c1: Liaoning delegation visits Birmingham")
    produce_articles(settings, [visit])
    wait_for(lambda: any(a.cluster_id == "c1" for a in alert_messages(settings, topology.alerts)), START_S, "the first alert")
    # The alert's state is in the changelog: that is what the next worker recovers.
    state = wait_for(lambda: read_topic(settings, topology.alert_state), 30, "the alert state in the changelog")
    assert first.terminate() == 0
    last = state[-1]
    assert json.loads(last.key) == alert_id_for("c1")
    other = next(p for p in sorted(end_offsets(settings, topology.alert_state)) if p != last.partition)

    # One partition ends with a commit marker: its last record again, in a committed transaction.
    committed = KafkaProducer(**kafka.client_config(settings.kafka), transactional_id=f"{settings.kafka.topic_prefix}-c")
    try:
        committed.init_transactions()
        committed.begin_transaction()
        committed.send(topology.alert_state, key=last.key, value=last.value, partition=last.partition).get(30)
        committed.commit_transaction()
    finally:
        committed.close()
    # Another ends with an abort marker: the same record from a producer killed mid-transaction (read
    # uncommitted, as faust's at-least-once consumer reads, the aborted record is a record).
    zombie = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ZOMBIE,
            settings.kafka.bootstrap,
            f"{settings.kafka.topic_prefix}-z",
            topology.alert_state,
            str(other),
            last.key.decode(),
            last.value.decode(),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert zombie.stdout is not None
        assert select.select([zombie.stdout], [], [], 60)[0], "the producer sent nothing in 60 s"
        assert zombie.stdout.readline().strip() == "sent"
    finally:
        zombie.kill()
        zombie.wait(30)
    wait_for(lambda: end_offsets(settings, topology.alert_state)[other] == 2, ABORT_S, "the broker's abort marker")
    # Each partition's last offset is a marker: no record of it is at highwater - 1.
    records = read_topic(settings, topology.alert_state)
    ends = end_offsets(settings, topology.alert_state)
    for partition in (last.partition, other):
        assert max(r.offset for r in records if r.partition == partition) == ends[partition] - 2

    # The next worker must recover the state and go on: a second outlet's report revises the alert.
    again = raw_article("https://b.example/c1", "DELEGATION c1: Birmingham welcomes Liaoning")
    produce_articles(settings, [again])
    second = service("second")

    def revised() -> DelegationAlert | None:
        return next((a for a in alert_messages(settings, topology.alerts) if a.cluster_id == "c1" and a.revision == 2), None)

    alert = wait_for(revised, START_S, "the alert revised by the next worker")
    assert sorted(alert.article_ids) == sorted([visit.id, again.id]), "the recovered state counted the first visit"
    assert [(a.cluster_id, a.revision) for a in alert_messages(settings, topology.alerts)] == [("c1", 1), ("c1", 2)]
    log = second.log()
    for partition in (last.partition, other):
        assert f"partition={partition}) after offset" in log and "its recovery is complete" in log, log[-5000:]
    assert second.terminate() == 0
