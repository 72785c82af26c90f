"""The classifier service against the real broker: `tradeties classifier` runs as a subprocess with
a deterministic title-driven classifier (service_fakes.TitleClassifier)."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict

import pytest
from service_support import (  # noqa: F401 (fixtures)
    START_S,
    TRADETIES,
    alert_messages,
    free_port,
    group_members,
    produce,
    produce_articles,
    raw_article,
    read_topic,
    service,
    service_env,
    wait_for,
)

from tradeties.classifier.alerts.rules import alert_id_for
from tradeties.classifier.stream.topology import Topology, app_id, ensure_topics
from tradeties.common import codec
from tradeties.common.events import ClassifiedArticle, DeadLetter, DelegationAlert

pytestmark = pytest.mark.integration


def classified_ids(settings, topology: Topology) -> set[str]:
    return {codec.decode(r.value, ClassifiedArticle).article.id for r in read_topic(settings, topology.classified)}


def newest(alerts: list[DelegationAlert]) -> dict[str, tuple[int, list[str]]]:
    """cluster id → (revision, article ids) of its newest alert."""
    best: dict[str, DelegationAlert] = {}
    for a in alerts:
        if a.cluster_id not in best or a.revision > best[a.cluster_id].revision:
            best[a.cluster_id] = a
    return {c: (a.revision, a.article_ids) for c, a in best.items()}


def newest_revisions(settings, topology: Topology) -> dict[str, int]:
    return {c: r for c, (r, _) in newest(alert_messages(settings, topology.alerts)).items()}


def idempotency_keys(sink, path: str) -> list[str]:
    return [b["idempotency_key"] if "idempotency_key" in b else None for b in sink.bodies(path)]


def test_raw_to_classified_with_poison_alerts_and_webhooks(settings, service, webhook_sink, tmp_path):
    topology = ensure_topics(settings)
    dead_hook = f"http://127.0.0.1:{free_port()}/nobody-listens"
    worker = service(webhooks=[webhook_sink.url + "/json", dead_hook], slack_webhooks=[webhook_sink.url + "/slack"])
    visit_a = raw_article("https://a.example/liaoning", "DELEGATION c1: Liaoning delegation visits Birmingham")
    visit_b = raw_article("https://b.example/liaoning", "DELEGATION c1: Birmingham welcomes Liaoning")
    other = raw_article("https://a.example/guizhou", "DELEGATION c2: Guizhou mission to the Midlands")
    boring = raw_article("https://a.example/weather", "Rain in Birmingham")
    crash = raw_article("https://a.example/crash", "CRASH the model")
    produce_articles(settings, [visit_a, boring, crash])
    produce(settings, topology.raw, [(b"not-utf8", b"\xff\xfe garbage"), (b"not-an-article", b'{"id": 7}')])
    produce_articles(settings, [visit_b, other])

    good = {a.id for a in (visit_a, visit_b, other, boring)}
    wait_for(lambda: classified_ids(settings, topology) >= good, START_S, "all good articles classified")
    assert classified_ids(settings, topology) == good

    def letters() -> dict[str, DeadLetter]:
        return {(d := codec.decode(r.value, DeadLetter)).error_type: d for r in read_topic(settings, topology.dlq_classifier)}

    wait_for(lambda: len(letters()) == 3, 30, "three dead letters")
    dead = letters()
    assert dead["undecodable"].original == b"\xff\xfe garbage" and dead["undecodable"].key == b"not-utf8"
    assert dead["schema_invalid"].key == b"not-an-article" and "RawArticle" in dead["schema_invalid"].error_message
    assert dead["classification_failed"].key == crash.id.encode() and "exploded" in dead["classification_failed"].error_message
    assert all(d.stage == "classifier" and d.topic == topology.raw and d.offset is not None for d in dead.values())
    assert {d.consumer for d in dead.values()} == {app_id(settings)}, "the faust app id is the consumer group"

    # Two outlets on c1: one alert at revision 2, not two alerts.
    expected = {"c1": 2, "c2": 1}
    wait_for(lambda: newest_revisions(settings, topology) == expected, 30, "alerts c1 rev 2 and c2 rev 1")
    assert sorted(newest(alert_messages(settings, topology.alerts))["c1"][1]) == sorted([visit_a.id, visit_b.id])
    assert {a.alert_id for a in alert_messages(settings, topology.alerts)} == {alert_id_for("c1"), alert_id_for("c2")}

    listed = subprocess.run(
        [str(TRADETIES), "alerts", "--json"], env=service_env(settings), capture_output=True, text=True, timeout=120, check=True
    )
    rows = {row["cluster_id"]: row for row in json.loads(listed.stdout)}
    assert {c: row["revision"] for c, row in rows.items()} == expected
    assert sorted(rows["c1"]["sources"]) == ["a.example", "b.example"]

    keys = {f"{alert_id_for('c1')}:1", f"{alert_id_for('c1')}:2", f"{alert_id_for('c2')}:1"}
    wait_for(
        lambda: set(idempotency_keys(webhook_sink, "/json")) == keys and len(webhook_sink.bodies("/slack")) == 3,
        30,
        "each alert revision delivered to both webhooks",
    )
    assert sorted(idempotency_keys(webhook_sink, "/json")) == sorted(keys), "each revision delivered once"
    assert all(set(b) == {"text", "blocks"} for b in webhook_sink.bodies("/slack"))

    # The dead webhook cost retries and dead letters, not the deliveries to the live ones.
    def failed() -> list[DeadLetter]:
        return [codec.decode(r.value, DeadLetter) for r in read_topic(settings, topology.dlq_alerts)]

    wait_for(lambda: len(failed()) == 3, 60, "three webhook_failed dead letters")
    assert {(d.error_type, d.stage, d.consumer) for d in failed()} == {("webhook_failed", "alerts", app_id(settings))}
    assert {(a := codec.decode(d.original, DelegationAlert)).alert_id + f":{a.revision}" for d in failed()} == keys
    assert "nobody-listens" not in "".join(d.error_message for d in failed()), "webhook URLs are secrets"
    assert worker.metric("tradeties_classifier_dead_letters_total", reason="undecodable") == 1
    assert worker.metric("tradeties_alerts_total", outcome="updated") == 1

    assert worker.terminate() == 0, worker.log()[-3000:]


def _changelog_keys(settings, topic: str) -> set[str]:
    return {json.loads(r.key) for r in read_topic(settings, topic)}


KILL_ROUNDS = 4  # kills mid-batch; before the recovery fix about one restart in three stalled


def test_kill9_mid_stream_loses_nothing_and_does_not_duplicate_alerts(settings, service, webhook_sink):
    topology = ensure_topics(settings)
    # Offsets are never committed before the first kill, so the restarted worker replays everything.
    # Static membership: the restarted worker takes its partitions back without waiting out the session.
    # A worker that stops making progress fails this test: nothing restarts it but the test's kills.
    worker = service(group_instance_id="worker-1", webhooks=[webhook_sink.url])
    batch1 = [
        raw_article(f"https://{outlet}.example/{c}", f"DELEGATION {c}: visit {c}")
        for c in ("c1", "c2", "c3")
        for outlet in ("a", "b")
    ]
    batch1 += [raw_article(f"https://a.example/n{i}", f"news {i}") for i in range(14)]
    produce_articles(settings, batch1)
    wait_for(lambda: classified_ids(settings, topology) >= {a.id for a in batch1}, START_S, "first batch classified")
    first_keys = {f"{alert_id_for(c)}:{r}" for c in ("c1", "c2", "c3") for r in (1, 2)}
    wait_for(lambda: set(idempotency_keys(webhook_sink, "/")) == first_keys, 30, "first alerts delivered")
    # Kill only once the tables' changelogs hold the state (that is what a restart recovers from).
    alert_ids = {alert_id_for(c) for c in ("c1", "c2", "c3")}
    wait_for(
        lambda: (
            _changelog_keys(settings, topology.alert_state) >= alert_ids
            and _changelog_keys(settings, topology.deliveries) >= alert_ids
        ),
        30,
        "table changelogs written",
    )
    worker.kill()

    batch2 = [
        raw_article("https://c.example/c1", "DELEGATION c1: third outlet"),
        raw_article("https://a.example/c4", "DELEGATION c4: a new visit"),
    ]
    batch2 += [raw_article(f"https://b.example/n{i}", f"more news {i}") for i in range(8)]
    produce_articles(settings, batch2)
    worker.start()

    everything = {a.id for a in batch1 + batch2}
    wait_for(lambda: classified_ids(settings, topology) >= everything, START_S, "every article classified after restart")
    expected = {"c1": 3, "c2": 2, "c3": 2, "c4": 1}
    wait_for(lambda: newest_revisions(settings, topology) == expected, 60, "alerts after restart")
    # The replayed reports were recognised as already counted...
    wait_for(lambda: worker.metric("tradeties_alerts_total", outcome="duplicate") >= 6, 30, "replays deduplicated")
    assert {a.alert_id for a in alert_messages(settings, topology.alerts)} == {alert_id_for(c) for c in expected}, (
        "no new alert for a replayed event"
    )
    # ...and delivered revisions were not delivered again.
    all_keys = first_keys | {f"{alert_id_for('c1')}:3", f"{alert_id_for('c4')}:1"}
    wait_for(lambda: set(idempotency_keys(webhook_sink, "/")) == all_keys, 30, "new revisions delivered")

    # Then killed while a batch is half done, again and again: every restart recovers the tables with
    # lag waiting on its partitions, the moment faust used to lose the events it fetched (see
    # tradeties.classifier.stream.faust_compat). Each batch also reports a new event from two outlets.
    for n in range(KILL_ROUNDS):
        cluster = f"k{n}"
        batch = [raw_article(f"https://d.example/{cluster}/{i}", f"SLOW late news {n}.{i}") for i in range(300)]
        batch[150:150] = [
            raw_article(f"https://{outlet}.example/{cluster}", f"DELEGATION {cluster}: visit {n}") for outlet in ("a", "b")
        ]
        ids = {a.id for a in batch}
        produce_articles(settings, batch)  # ≥ 6 s of work
        wait_for(lambda: len(classified_ids(settings, topology) & ids) >= 10, 60, f"round {n}: batch under way")
        worker.kill()
        assert not classified_ids(settings, topology) >= ids, f"round {n}: the batch finished before the kill"
        worker.start()
        everything |= ids
        expected[cluster] = 2
        all_keys |= {f"{alert_id_for(cluster)}:{r}" for r in (1, 2)}
        wait_for(
            lambda: classified_ids(settings, topology) >= everything,
            START_S,
            f"round {n}: every article classified after the restart",
        )
        assert worker.alive(), f"round {n}: the worker exited\n{worker.log()[-3000:]}"
        wait_for(lambda: newest_revisions(settings, topology) == expected, 60, f"round {n}: alerts")
        wait_for(lambda: set(idempotency_keys(webhook_sink, "/")) == all_keys, 30, f"round {n}: deliveries")

    # Nothing classified that was not produced, no dead letter, and one classification per article
    # (a replay may publish an article again, at-least-once, but never differently).
    records = read_topic(settings, topology.classified)
    by_id: dict[str, set[str]] = defaultdict(set)
    for r in records:
        article = codec.decode(r.value, ClassifiedArticle)
        by_id[article.article.id].add(article.classification.model_dump_json())
    assert set(by_id) == everything
    assert all(len(v) == 1 for v in by_id.values()), "an article classified two ways"
    assert read_topic(settings, topology.dlq_classifier) == [] and read_topic(settings, topology.dlq_alerts) == []
    # Alerts: one per event, each revision published with one content, no article counted twice...
    alerts = alert_messages(settings, topology.alerts)
    assert {a.alert_id for a in alerts} == {alert_id_for(c) for c in expected}, "no new alert for a replayed event"
    by_revision: dict[tuple[str, int], set[tuple[str, ...]]] = defaultdict(set)
    for a in alerts:
        by_revision[(a.cluster_id, a.revision)].add(tuple(a.article_ids))
    assert all(len(v) == 1 for v in by_revision.values()), f"a revision re-published with other content: {by_revision}"
    assert all(len(set(a.article_ids)) == len(a.article_ids) for a in alerts), "an article counted twice"
    # ...and each revision delivered once.
    assert sorted(idempotency_keys(webhook_sink, "/")) == sorted(all_keys), "a revision delivered twice"
    assert worker.terminate() == 0


def test_two_workers_in_one_group_share_the_partitions(settings, service):
    topology = ensure_topics(settings)
    assert topology.raw_partitions > 1
    first, second = service("first"), service("second")
    wait_for(lambda: group_members(settings, app_id(settings)) == 2, START_S, "both workers in a stable group", every_s=1.0)
    articles = [raw_article(f"https://a.example/shared/{i}", f"news {i}") for i in range(60)]
    produce_articles(settings, articles)
    wait_for(lambda: classified_ids(settings, topology) >= {a.id for a in articles}, START_S, "all classified")
    counts = [w.metric("tradeties_classifier_classified_total") for w in (first, second)]
    assert all(c > 0 for c in counts), f"one worker did all the work: {counts}"
    assert first.terminate() == 0 and second.terminate() == 0
