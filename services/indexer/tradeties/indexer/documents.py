"""Events ⇄ Elasticsearch documents (pure).

An article document carries its classification as flat keyword facets (for aggregations and
Kibana filters) *and* as structured objects (for role-aware queries and a lossless export).
``external`` versions come from the event: ``classified_at`` for articles, ``revision`` for
alerts, so a replay can never overwrite a newer document with an older one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tradeties.common.events import Classification, ClassifiedArticle, DelegationAlert, RegionTag


def _iso(dt: datetime | None) -> str | None:  # alerts: few, built from the model
    return dt.isoformat() if dt else None


def article_version(event: ClassifiedArticle) -> int:
    """Microseconds since the epoch of ``classified_at``: a newer classification wins."""
    return int(event.classified_at.timestamp() * 1_000_000)


def alert_version(alert: DelegationAlert) -> int:
    return alert.revision


def _region(tag: RegionTag) -> dict[str, Any]:
    return _with_location(tag.model_dump(mode="json"))


def _with_location(region: dict[str, Any]) -> dict[str, Any]:
    if region.get("lat") is not None and region.get("lon") is not None:
        region["location"] = {"lat": region["lat"], "lon": region["lon"]}
    return region


def _points(regions: Sequence[dict[str, Any] | None]) -> list[dict[str, float]]:
    return [r["location"] for r in regions if r is not None and "location" in r]


def article_document(event: ClassifiedArticle, indexed_at: datetime) -> dict[str, Any]:
    # One model_dump (in pydantic-core; datetimes stay datetimes, the orjson serializer writes them
    # as RFC 3339) and plain dict work: this runs for every message.
    e = event.model_dump()
    a, c = e["article"], e["classification"]
    regions = [_with_location(r) for r in c["regions"]]
    delegation = c["delegation"]
    if delegation is not None:
        delegation = {k: _with_location(v) if v else None for k, v in delegation.items()}
    origin = delegation["origin"] if delegation else None
    destination = delegation["destination"] if delegation else None
    return {
        "id": a["id"],
        "url": a["url"],
        "canonical_url": a["canonical_url"],
        "source": a["source"],
        "title": a["title"],
        "body": a["text"],
        "language": c["language"] or a["language"],
        "content_hash": a["content_hash"],
        "published_at": a["published_at"],
        "fetched_at": a["fetched_at"],
        "classified_at": e["classified_at"],
        "indexed_at": indexed_at,
        "extraction": a["extraction"],
        "relevant": c["relevant"],
        "relevance": c["relevance"],
        "model_version": c["model_version"],
        "cluster_id": c["cluster_id"],
        "region_ids": sorted({r["id"] for r in regions}),
        "region_names": sorted({r["name"] for r in regions}),
        "countries": c["countries"],
        "sectors": [s["id"] for s in c["sectors"]],
        "event_types": [t["id"] for t in c["event_types"]],
        "primary_event_type": c["primary_event_type"],
        "origin_region_id": origin["id"] if origin else None,
        "destination_region_id": destination["id"] if destination else None,
        "location": _points(regions),
        "regions": regions,
        "sector_labels": c["sectors"],
        "event_type_labels": c["event_types"],
        "delegation": delegation,
    }


def alert_document(alert: DelegationAlert, indexed_at: datetime) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "cluster_id": alert.cluster_id,
        "revision": alert.revision,
        "origin": _region(alert.origin) if alert.origin else None,
        "destination": _region(alert.destination) if alert.destination else None,
        "origin_region_id": alert.origin.id if alert.origin else None,
        "destination_region_id": alert.destination.id if alert.destination else None,
        "location": [
            {"lat": t.lat, "lon": t.lon}
            for t in (alert.origin, alert.destination)
            if t is not None and t.lat is not None and t.lon is not None
        ],
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
    return Classification.model_validate(
        {
            "relevant": doc["relevant"],
            "relevance": doc["relevance"],
            "regions": [_tag(r) for r in doc.get("regions", [])],
            "countries": doc.get("countries", []),
            "sectors": doc.get("sector_labels", []),
            "event_types": doc.get("event_type_labels", []),
            "primary_event_type": doc.get("primary_event_type"),
            "delegation": None
            if delegation is None
            else {"origin": _tag(delegation.get("origin")), "destination": _tag(delegation.get("destination"))},
            "language": doc.get("language"),
            "cluster_id": doc["cluster_id"],
            "model_version": doc["model_version"],
        }
    )


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
