"""Two indexers in one group on the real broker and node: the second joins while the first has
batches in flight (a rebalance mid-batch), and between them every article is stored exactly once."""

from __future__ import annotations

import json
import threading
import time

import pytest
from consumer_groups import group_members

from tradeties.common.topics import Topic

from .es_stub import ESStub
from .factories import article
from .helpers import alias, committed_total, count, es, output, prepare, produce, start_indexer, wait_for

pytestmark = pytest.mark.integration


def test_rebalance_mid_batch_loses_nothing_and_indexes_nothing_twice(settings, es_url):
    prepare(settings, batch_size=20)
    assert settings.kafka.partitions > 1
    n = 2000
    events = [article(i) for i in range(n)]
    produce(settings, Topic.CLASSIFIED_ARTICLES, events)
    client = es(settings)
    joined = threading.Event()
    with ESStub(upstream=es_url) as slow:
        # A loopback proxy in front of the real node: every bulk takes 1 s until the second indexer
        # is in the group, so the first one always has batches in flight when the group rebalances.
        slow.responder = lambda method, path, actions: time.sleep(0.05 if joined.is_set() else 1.0)
        via_proxy = settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(update={"url": slow.url})})
        first = start_indexer(via_proxy, "--until-idle", "4")
        second = None
        try:
            wait_for(
                lambda: committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0] > 0 or first.poll() is not None,
                timeout_s=120,
                what="the first indexer's first commit",
                every_s=0.05,
            )
            assert first.poll() is None, output(first)[1][-3000:]
            second = start_indexer(via_proxy, "--until-idle", "4")
            wait_for(
                lambda: group_members(settings, settings.indexer.group_id) == 2 or first.poll() is not None,
                timeout_s=180,
                what="both indexers in a stable group",
                every_s=0.2,
            )
            at_join = committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0]
            joined.set()
            (out1, err1), (out2, err2) = output(first, timeout=300), output(second, timeout=300)
        finally:
            for proc in (first, second):
                if proc is not None and proc.poll() is None:
                    proc.kill()
    assert first.returncode == 0 and second.returncode == 0, err1[-2000:] + err2[-2000:]
    assert 0 < at_join < n, "the group must rebalance while the first indexer is mid-stream"
    stats = [json.loads(out.strip().splitlines()[-1]) for out in (out1, out2)]
    assert all(s["messages"] > 0 for s in stats), f"an indexer never got a partition: {stats}"
    # Nothing lost: every article in the index and every offset committed...
    assert count(client, alias(settings)) == n
    ids = {h["_id"] for h in client.search(index=alias(settings), size=n, _source=False).body["hits"]["hits"]}
    assert ids == {e.article.id for e in events}
    assert committed_total(settings, Topic.CLASSIFIED_ARTICLES) == (n, n)
    # ...nothing indexed twice: a batch the new owner replays is a version conflict, not a second write.
    assert sum(s["stored"] for s in stats) == n, stats
    assert sum(s["messages"] for s in stats) == n + sum(s["conflicts"] for s in stats), stats
