"""BulkWriter and Indexer against a scripted Elasticsearch stub on 127.0.0.1, for what a real node or
broker cannot be made to do on demand: 429s and item failures on chosen bulks, a commit refused in a
rebalance. Poison messages, malformed documents and the on_malformed policies run on the real broker
and node (test_es_integration.py)."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from tradeties.common.settings import RetrySettings, Settings
from tradeties.indexer.service import Indexer
from tradeties.indexer.writer import BulkWriter, ClusterUnavailable, Doc, IndexingFailed

from .es_stub import ESStub, bulk_items
from .factories import article
from .fakes import FakeConsumer, FakeSink, record

FAST = RetrySettings(attempts=3, initial_s=0.001, max_s=0.002)


def docs(n: int) -> list[Doc]:
    return [Doc("idx", f"d{i}", 1, {"n": i}) for i in range(n)]


@pytest.fixture
def stub():
    with ESStub() as s:
        yield s


def test_429_is_retried_until_accepted_and_waits_are_reported(stub):
    calls = {"n": 0}

    def responder(method, path, actions):
        calls["n"] += 1
        if calls["n"] <= 2:
            return 429, {"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}, "status": 429}
        return None

    stub.responder = responder
    waits = []
    w = BulkWriter(Elasticsearch(stub.url), FAST, wait=lambda d, r: waits.append(r))
    result = w.write(docs(5))
    assert result.stored == 5 and not result.rejected
    assert len(waits) == 2 and calls["n"] == 3


def test_per_item_triage_conflicts_succeed_malformed_returned_rejected_items_retried(stub):
    seen: dict[str, int] = {}

    def per_item(meta, source):
        seen[meta["_id"]] = seen.get(meta["_id"], 0) + 1
        if meta["_id"] == "d0":
            return {"status": 409, "error": {"type": "version_conflict_engine_exception", "reason": "replay"}}
        if meta["_id"] == "d1":
            return {"status": 400, "error": {"type": "document_parsing_exception", "reason": "bad lat"}}
        if meta["_id"] == "d2" and seen["d2"] == 1:
            return {"status": 429, "error": {"type": "es_rejected_execution_exception", "reason": "busy"}}
        return {"status": 201}

    stub.responder = lambda m, p, actions: (200, bulk_items(actions, per_item))
    result = BulkWriter(Elasticsearch(stub.url), FAST, wait=lambda d, r: None).write(docs(4))
    assert (result.stored, result.conflicts) == (2, 1)
    assert [(r.doc.id, r.error_type) for r in result.rejected] == [("d1", "document_parsing_exception")]
    assert seen == {"d0": 1, "d1": 1, "d2": 2, "d3": 1}  # only the rejected item went again


def test_other_errors_fail_loudly_after_bounded_retries(stub):
    stub.responder = lambda m, p, actions: (
        200,
        bulk_items(actions, lambda meta, s: {"status": 500, "error": {"type": "null_pointer_exception", "reason": "boom"}}),
    )
    with pytest.raises(IndexingFailed, match="null_pointer_exception"):
        BulkWriter(Elasticsearch(stub.url), FAST, wait=lambda d, r: None).write(docs(2))
    assert stub.bulk_calls == FAST.attempts


def test_unavailable_for_too_long_raises_retryable(stub):
    stub.responder = lambda m, p, a: (503, {"error": {"type": "unavailable_shards_exception"}, "status": 503})
    clock = iter(range(0, 10_000, 100))
    w = BulkWriter(
        Elasticsearch(stub.url), FAST, unavailable_timeout_s=250, wait=lambda d, r: None, clock=lambda: float(next(clock))
    )
    with pytest.raises(ClusterUnavailable):
        w.write(docs(1))


def test_unreachable_cluster_is_backpressure_not_failure():
    w = BulkWriter(
        Elasticsearch("http://127.0.0.1:9", request_timeout=1, max_retries=0),
        FAST,
        unavailable_timeout_s=0.3,
        wait=lambda d, r: None,
    )
    with pytest.raises(ClusterUnavailable, match="connection_error"):
        w.write(docs(1))


def _indexer(stub: ESStub, consumer, sink, **over) -> Indexer:
    s = Settings(
        elasticsearch={"url": stub.url, "index_prefix": "tt"},
        kafka={"topic_prefix": "tt"},
        retry=FAST.model_dump(),
        indexer={"batch_size": 10, "flush_interval_s": 0.05, **over},
    )
    from tradeties.search.client import client_for

    return Indexer(s, client_for(s.elasticsearch), consumer, sink)


def test_service_commits_only_after_the_batch_is_acknowledged_and_pauses_on_429(stub):
    calls = {"n": 0}

    def responder(method, path, actions):
        calls["n"] += 1
        assert "require_alias=true" in path
        assert all(a[next(iter(a))]["_index"] == "tt-articles-write" for a, _ in actions)
        if calls["n"] == 1:
            return 429, {"error": {"type": "es_rejected_execution_exception"}, "status": 429}
        return None

    stub.responder = responder
    topic = "tt.articles.classified"
    consumer = FakeConsumer([record(topic, i, article(i)) for i in range(3)])
    sink = FakeSink()
    stats = _indexer(stub, consumer, sink).run(until_idle_s=0.2)
    assert stats.stored == 3 and stats.messages == 3
    assert consumer.events.index("pause") < consumer.events.index("resume") < consumer.events.index("commit")
    assert consumer.commits == [{next(iter(consumer.commits[0])): 3}]


def test_stop_while_elasticsearch_pushes_back_leaves_the_batch_uncommitted(stub):
    import threading

    stub.responder = lambda m, p, a: (429, {"error": {"type": "es_rejected_execution_exception"}, "status": 429})
    consumer = FakeConsumer([record("tt.articles.classified", i, article(i)) for i in range(3)])
    indexer = _indexer(stub, consumer, FakeSink())
    result = {}
    t = threading.Thread(target=lambda: result.update(stats=indexer.run()))
    t.start()
    deadline = __import__("time").monotonic() + 30
    while "pause" not in consumer.events and __import__("time").monotonic() < deadline:
        t.join(0.05)
    assert "pause" in consumer.events  # consumption paused while Elasticsearch answers 429
    indexer.stop()
    t.join(30)
    assert not t.is_alive()
    assert consumer.commits == [] and result["stats"].stored == 0


def test_a_commit_refused_during_a_rebalance_is_not_fatal(stub):
    # A real broker refuses a commit in the middle of a rebalance only by timing (tests/indexer/
    # test_rebalance_integration.py hit it: kafka-python 3 raised RebalanceInProgressError and the
    # indexer crashed); here the refusal is scripted so the rule holds on every run.
    from kafka.errors import RebalanceInProgressError

    class Rebalancing(FakeConsumer):
        def commit(self, offsets=None):
            raise RebalanceInProgressError("rebalancing")

    consumer = Rebalancing([record("tt.articles.classified", i, article(i)) for i in range(3)])
    stats = _indexer(stub, consumer, FakeSink()).run(until_idle_s=0.2)
    assert stats.stored == 3 and stats.last_commit_at is None  # written, not committed: the next owner replays


def test_a_batch_written_because_the_stream_paused_is_refreshed_a_full_one_is_not(stub):
    topic = "tt.articles.classified"
    consumer = FakeConsumer([record(topic, i, article(i)) for i in range(3)])
    indexer = _indexer(stub, consumer, FakeSink(), batch_size=2, flush_interval_s=60, idle_flush_s=0.05)
    assert indexer.run(until_idle_s=0.3).stored == 3
    bulks = [path for method, path in stub.requests if path.split("?")[0].endswith("/_bulk")]
    assert len(bulks) == 2
    assert "refresh=true" not in bulks[0] and "refresh=true" in bulks[1]  # full batch, then the paused stream's
