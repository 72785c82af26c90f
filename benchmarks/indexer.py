"""Indexer throughput vs a bare ``helpers.streaming_bulk`` of the same documents into the same node.

Both sides index the same N article documents, in bulk requests of the same size, with the same
client configuration, into a fresh index made from the same template (same mapping and analyzer),
on the same node, in one run. Each side is measured ROUNDS times, alternating, each time into a
new index that is deleted right after (so background merges of one side do not slow the other).
The ratio is the median of the per-round ratios (indexer run ÷ the baseline run just before it);
measured/baseline are the medians of each side.

- baseline: ``helpers.streaming_bulk`` of the pre-built documents held in memory (``_id`` only,
  no versioning): serialisation, HTTP and Elasticsearch's indexing — nothing else.
- measured: the indexer service on the same articles produced to Kafka beforehand (uncompressed,
  as the classifier's faust producer writes them), from the first record polled to the last
  offset commit: Kafka fetch, decoding and validating every ClassifiedArticle, building the
  document, bulk with external versions and per-item triage, dead-letter checks and a
  synchronous offset commit per batch. Group join and the idle wait at the end are excluded.

ratio = measured docs/s ÷ baseline docs/s (target ≥ 0.9). CPU ms per document of this process and of
the node are measured around each side's run.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python benchmarks/indexer.py`

from elasticsearch import Elasticsearch, helpers
from kafka import KafkaProducer

from benchmarks._procstat import CpuMeter, load1, per_article_ms
from tradeties.common import codec
from tradeties.common.events import ClassifiedArticle
from tradeties.common.indices import Kind, names_for
from tradeties.common.kafka import create_topics, name, producer_config
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic
from tradeties.indexer import admin
from tradeties.indexer.capabilities import Capabilities, detect
from tradeties.indexer.documents import article_document
from tradeties.indexer.service import run_service
from tradeties.search.client import client_for

N = int(os.environ.get("TRADETIES_BENCH_INDEXER_DOCS", "10000"))
ROUNDS = int(os.environ.get("TRADETIES_BENCH_INDEXER_ROUNDS", "5"))
BATCH = 500


def _events(n: int) -> list[ClassifiedArticle]:
    from tests.indexer.factories import article

    body = (
        "The delegation from Liaoning province met manufacturers, universities and investors in the West "
        "Midlands to discuss building materials, energy efficiency and advanced manufacturing. "
    ) * 8
    return [article(i, text=f"{body} Story {i}.") for i in range(n)]


def _settings(base: Settings) -> Settings:
    tag = f"bench-idx-{uuid.uuid4().hex[:8]}"
    s = base.model_copy(deep=True)
    s.kafka.topic_prefix = tag
    s.elasticsearch.index_prefix = tag
    s.indexer.group_id = f"{tag}-indexer"
    s.indexer.batch_size = BATCH
    s.indexer.flush_interval_s = 0.5
    return s


def _drop(client: Elasticsearch, prefix: str) -> None:
    made = list(client.indices.get(index=f"{prefix}-*").body)
    if made:  # by name: wildcard deletes are refused by default (action.destructive_requires_name)
        client.indices.delete(index=",".join(made))


def _bare(client: Elasticsearch, base: Settings, caps: Capabilities, docs: list[dict], meter: CpuMeter | None = None) -> float:
    s = _settings(base)
    admin.ensure_ready(client, s.elasticsearch.index_prefix, s.indexer, caps)
    index = names_for(s.elasticsearch.index_prefix)[Kind.ARTICLES].index(1)
    actions = ({"_index": index, "_id": d["id"], "_source": d} for d in docs)
    try:
        if meter:
            meter.start()
        start = time.perf_counter()
        ok = sum(1 for good, _ in helpers.streaming_bulk(client, actions, chunk_size=BATCH, max_chunk_bytes=10_000_000) if good)
        elapsed = time.perf_counter() - start
        if meter:
            meter.stop()
        assert ok == len(docs), f"bare bulk stored {ok}/{len(docs)}"
    finally:
        _drop(client, s.elasticsearch.index_prefix)
    return len(docs) / elapsed


def _indexer(client: Elasticsearch, base: Settings, events: list[ClassifiedArticle], meter: CpuMeter | None = None) -> float:
    s = _settings(base)
    create_topics(s.kafka)
    producer = KafkaProducer(**{**producer_config(s.kafka), "compression_type": None})
    for e in events:
        producer.send(
            name(s.kafka, Topic.CLASSIFIED_ARTICLES),
            key=e.article.id.encode(),
            value=codec.encode(e),
            headers=codec.headers_for(e),
        )
    producer.flush(timeout=120)
    producer.close()
    try:
        if meter:
            meter.start()
        stats = run_service(s, until_idle_s=2.0, install_signals=False, client=client)
        if meter:  # includes the group join and the 2 s idle wait at the end (little CPU)
            meter.stop()
        assert stats.stored == len(events), f"indexer stored {stats.stored}/{len(events)}"
        assert stats.first_message_at is not None and stats.last_commit_at is not None
        return len(events) / (stats.last_commit_at - stats.first_message_at)
    finally:
        _drop(client, s.elasticsearch.index_prefix)


def run(ctx: Any = None) -> list[dict]:
    from tradeties.common.logging import configure_logging
    from tradeties.common.settings import LogSettings

    configure_logging(LogSettings(level="WARNING"))
    base = getattr(ctx, "settings", None) or (ctx.get("settings") if isinstance(ctx, dict) else None) or Settings()
    client = client_for(base.elasticsearch)
    caps = detect(client)
    events = _events(N)
    now = datetime.now(UTC)
    docs = [article_document(e, now) for e in events]
    gc.freeze()  # the harness's own test data stays out of every full collection, on both sides
    _bare(client, base, caps, docs[: 2 * BATCH])  # warm the node up (JIT, caches)
    node = getattr(getattr(ctx, "infra", None), "elasticsearch", None)
    groups = {"client": lambda: [os.getpid()], **({"node": lambda: [p for p in [node.process.pid()] if p]} if node else {})}
    baseline, measured, cpu_b, cpu_m, loads = [], [], [], [], []
    for _ in range(ROUNDS):
        for side, out, cpu in (
            (lambda m: _bare(client, base, caps, docs, m), baseline, cpu_b),
            (lambda m: _indexer(client, base, events, m), measured, cpu_m),
        ):
            meter = CpuMeter(groups)
            out.append(side(meter))
            cpu.append(per_article_ms(meter.cpu, N))
        loads.append(load1())
    # Each round pairs a baseline with the indexer run right after it: the node's state drifts
    # (merges, GC, fsync latency), so the median of the paired ratios is the stable figure.
    ratio = statistics.median(m / b for b, m in zip(baseline, measured, strict=True))
    cpu = {
        f"{side} {k}": round(statistics.median(c[k] for c in cpus), 3)
        for side, cpus in (("indexer", cpu_m), ("bare", cpu_b))
        for k in cpus[0]
    }
    return [
        {
            "name": "indexer docs/s vs bare streaming_bulk",
            "measured": round(statistics.median(measured), 1),
            "baseline": round(statistics.median(baseline), 1),
            "ratio": round(ratio, 3),
            "target": ">= 0.9",
            "unit": "docs/s",
            "limit": "helpers.streaming_bulk of the same docs, same bulk size, 1 process",
            "cores": 1,
            "load": loads,
            "cpu_ms": cpu,
            "note": f"{N} articles, bulk {BATCH}, analysis={caps.analysis}, median of {ROUNDS} alternating rounds "
            f"(baseline {[round(x) for x in baseline]}, indexer {[round(x) for x in measured]}); measured: "
            "Kafka fetch+decode+validate+build+bulk(external versions)+commit, first poll→last commit; "
            "baseline: streaming_bulk of in-memory docs; CPU ms/doc (client: this process) "
            + ", ".join(f"{k} {v}" for k, v in cpu.items()),
        }
    ]


if __name__ == "__main__":
    import json

    for row in run():
        print(json.dumps(row))
