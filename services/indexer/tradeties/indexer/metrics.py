"""Prometheus metrics of the indexer (default registry; served on ``indexer.metrics_host:metrics_port``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

INDEXED = Counter("tradeties_indexer_indexed_total", "Documents Elasticsearch acknowledged.", ["kind"])
REPLAYED = Counter(
    "tradeties_indexer_version_conflicts_total",
    "Documents already stored at this or a newer version (replays), counted as success.",
    ["kind"],
)
DEAD_LETTERED = Counter("tradeties_indexer_dead_lettered_total", "Messages or documents sent to a dead-letter topic.", ["reason"])
IGNORED = Counter("tradeties_indexer_ignored_total", "Malformed input dropped under on_malformed=ignore.", ["reason"])
RETRIES = Counter("tradeties_indexer_retries_total", "Bulk retries by reason.", ["reason"])
BATCH_SECONDS = Histogram(
    "tradeties_indexer_batch_seconds",
    "Time to get one batch acknowledged by Elasticsearch.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
BATCH_DOCS = Histogram(
    "tradeties_indexer_batch_documents", "Documents per bulk batch.", buckets=(1, 10, 50, 100, 250, 500, 1000, 2500, 5000)
)
PAUSED = Gauge("tradeties_indexer_paused", "1 while consumption is paused for backpressure.")
COMMITTED = Counter("tradeties_indexer_committed_messages_total", "Kafka messages whose offsets were committed.")
