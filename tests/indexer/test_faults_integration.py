"""Fault handling against the real broker and node: kill -9 mid-stream, SIGTERM, 429 backpressure."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaConsumer

from tradeties.common.topics import Topic
from tradeties.indexer.service import make_consumer, run_service

from .es_stub import ESStub
from .factories import article
from .helpers import alias, committed_total, count, es, prepare, produce, wait_for
from .helpers import output as _output
from .helpers import start_indexer as _start

pytestmark = pytest.mark.integration


def test_killed_indexer_loses_nothing_and_duplicates_nothing(settings, es_url):
    prepare(settings, batch_size=40)
    n = 1500
    events = [article(i) for i in range(n)]
    produce(settings, Topic.CLASSIFIED_ARTICLES, events)
    client = es(settings)
    with ESStub(upstream=es_url) as slow:
        # A slow loopback proxy: each bulk takes ≥ 0.25 s, so the kill lands mid-stream.
        slow.responder = lambda method, path, actions: time.sleep(0.25)
        proc = _start(settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(update={"url": slow.url})}))
        _kill_mid_stream(settings, proc)
    committed, end = committed_total(settings, Topic.CLASSIFIED_ARTICLES)
    indexed = count(client, alias(settings))
    assert 0 < committed < end == n, "kill -9 must land mid-stream for this test to mean anything"
    assert indexed >= committed  # commit-after-ack: everything committed is in the index

    restarted = _start(settings, "--until-idle", "3")
    out, err = _output(restarted, timeout=300)
    assert restarted.returncode == 0, err[-3000:]
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["messages"] >= n - committed  # replays from the last commit, never past it
    assert count(client, alias(settings)) == n  # nothing lost, nothing duplicated (_id = article id)
    assert committed_total(settings, Topic.CLASSIFIED_ARTICLES) == (n, n)
    ids = {h["_id"] for h in client.search(index=alias(settings), size=n, _source=False).body["hits"]["hits"]}
    assert ids == {e.article.id for e in events}


def _kill_mid_stream(settings, proc: subprocess.Popen) -> None:
    try:
        # Kill once some batches are acknowledged and committed, well before the end.
        wait_for(
            lambda: committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0] > 0 or proc.poll() is not None,
            timeout_s=120,
            what="a first commit",
            every_s=0.05,
        )
        assert proc.poll() is None, _output(proc)[1][-3000:]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_stops_cleanly_after_committing(settings):
    prepare(settings)
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(20)])
    proc = _start(settings)
    try:
        wait_for(
            lambda: committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0] == 20 or proc.poll() is not None,
            timeout_s=120,
            what="all committed",
        )
        assert proc.poll() is None, _output(proc)[1][-3000:]
        proc.send_signal(signal.SIGTERM)
        out, err = _output(proc, timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    assert json.loads(out.strip().splitlines()[-1])["stored"] == 20
    assert "indexer stopped" in err


class CountingConsumer:
    """The real KafkaConsumer, with a log of pause/resume/commit calls."""

    def __init__(self, inner: KafkaConsumer, proxy: ESStub) -> None:
        self._inner, self._proxy = inner, proxy
        self.log: list[tuple[str, int]] = []

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def pause(self, *parts):
        self.log.append(("pause", self._proxy.rejected))
        return self._inner.pause(*parts)

    def resume(self, *parts):
        self.log.append(("resume", self._proxy.rejected))
        return self._inner.resume(*parts)

    def commit(self, offsets=None):
        self.log.append(("commit", self._proxy.rejected))
        return self._inner.commit(offsets=offsets)


def test_429_pauses_consumption_retries_and_loses_nothing(settings, es_url):
    prepare(settings, batch_size=50)
    n, reject_for_s = 200, 2.5
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(n)])
    with ESStub(upstream=es_url) as proxy:
        proxy.rejected = 0
        proxy.first_bulk = None
        seen_paused: list[tuple[float, bool]] = []  # (seconds since the first 429, consumer paused?)

        def responder(method, path, actions):
            now = time.monotonic()
            proxy.first_bulk = proxy.first_bulk or now
            if now - proxy.first_bulk < reject_for_s:
                proxy.rejected += 1
                seen_paused.append((now - proxy.first_bulk, bool(consumer.paused())))
                return 429, {
                    "error": {"type": "es_rejected_execution_exception", "reason": "rejected by test proxy"},
                    "status": 429,
                }
            return None  # forwarded to the real node

        proxy.responder = responder
        consumer = CountingConsumer(make_consumer(settings), proxy)
        stats = run_service(settings, until_idle_s=2, install_signals=False, consumer=consumer, client=Elasticsearch(proxy.url))
    assert proxy.rejected >= 3
    assert stats.stored == n
    # Consumption is paused while Elasticsearch pushes back (within a poll or two of the first 429)...
    assert seen_paused[-1][1] and all(paused for t, paused in seen_paused if t > 1.0)
    assert any(op == "pause" for op, _ in consumer.log)
    # ...nothing is committed until Elasticsearch accepted the batch, and consumption resumes then.
    commits = [r for op, r in consumer.log if op == "commit"]
    assert commits and all(r == proxy.rejected for r in commits)
    first_commit = next(i for i, (op, _) in enumerate(consumer.log) if op == "commit")
    assert any(op == "resume" for op, _ in consumer.log[:first_commit])
    assert count(es(settings), alias(settings)) == n
    assert committed_total(settings, Topic.CLASSIFIED_ARTICLES) == (n, n)


def test_elasticsearch_down_pauses_consumption_and_nothing_is_lost_after_it_returns(settings, local_infra):
    import threading

    from kafka import KafkaProducer

    from tradeties.common.kafka import DeadLetterSink, producer_config
    from tradeties.indexer.admin import ensure_ready
    from tradeties.indexer.service import Indexer
    from tradeties.search.client import client_for

    prepare(settings, batch_size=50)
    n = 150
    client = client_for(settings.elasticsearch)
    ensure_ready(client, settings.elasticsearch.index_prefix, settings.indexer)
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(n)])
    local_infra.elasticsearch.stop()
    producer = KafkaProducer(**producer_config(settings.kafka))
    consumer = make_consumer(settings)
    indexer = Indexer(settings, client, consumer, DeadLetterSink(producer, settings.kafka))
    result = {}
    t = threading.Thread(target=lambda: result.update(stats=indexer.run(until_idle_s=3)))
    t.start()
    try:
        wait_for(lambda: consumer.paused() or not t.is_alive(), timeout_s=120, what="consumption paused")
        assert t.is_alive() and consumer.paused()
        assert committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0] == 0  # nothing acknowledged, nothing committed
    finally:
        local_infra.elasticsearch.start()
        local_infra.elasticsearch.wait_healthy()
        t.join(timeout=180)
        consumer.close(autocommit=False)
        producer.close()
    assert not t.is_alive()
    assert result["stats"].stored == n
    assert count(es(settings), alias(settings)) == n
    assert committed_total(settings, Topic.CLASSIFIED_ARTICLES) == (n, n)
