"""Search requests and responses (pure): `tradeties search` builds its body here.

Ranking: BM25 over title (boosted) and body with the ``tradeties_text`` analyzer; ties by
publication date. Filters are exact keyword terms and a date range on ``published_at``, in
``filter`` context (cached, no effect on scores). Facets are terms aggregations on the same
keyword fields Kibana filters on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: facet name (as printed) → keyword field
FACETS: dict[str, str] = {
    "region": "region_ids",
    "country": "countries",
    "sector": "sectors",
    "event_type": "event_types",
    "source": "source",
}

HIGHLIGHT_FIELDS = ("title", "body")


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: date | datetime | None = None
    until: date | datetime | None = None
    size: int = 10
    facet_size: int = 10
    pre_tag: str = "<em>"
    post_tag: str = "</em>"


@dataclass(frozen=True)
class Hit:
    id: str
    score: float | None
    title: str
    url: str
    source: str
    published_at: str | None
    primary_event_type: str | None
    region_ids: list[str]
    snippets: list[str]


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _terms(fieldname: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    if not values:
        return []
    return [{"terms": {fieldname: list(values)}}]


def _iso(d: date | datetime) -> str:
    return d.isoformat()


def build_search(p: SearchParams) -> dict[str, Any]:
    """The body of ``POST {read alias}/_search``."""
    text = p.query.strip()
    must: list[dict[str, Any]]
    if text and text != "*":
        must = [{"multi_match": {"query": text, "fields": ["title^3", "body"], "type": "best_fields",
                                 "operator": "or"}}]
    else:
        must = [{"match_all": {}}]
    filters: list[dict[str, Any]] = [
        *_terms("region_ids", p.regions),
        *_terms("countries", tuple(c.upper() for c in p.countries)),
        *_terms("sectors", p.sectors),
        *_terms("event_types", p.event_types),
        *_terms("source", p.sources),
    ]
    if p.since or p.until:
        rng: dict[str, str] = {}
        if p.since:
            rng["gte"] = _iso(p.since)
        if p.until:
            # A bare date means "through the end of that day".
            rng["lte" if isinstance(p.until, datetime) else "lt"] = (
                _iso(p.until) if isinstance(p.until, datetime) else f"{_iso(p.until)}||+1d")
        filters.append({"range": {"published_at": rng}})
    return {
        "query": {"bool": {"must": must, "filter": filters}},
        "size": p.size,
        "track_total_hits": True,
        "sort": ["_score", {"published_at": {"order": "desc", "missing": "_last"}}],
        "_source": ["id", "title", "url", "source", "published_at", "primary_event_type", "region_ids"],
        "highlight": {
            "pre_tags": [p.pre_tag], "post_tags": [p.post_tag], "encoder": "default",
            "fields": {"title": {"number_of_fragments": 0},
                       "body": {"fragment_size": 160, "number_of_fragments": 2, "no_match_size": 160}},
        },
        "aggs": {name: {"terms": {"field": f, "size": p.facet_size}} for name, f in FACETS.items()},
    }


def parse_search(resp: dict[str, Any]) -> SearchResult:
    hits = []
    for h in resp.get("hits", {}).get("hits", []):
        src, hl = h.get("_source", {}), h.get("highlight", {})
        snippets = [*hl.get("title", []), *hl.get("body", [])]
        hits.append(Hit(id=src.get("id", h.get("_id")), score=h.get("_score"), title=src.get("title", ""),
                        url=src.get("url", ""), source=src.get("source", ""), published_at=src.get("published_at"),
                        primary_event_type=src.get("primary_event_type"), region_ids=src.get("region_ids", []),
                        snippets=snippets))
    total = resp.get("hits", {}).get("total", {})
    facets = {name: [(b["key"], b["doc_count"]) for b in agg.get("buckets", [])]
              for name, agg in resp.get("aggregations", {}).items()}
    return SearchResult(total=int(total.get("value", 0) if isinstance(total, dict) else total), hits=hits,
                        facets=facets)


def result_json(r: SearchResult) -> dict[str, Any]:
    return {
        "total": r.total,
        "hits": [vars(h) for h in r.hits],
        "facets": {k: [{"key": key, "count": n} for key, n in v] for k, v in r.facets.items()},
    }


def format_table(r: SearchResult, width: int = 100) -> str:
    """Human-readable result: a ranked list with snippets, then facet counts."""
    lines = [f"{r.total} match(es)"]
    for i, h in enumerate(r.hits, 1):
        date_ = (h.published_at or "")[:10] or "----------"
        score = f"{h.score:6.2f}" if h.score is not None else "     -"
        lines.append(f"{i:>3}. {score}  {date_}  {h.source[:24]:<24} {h.title[: width - 48]}")
        meta = ", ".join(filter(None, [h.primary_event_type, *h.region_ids[:4]]))
        if meta:
            lines.append(f"{'':>13}[{meta}]")
        for s in h.snippets[:2]:
            lines.append(f"{'':>13}… {' '.join(s.split())[: width - 15]} …")
        lines.append(f"{'':>13}{h.url}")
    for name, buckets in r.facets.items():
        if buckets:
            lines.append(f"{name}: " + ", ".join(f"{k} ({n})" for k, n in buckets))
    return "\n".join(lines)
