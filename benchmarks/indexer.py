"""Indexer throughput vs a bare ``helpers.streaming_bulk`` of the same documents into the same node.

Both sides index the same N article documents, in bulk requests of the same size, into a fresh
index made from the same template (same mapping and analyzer), on the same node, in one run.

- baseline: ``helpers.streaming_bulk`` of the pre-built documents held in memory (``_id`` only,
  no versioning): JSON serialisation, HTTP and Elasticsearch's indexing — nothing else.
- measured: the indexer service on the same documents produced to Kafka beforehand, from the
  first record polled to the last offset commit: Kafka fetch, decoding and validating every
  ClassifiedArticle, building the document, bulk with external versions and per-item triage, and
  a synchronous offset commit per batch. Group join and the idle wait at the end are excluded.

ratio = measured docs/s ÷ baseline docs/s (target ≥ 0.8).
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from elasticsearch import helpers  # noqa: E402

from tradeties.common.settings import Settings  # noqa: E402
from tradeties.common.topics import Topic  # noqa: E402
from tradeties.indexer import admin  # noqa: E402
from tradeties.indexer.capabilities import detect  # noqa: E402
from tradeties.indexer.documents import article_document  # noqa: E402
from tradeties.indexer.names import Kind, names_for  # noqa: E402
from tradeties.indexer.service import run_service  # noqa: E402

N = int(os.environ.get("TRADETIES_BENCH_INDEXER_DOCS", "6000"))
BATCH = 500


def _events(n: int):
    from tests.indexer.factories import article

    body = ("The delegation from Liaoning province met manufacturers, universities and investors in the West "
            "Midlands to discuss building materials, energy efficiency and advanced manufacturing. ") * 8
    return [article(i, text=f"{body} Story {i}.") for i in range(n)]


def _settings(ctx: Any) -> Settings:
    base = getattr(ctx, "settings", None) or (ctx.get("settings") if isinstance(ctx, dict) else None) or Settings()
    tag = f"bench-idx-{uuid.uuid4().hex[:8]}"
    s = base.model_copy(deep=True)
    s.kafka.topic_prefix = tag
    s.elasticsearch.index_prefix = tag
    s.indexer.group_id = f"{tag}-indexer"
    s.indexer.batch_size = BATCH
    s.indexer.flush_interval_s = 0.5
    return s


def _bare(client, index: str, docs: list[dict]) -> float:
    actions = ({"_index": index, "_id": d["id"], "_source": d} for d in docs)
    start = time.perf_counter()
    ok = sum(1 for good, _ in helpers.streaming_bulk(client, actions, chunk_size=BATCH, max_chunk_bytes=10_000_000,
                                                    raise_on_error=True) if good)
    elapsed = time.perf_counter() - start
    assert ok == len(docs), f"bare bulk stored {ok}/{len(docs)}"
    return len(docs) / elapsed


def run(ctx: Any = None) -> list[dict]:
    from tests.indexer.helpers import count, produce
    from tradeties.common.kafka import create_topics

    s = _settings(ctx)
    client = admin.client_for(s.elasticsearch)
    caps = detect(client)
    admin.ensure_ready(client, s.elasticsearch.index_prefix, s.indexer, caps)
    names = names_for(s.elasticsearch.index_prefix)[Kind.ARTICLES]
    events = _events(N)
    now = datetime.now(timezone.utc)
    docs = [article_document(e, now) for e in events]
    try:
        # Warm the node (JIT, caches) on a throwaway index from the same template.
        admin.create_index(client, names.index(90))
        _bare(client, names.index(90), docs[: 2 * BATCH])
        admin.create_index(client, names.index(91))
        baseline = _bare(client, names.index(91), docs)

        create_topics(s.kafka)
        produce(s, Topic.CLASSIFIED_ARTICLES, events)
        stats = run_service(s, until_idle_s=2.0, install_signals=False)
        assert stats.stored == N, f"indexer stored {stats.stored}/{N}"
        assert stats.first_message_at is not None and stats.last_commit_at is not None
        measured = N / (stats.last_commit_at - stats.first_message_at)
        assert count(client, names.write_alias) == N
    finally:
        made = list(client.indices.get(index=f"{s.elasticsearch.index_prefix}-*").body)
        if made:  # by name: wildcard deletes are refused by default (action.destructive_requires_name)
            client.indices.delete(index=",".join(made))
    return [{
        "name": "indexer docs/s vs bare streaming_bulk",
        "measured": round(measured, 1),
        "baseline": round(baseline, 1),
        "ratio": round(measured / baseline, 3),
        "target": ">= 0.8",
        "unit": "docs/s",
        "note": f"{N} articles, bulk {BATCH}, analysis={caps.analysis}; measured: Kafka fetch+decode+build+bulk "
                "(external versions)+commit, first poll→last commit; baseline: streaming_bulk of in-memory docs",
    }]


if __name__ == "__main__":
    import json

    for row in run():
        print(json.dumps(row))
