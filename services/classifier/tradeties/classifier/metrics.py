"""Prometheus counters of the classifier service (served on faust's web server at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter

CLASSIFIED = Counter("tradeties_classifier_classified_total", "Articles classified and published.", ["relevant"])
DEAD_LETTERS = Counter(
    "tradeties_classifier_dead_letters_total", "Messages dead-lettered, by stage and reason.", ["stage", "reason"]
)
ALERTS = Counter("tradeties_alerts_total", "Delegation reports applied to alerts: raised, updated or duplicate.", ["outcome"])
