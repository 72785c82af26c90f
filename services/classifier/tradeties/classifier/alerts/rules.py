"""Delegation alerts: one per delegation *event*, revised as further outlets report it.

Pure functions only; the faust agent (``stream/agents.py``) keeps the current alert of each event in a
changelog-backed table and calls :func:`apply_report` for every article reported on that event.
An article already counted on the alert is a replay (at-least-once redelivery after a crash or
rebalance): it changes nothing and is reported as ``duplicate``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from tradeties.common.events import Classification, ClassifiedArticle, Delegation, DelegationAlert, Event

DELEGATION_VISIT = "delegation_visit"

Outcome = Literal["raised", "updated", "duplicate"]


def is_delegation(classification: Classification) -> bool:
    """A relevant article reporting a delegation visit (primary or secondary event type)."""
    if not classification.relevant:
        return False
    return classification.primary_event_type == DELEGATION_VISIT or any(
        label.id == DELEGATION_VISIT for label in classification.event_types
    )


def alert_id_for(cluster_id: str) -> str:
    """Stable alert id of an event cluster: the same cluster always maps to the same alert."""
    return hashlib.sha256(f"{DELEGATION_VISIT}:{cluster_id}".encode()).hexdigest()[:32]


class ReportedArticle(BaseModel):
    """What an alert keeps of a reporting article."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    url: str
    source: str
    title: str
    published_at: AwareDatetime | None = None
    fetched_at: AwareDatetime


class ReportedEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cluster_id: str
    delegation: Delegation | None = None


class DelegationReport(Event):
    """A delegation article as the alerts agent reads it from the app's internal reports topic: the
    fields of a ClassifiedArticle that an alert takes (~1 KB against the article's ~7 KB of text and
    tags, each produced, fetched and decoded again)."""

    article: ReportedArticle
    classification: ReportedEvent

    @classmethod
    def of(cls, classified: ClassifiedArticle) -> DelegationReport:
        a, c = classified.article, classified.classification
        return cls(
            article=ReportedArticle(
                id=a.id, url=a.url, source=a.source, title=a.title, published_at=a.published_at, fetched_at=a.fetched_at
            ),
            classification=ReportedEvent(cluster_id=c.cluster_id, delegation=c.delegation),
        )


@dataclass(frozen=True)
class AlertChange:
    outcome: Outcome
    alert: DelegationAlert


def apply_report(current: DelegationAlert | None, report: DelegationReport | ClassifiedArticle) -> AlertChange:
    """The alert after ``report`` (a delegation article of the alert's cluster) is counted.

    Deterministic in its inputs (times come from the articles, not the clock), so a replay that
    recomputes a revision produces the same alert, not a different one with the same number.
    """
    article, cls = report.article, report.classification
    seen = article.fetched_at
    if current is None:
        delegation = cls.delegation
        return AlertChange(
            "raised",
            DelegationAlert(
                alert_id=alert_id_for(cls.cluster_id),
                cluster_id=cls.cluster_id,
                revision=1,
                origin=delegation.origin if delegation else None,
                destination=delegation.destination if delegation else None,
                title=article.title,
                url=article.url,
                article_ids=[article.id],
                sources=[article.source],
                event_date=article.published_at,
                first_seen_at=seen,
                updated_at=seen,
            ),
        )
    if current.cluster_id != cls.cluster_id:
        raise ValueError(f"article {article.id} is on cluster {cls.cluster_id}, not {current.cluster_id}")
    if article.id in current.article_ids:
        return AlertChange("duplicate", current)
    delegation = cls.delegation
    dates = [d for d in (current.event_date, article.published_at) if d is not None]
    return AlertChange(
        "updated",
        current.model_copy(
            update=dict(
                revision=current.revision + 1,
                # A later report may name a party the first one left out; it never overrides one.
                origin=current.origin or (delegation.origin if delegation else None),
                destination=current.destination or (delegation.destination if delegation else None),
                article_ids=[*current.article_ids, article.id],
                sources=current.sources if article.source in current.sources else [*current.sources, article.source],
                event_date=min(dates) if dates else None,
                updated_at=max(current.updated_at, seen),
            )
        ),
    )
