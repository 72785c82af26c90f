"""Events ⇄ Elasticsearch documents (pure).

An article document carries its classification as flat keyword facets (for aggregations and
Kibana filters) *and* as structured objects (for role-aware queries and a lossless export).
``external`` versions come from the event: ``classified_at`` for articles, ``revision`` for
alerts, so a replay can never overwrite a newer document with an older one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradeties.common.events import ClassifiedArticle, Classification, DelegationAlert, RegionTag


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def article_version(event: ClassifiedArticle) -> int:
    """Microseconds since the epoch of ``classified_at``: a newer classification wins."""
    return int(event.classified_at.timestamp() * 1_000_000)


def alert_version(alert: DelegationAlert) -> int:
    return alert.revision


def _region(tag: RegionTag) -> dict[str, Any]:
    doc = tag.model_dump(mode="json")
    if tag.lat is not None and tag.lon is not None:
        doc["location"] = {"lat": tag.lat, "lon": tag.lon}
    return doc


def _points(tags: list[RegionTag | None]) -> list[dict[str, float]]:
    return [{"lat": t.lat, "lon": t.lon} for t in tags if t is not None and t.lat is not None and t.lon is not None]


def article_document(event: ClassifiedArticle, indexed_at: datetime) -> dict[str, Any]:
    a, c = event.article, event.classification
    delegation = c.delegation
    doc: dict[str, Any] = {
        "id": a.id,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "source": a.source,
        "title": a.title,
        "body": a.text,
        "language": c.language or a.language,
        "content_hash": a.content_hash,
        "published_at": _iso(a.published_at),
        "fetched_at": _iso(a.fetched_at),
        "classified_at": _iso(event.classified_at),
        "indexed_at": _iso(indexed_at),
        "extraction": a.extraction.model_dump(mode="json"),
        "relevant": c.relevant,
        "relevance": c.relevance,
        "model_version": c.model_version,
        "cluster_id": c.cluster_id,
        "region_ids": sorted({r.id for r in c.regions}),
        "countries": list(c.countries),
        "sectors": [s.id for s in c.sectors],
        "event_types": [e.id for e in c.event_types],
        "primary_event_type": c.primary_event_type,
        "origin_region_id": delegation.origin.id if delegation and delegation.origin else None,
        "destination_region_id": delegation.destination.id if delegation and delegation.destination else None,
        "location": _points(list(c.regions)),
        "regions": [_region(r) for r in c.regions],
        "sector_labels": [s.model_dump(mode="json") for s in c.sectors],
        "event_type_labels": [e.model_dump(mode="json") for e in c.event_types],
        "delegation": None if delegation is None else {
            "origin": _region(delegation.origin) if delegation.origin else None,
            "destination": _region(delegation.destination) if delegation.destination else None,
        },
    }
    return doc


def alert_document(alert: DelegationAlert, indexed_at: datetime) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "cluster_id": alert.cluster_id,
        "revision": alert.revision,
        "origin": _region(alert.origin) if alert.origin else None,
        "destination": _region(alert.destination) if alert.destination else None,
        "origin_region_id": alert.origin.id if alert.origin else None,
        "destination_region_id": alert.destination.id if alert.destination else None,
        "location": _points([alert.origin, alert.destination]),
        "title": alert.title,
        "url": alert.url,
        "article_ids": list(alert.article_ids),
        "sources": list(alert.sources),
        "article_count": len(alert.article_ids),
        "event_date": _iso(alert.event_date),
        "first_seen_at": _iso(alert.first_seen_at),
        "updated_at": _iso(alert.updated_at),
        "indexed_at": _iso(indexed_at),
    }


def _tag(doc: dict[str, Any] | None) -> RegionTag | None:
    if not doc:
        return None
    return RegionTag.model_validate({k: v for k, v in doc.items() if k != "location"})


def classification_of(doc: dict[str, Any]) -> Classification:
    """Rebuild the Classification an article document was made from (lossless)."""
    delegation = doc.get("delegation")
    return Classification.model_validate({
        "relevant": doc["relevant"],
        "relevance": doc["relevance"],
        "regions": [_tag(r) for r in doc.get("regions", [])],
        "countries": doc.get("countries", []),
        "sectors": doc.get("sector_labels", []),
        "event_types": doc.get("event_type_labels", []),
        "primary_event_type": doc.get("primary_event_type"),
        "delegation": None if delegation is None else {
            "origin": _tag(delegation.get("origin")), "destination": _tag(delegation.get("destination"))},
        "language": doc.get("language"),
        "cluster_id": doc["cluster_id"],
        "model_version": doc["model_version"],
    })


def export_row(doc: dict[str, Any]) -> dict[str, Any]:
    """One line of `tradeties export`: the article's identity plus its classification in the shape
    `tradeties classify` prints (``id`` first, then the Classification fields)."""
    c = classification_of(doc)
    return {
        "id": doc["id"],
        "url": doc["url"],
        "title": doc["title"],
        "published_at": doc.get("published_at"),
        "source": doc["source"],
        **c.model_dump(mode="json"),
    }
