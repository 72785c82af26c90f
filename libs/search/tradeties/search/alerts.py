"""Delegation alert queries (pure): the alerts timeline of the page and the alerts feed.

One document per alert (``_id`` = alert id, replaced by each revision), so a listing holds each
event once with its newest outlets; newest ``updated_at`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .query import MAX_WINDOW, InvalidSearch, date_range, text_query


@dataclass(frozen=True)
class AlertParams:
    query: str = ""
    #: an alert matches when its origin or destination is one of these regions / countries
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    since: date | datetime | None = None
    until: date | datetime | None = None
    size: int = 20
    offset: int = 0
    #: indexed at or after this, oldest indexed first (watch channels); None: newest update first
    indexed_since: datetime | None = None


def build_alerts(p: AlertParams) -> dict[str, Any]:
    """The body of ``POST {alerts read alias}/_search``."""
    if p.offset + p.size > MAX_WINDOW or p.size < 0 or p.offset < 0:
        raise InvalidSearch(f"offset + size must be between 0 and {MAX_WINDOW}")
    filters: list[dict[str, Any]] = [
        *date_range("updated_at", p.since, p.until),
        *date_range("indexed_at", p.indexed_since, None),
    ]
    if p.regions:
        filters.append(
            {
                "bool": {
                    "should": [
                        {"terms": {"origin_region_id": list(p.regions)}},
                        {"terms": {"destination_region_id": list(p.regions)}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    if p.countries:
        cc = [c.upper() for c in p.countries]
        filters.append(
            {
                "bool": {
                    "should": [{"terms": {"origin.country": cc}}, {"terms": {"destination.country": cc}}],
                    "minimum_should_match": 1,
                }
            }
        )
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text_query(p.query, ["title"])], "filter": filters}},
        "size": p.size,
        "track_total_hits": True,
        "sort": [{"indexed_at": "asc"}, {"alert_id": "asc"}]
        if p.indexed_since
        else [{"updated_at": {"order": "desc", "missing": "_last"}}, {"alert_id": "asc"}],
    }
    if p.offset:
        body["from"] = p.offset
    return body


def parse_alerts(resp: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    """(total, alert documents) of a response to :func:`build_alerts`."""
    total = resp.get("hits", {}).get("total", {})
    docs = [h["_source"] for h in resp.get("hits", {}).get("hits", [])]
    return int(total.get("value", 0) if isinstance(total, dict) else total), docs


def route(alert: dict[str, Any]) -> str:
    """ "origin → destination" by region name (id when unnamed, '?' when unknown)."""
    return f"{place(alert.get('origin'))} → {place(alert.get('destination'))}"


def place(region: dict[str, Any] | None) -> str:
    if not region:
        return "?"
    name = region.get("name") or region.get("id") or "?"
    return f"{name} ({region['country']})" if region.get("country") else name
