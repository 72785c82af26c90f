"""Prometheus metrics of the crawler (default registry; served by ``serve_metrics``).

A ``Stats`` object mirrors the counters per crawler instance, so tests and the progress line
read exact numbers for one run while the process-wide counters keep growing for Prometheus.
"""

from __future__ import annotations

from collections import Counter as Tally

from prometheus_client import Counter, Gauge

FETCHED = Counter("tradeties_crawler_fetched_total", "Responses with a body (200), by kind.", ["kind"])
NOT_MODIFIED = Counter(
    "tradeties_crawler_not_modified_total", "Unchanged documents (304, or identical body hash), by kind.", ["kind"]
)
ERRORS = Counter("tradeties_crawler_errors_total", "Failed URLs by reason.", ["kind", "reason"])
PUBLISHED = Counter("tradeties_crawler_published_total", "Articles acknowledged by the broker.")
DUPLICATES = Counter("tradeties_crawler_duplicates_total", "Duplicates not published, by kind.", ["kind"])
#: No host label: links decide the hosts, so a per-host series would be unbounded (a hostile
#: homepage can link a million host names).
QUEUE_DEPTH = Gauge("tradeties_crawler_queue_depth", "URLs waiting, all hosts together.")


class Stats:
    def __init__(self) -> None:
        self.fetched: Tally[str] = Tally()
        self.not_modified: Tally[str] = Tally()
        self.errors: Tally[str] = Tally()
        self.published = 0
        self.duplicates: Tally[str] = Tally()

    def fetch(self, kind: str) -> None:
        self.fetched[kind] += 1
        FETCHED.labels(kind).inc()

    def unchanged(self, kind: str) -> None:
        self.not_modified[kind] += 1
        NOT_MODIFIED.labels(kind).inc()

    def error(self, kind: str, reason: str) -> None:
        self.errors[reason] += 1
        ERRORS.labels(kind, reason).inc()

    def publish(self) -> None:
        self.published += 1
        PUBLISHED.inc()

    def duplicate(self, kind: str) -> None:
        self.duplicates[kind] += 1
        DUPLICATES.labels(kind).inc()

    def line(self) -> dict[str, object]:
        return {
            "fetched": sum(self.fetched.values()),
            "not_modified": sum(self.not_modified.values()),
            "published": self.published,
            "duplicates": sum(self.duplicates.values()),
            "errors": sum(self.errors.values()),
        }
