"""Search requests and responses (pure): the one query builder of `tradeties search`, the API and
the feeds.

Ranking: BM25 over title (boosted) and body with the ``tradeties_text`` analyzer; ties by
publication date. The user's text goes through ``simple_query_string`` (``"phrases"``, ``-not``,
``a | b``, ``prefix*``), which never raises a syntax error, so no input can break the request;
lengths and counts are bounded by :func:`validate`. Filters are exact keyword terms and a date
range on ``published_at``, in ``filter`` context (cached, no effect on scores). Facets are terms
aggregations on the same keyword fields Kibana filters on. Only relevant articles are returned
unless ``relevant`` is None (any) or False.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

#: facet name (as printed) → keyword field
FACETS: dict[str, str] = {
    "region": "region_ids",
    "country": "countries",
    "sector": "sectors",
    "event_type": "event_types",
    "source": "source",
}

HIGHLIGHT_FIELDS = ("title", "body")
#: Elasticsearch's default index.max_result_window: offset + size beyond it is refused.
MAX_WINDOW = 10_000
MAX_QUERY_CHARS = 500
MAX_VALUES = 20
MAX_VALUE_CHARS = 200
#: simple_query_string operators offered; FUZZY/NEAR/SLOP are left out (costly, rarely meant).
QUERY_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE"


class InvalidSearch(ValueError):
    """A search parameter is out of bounds; the message says which and why (HTTP 400, CLI usage error)."""


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
    #: True: relevant articles only (the default); False: only the others; None: any.
    relevant: bool | None = True
    size: int = 10
    offset: int = 0
    facet_size: int = 10
    #: indexed at or after this (watch channels: what is new since their cursor)
    indexed_since: datetime | None = None
    #: "relevance": score, then newest; "newest": publication date only (feeds); "indexed": oldest
    #: indexed first (channels deliver in the order articles arrived)
    sort: Literal["relevance", "newest", "indexed"] = "relevance"
    facets: bool = True
    pre_tag: str = "<em>"
    post_tag: str = "</em>"
    #: "html": the snippet text is HTML-escaped around the tags (safe to render); "default": raw text
    encoder: Literal["default", "html"] = "default"

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The keyword filters by facet name."""
        return {
            "region": self.regions,
            "country": self.countries,
            "sector": self.sectors,
            "event_type": self.event_types,
            "source": self.sources,
        }


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
    event_types: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    delegation: dict[str, Any] | None = None
    classified_at: str | None = None
    indexed_at: str | None = None
    relevant: bool | None = None
    #: the title with its matches marked, when the title matched (it is then snippets[0])
    highlighted_title: str | None = None


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: region id → readable name, for the region facet's keys ("gn:2655603" → "Birmingham")
    labels: dict[str, str] = field(default_factory=dict)


def validate(p: SearchParams) -> SearchParams:
    """``p`` if every bound holds, else :class:`InvalidSearch` naming the first one broken."""
    if len(p.query) > MAX_QUERY_CHARS:
        raise InvalidSearch(f"query is {len(p.query)} characters long; at most {MAX_QUERY_CHARS} are allowed")
    for name, values in p.filters().items():
        if len(values) > MAX_VALUES:
            raise InvalidSearch(f"{name}: {len(values)} values given; at most {MAX_VALUES} are allowed")
        for v in values:
            if not v.strip() or len(v) > MAX_VALUE_CHARS or any(ord(c) < 32 for c in v):
                raise InvalidSearch(f"{name}: {v[:40]!r} is not a valid value (1–{MAX_VALUE_CHARS} printable characters)")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in p.query):
        raise InvalidSearch("query contains control characters")
    if p.size < 0 or p.offset < 0:
        raise InvalidSearch("size and offset must not be negative")
    if p.offset + p.size > MAX_WINDOW:
        raise InvalidSearch(f"offset + size is {p.offset + p.size}; results beyond {MAX_WINDOW} cannot be paged to")
    if p.since and p.until and _day(p.since) > _day(p.until):
        raise InvalidSearch(f"since ({p.since.isoformat()}) is after until ({p.until.isoformat()})")
    return p


def _day(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


def _terms(fieldname: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    if not values:
        return []
    return [{"terms": {fieldname: list(values)}}]


def date_range(fieldname: str, since: date | datetime | None, until: date | datetime | None) -> list[dict[str, Any]]:
    """A range filter; a bare ``until`` date includes that whole day."""
    if not (since or until):
        return []
    rng: dict[str, str] = {}
    if since:
        rng["gte"] = since.isoformat()
    if until:
        rng["lte" if isinstance(until, datetime) else "lt"] = (
            until.isoformat() if isinstance(until, datetime) else f"{until.isoformat()}||+1d"
        )
    return [{"range": {fieldname: rng}}]


def text_query(text: str, fields: list[str]) -> dict[str, Any]:
    """The user's words as a query that cannot fail to parse; empty or '*' matches everything."""
    text = text.strip()
    if not text or text == "*":
        return {"match_all": {}}
    return {
        "simple_query_string": {"query": text, "fields": fields, "default_operator": "or", "flags": QUERY_FLAGS, "lenient": True}
    }


def article_filters(p: SearchParams) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = [
        *_terms("region_ids", p.regions),
        *_terms("countries", tuple(c.upper() for c in p.countries)),
        *_terms("sectors", p.sectors),
        *_terms("event_types", p.event_types),
        *_terms("source", p.sources),
        *date_range("published_at", p.since, p.until),
        *date_range("indexed_at", p.indexed_since, None),
    ]
    if p.relevant is not None:
        filters.append({"term": {"relevant": p.relevant}})
    return filters


SOURCE_FIELDS = [
    "id",
    "title",
    "url",
    "source",
    "published_at",
    "primary_event_type",
    "region_ids",
    "event_types",
    "sectors",
    "regions.id",
    "regions.name",
    "regions.role",
    "regions.country",
    "delegation.origin.id",
    "delegation.origin.name",
    "delegation.origin.country",
    "delegation.destination.id",
    "delegation.destination.name",
    "delegation.destination.country",
    "classified_at",
    "indexed_at",
    "relevant",
]


def build_search(p: SearchParams) -> dict[str, Any]:
    """The body of ``POST {read alias}/_search``."""
    newest = {"published_at": {"order": "desc", "missing": "_last"}}
    sort = {
        "relevance": ["_score", newest],
        "newest": [newest, {"id": "asc"}],
        "indexed": [{"indexed_at": "asc"}, {"id": "asc"}],
    }[p.sort]
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text_query(p.query, ["title^3", "body"])], "filter": article_filters(p)}},
        "size": p.size,
        "track_total_hits": True,
        "sort": sort,
        "_source": SOURCE_FIELDS,
        "highlight": {
            "pre_tags": [p.pre_tag],
            "post_tags": [p.post_tag],
            "encoder": p.encoder,
            "fields": {
                "title": {"number_of_fragments": 0},
                "body": {"fragment_size": 160, "number_of_fragments": 2, "no_match_size": 160},
            },
        },
    }
    if p.offset:
        body["from"] = p.offset
    if p.facets:
        body["aggs"] = {name: {"terms": {"field": f, "size": p.facet_size}} for name, f in FACETS.items()}
        # Region ids are opaque ("gn:2655603"): each id's name, from the nested region objects.
        body["aggs"][LABELS] = {
            "nested": {"path": "regions"},
            "aggs": {
                "ids": {
                    "terms": {"field": "regions.id", "size": p.facet_size * 3},
                    "aggs": {"name": {"terms": {"field": "regions.name", "size": 1}}},
                }
            },
        }
    return body


LABELS = "region_labels"


def _labels(resp: dict[str, Any]) -> dict[str, str]:
    buckets = resp.get("aggregations", {}).get(LABELS, {}).get("ids", {}).get("buckets", [])
    return {b["key"]: b["name"]["buckets"][0]["key"] for b in buckets if b.get("name", {}).get("buckets")}


def parse_search(resp: dict[str, Any]) -> SearchResult:
    hits = []
    for h in resp.get("hits", {}).get("hits", []):
        src, hl = h.get("_source", {}), h.get("highlight", {})
        snippets = [*hl.get("title", []), *hl.get("body", [])]
        hits.append(
            Hit(
                id=src.get("id", h.get("_id")),
                score=h.get("_score"),
                title=src.get("title", ""),
                url=src.get("url", ""),
                source=src.get("source", ""),
                published_at=src.get("published_at"),
                primary_event_type=src.get("primary_event_type"),
                region_ids=src.get("region_ids", []),
                snippets=snippets,
                event_types=src.get("event_types", []),
                sectors=src.get("sectors", []),
                regions=src.get("regions", []),
                delegation=src.get("delegation"),
                classified_at=src.get("classified_at"),
                indexed_at=src.get("indexed_at"),
                relevant=src.get("relevant"),
                highlighted_title=(hl.get("title") or [None])[0],
            )
        )
    return SearchResult(total=_total(resp), hits=hits, facets=_facets(resp), labels=_labels(resp))


def _total(resp: dict[str, Any]) -> int:
    total = resp.get("hits", {}).get("total", {})
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def _facets(resp: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    return {
        name: [(b["key"], b["doc_count"]) for b in agg.get("buckets", [])]
        for name, agg in resp.get("aggregations", {}).items()
        if name != LABELS
    }


def result_json(r: SearchResult) -> dict[str, Any]:
    return {
        "total": r.total,
        "hits": [vars(h) for h in r.hits],
        "facets": {
            k: [{"key": key, "count": n, "label": r.labels.get(key, key) if k == "region" else key} for key, n in v]
            for k, v in r.facets.items()
        },
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
            lines.append(
                f"{name}: "
                + ", ".join(
                    f"{r.labels[k]} [{k}] ({n})" if name == "region" and k in r.labels else f"{k} ({n})" for k, n in buckets
                )
            )
    return "\n".join(lines)
