"""Index templates (pure): the mappings and settings of the articles and alerts indices.

Dynamic mapping is ``strict``: a field the mapping does not know is a rejected document (dead
letter), never a silent mapping explosion. The text analyzer depends on the cluster: English
stemming where analysis-common exists, the built-in standard analyzer with English stop words
where it does not (the local dev node). Either way it is called ``tradeties_text``, so queries
never need to know which one they got.
"""

from __future__ import annotations

from typing import Any

from tradeties.common.indices import IndexNames, Kind

from .capabilities import Capabilities

#: Bump when a mapping changes incompatibly: `tradeties indexer reindex` then builds a new version.
MAPPING_VERSION = 2  # 2: place ids, RegionTag.parents, region_names

TEXT_ANALYZER = "tradeties_text"

KEYWORD = {"type": "keyword", "ignore_above": 512}
DATE = {"type": "date"}
FLOAT = {"type": "float"}


def analysis(caps: Capabilities) -> dict[str, Any]:
    if caps.english_stemming:
        return {
            "filter": {
                "tradeties_english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "tradeties_english_stop": {"type": "stop", "stopwords": "_english_"},
                "tradeties_english_stemmer": {"type": "stemmer", "language": "english"},
            },
            "analyzer": {
                TEXT_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "tradeties_english_possessive",
                        "lowercase",
                        "tradeties_english_stop",
                        "tradeties_english_stemmer",
                    ],
                }
            },
        }
    # Built into the server module: no stemming, but English stop words.
    return {"analyzer": {TEXT_ANALYZER: {"type": "standard", "stopwords": "_english_"}}}


def _text(keyword_subfield: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": TEXT_ANALYZER}
    if keyword_subfield:
        field["fields"] = {"raw": {"type": "keyword", "ignore_above": 1024}}
    return field


def region_properties() -> dict[str, Any]:
    """A RegionTag plus ``location`` (geo_point from lat/lon) for maps."""
    return {
        "id": KEYWORD,
        "name": {"type": "keyword", "ignore_above": 512, "fields": {"text": {"type": "text", "analyzer": TEXT_ANALYZER}}},
        "country": KEYWORD,
        "iso3166_2": KEYWORD,
        "geonames_id": {"type": "long"},
        "admin_level": KEYWORD,
        "lat": FLOAT,
        "lon": FLOAT,
        "location": {"type": "geo_point"},
        "parent_id": KEYWORD,
        "parents": KEYWORD,
        "role": KEYWORD,
        "confidence": FLOAT,
        "evidence": {"type": "text", "analyzer": TEXT_ANALYZER},
    }


def label_properties() -> dict[str, Any]:
    return {"id": KEYWORD, "confidence": FLOAT, "evidence": {"type": "text", "analyzer": TEXT_ANALYZER}}


def article_mappings() -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "_meta": {"tradeties_mapping_version": MAPPING_VERSION, "kind": Kind.ARTICLES.value},
        "properties": {
            "id": KEYWORD,
            "url": KEYWORD,
            "canonical_url": KEYWORD,
            "source": KEYWORD,
            "title": _text(keyword_subfield=True),
            "body": _text(),
            "language": KEYWORD,
            "content_hash": KEYWORD,
            "published_at": DATE,
            "fetched_at": DATE,
            "classified_at": DATE,
            "indexed_at": DATE,
            # Kept in _source for audits and export, not searchable.
            "extraction": {"type": "object", "enabled": False},
            "relevant": {"type": "boolean"},
            "relevance": FLOAT,
            "model_version": KEYWORD,
            "cluster_id": KEYWORD,
            # Flat facets: what Kibana filters and `tradeties search` aggregate on.
            "region_ids": KEYWORD,
            "region_names": KEYWORD,  # readable facet beside the ids ("Columbus" may be several places)
            "countries": KEYWORD,
            "sectors": KEYWORD,
            "event_types": KEYWORD,
            "primary_event_type": KEYWORD,
            "origin_region_id": KEYWORD,
            "destination_region_id": KEYWORD,
            # Every region's point: a top-level geo field for the map layer.
            "location": {"type": "geo_point"},
            # Role-aware queries ("Guizhou as origin") need nested region objects.
            "regions": {"type": "nested", "properties": region_properties()},
            "sector_labels": {"type": "nested", "properties": label_properties()},
            "event_type_labels": {"type": "nested", "properties": label_properties()},
            "delegation": {
                "type": "object",
                "properties": {"origin": {"properties": region_properties()}, "destination": {"properties": region_properties()}},
            },
        },
    }


def alert_mappings() -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "_meta": {"tradeties_mapping_version": MAPPING_VERSION, "kind": Kind.ALERTS.value},
        "properties": {
            "alert_id": KEYWORD,
            "cluster_id": KEYWORD,
            "revision": {"type": "integer"},
            "origin": {"properties": region_properties()},
            "destination": {"properties": region_properties()},
            "origin_region_id": KEYWORD,
            "destination_region_id": KEYWORD,
            "location": {"type": "geo_point"},
            "title": _text(keyword_subfield=True),
            "url": KEYWORD,
            "article_ids": KEYWORD,
            "sources": KEYWORD,
            "article_count": {"type": "integer"},
            "event_date": DATE,
            "first_seen_at": DATE,
            "updated_at": DATE,
            "indexed_at": DATE,
        },
    }


def index_settings(caps: Capabilities, *, shards: int = 1, replicas: int = 0, segments_per_tier: int = 10) -> dict[str, Any]:
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "merge": {"policy": {"segments_per_tier": segments_per_tier}},
        "analysis": analysis(caps),
    }


def index_template(
    names: IndexNames, caps: Capabilities, *, shards: int = 1, replicas: int = 0, segments_per_tier: int = 10
) -> dict[str, Any]:
    """The body of ``PUT _index_template/{names.template}``."""
    mappings = article_mappings() if names.kind is Kind.ARTICLES else alert_mappings()
    settings = index_settings(caps, shards=shards, replicas=replicas, segments_per_tier=segments_per_tier)
    return {
        "index_patterns": [names.pattern],
        "priority": 200,
        "version": MAPPING_VERSION,
        "_meta": {"managed_by": "tradeties indexer", "analysis": caps.analysis},
        "template": {"settings": settings, "mappings": mappings},
    }


def field_paths(mappings: dict[str, Any]) -> set[str]:
    """Every searchable field path of a mapping, sub-fields included (``title.raw``)."""
    out: set[str] = set()

    def walk(props: dict[str, Any], prefix: str) -> None:
        for name, spec in props.items():
            path = f"{prefix}{name}"
            out.add(path)
            if "properties" in spec:
                walk(spec["properties"], path + ".")
            for sub in spec.get("fields", {}):
                out.add(f"{path}.{sub}")

    walk(mappings["properties"], "")
    return out
