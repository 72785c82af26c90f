"""The real local Elasticsearch node answers the official 8.19 client: index, search, aggregate."""

from __future__ import annotations

import pytest
from elasticsearch import BadRequestError, Elasticsearch

pytestmark = pytest.mark.integration


def test_index_and_search(settings):
    es = Elasticsearch(settings.elasticsearch.url, request_timeout=30)
    index = f"{settings.elasticsearch.index_prefix}-articles"
    assert es.info()["version"]["number"].startswith("8.19.")
    es.indices.create(
        index=index,
        mappings={"properties": {"title": {"type": "text"}, "region": {"type": "keyword"}, "published": {"type": "date"}}},
    )
    docs = [
        {"title": "Guizhou delegation visits the Midlands Engine", "region": "CN-GZ", "published": "2026-11-01"},
        {"title": "Liverpool City Region trade mission to Shanghai", "region": "GB-LIV", "published": "2026-11-02"},
        {"title": "Sichuan and Birmingham sign an education agreement", "region": "CN-SC", "published": "2026-11-03"},
    ]
    for i, doc in enumerate(docs):
        es.index(index=index, id=str(i), document=doc)
    es.indices.refresh(index=index)

    hits = es.search(index=index, query={"match": {"title": "delegation midlands"}})["hits"]["hits"]
    assert [h["_id"] for h in hits][:1] == ["0"]
    aggs = es.search(index=index, size=0, aggs={"regions": {"terms": {"field": "region"}}})["aggregations"]
    assert sorted(b["key"] for b in aggs["regions"]["buckets"]) == ["CN-GZ", "CN-SC", "GB-LIV"]


def _english_stems(url: str) -> list[str] | None:
    es = Elasticsearch(url, request_timeout=30)
    try:
        tokens = es.indices.analyze(analyzer="english", text="delegations visited")["tokens"]
    except BadRequestError as exc:  # the plain node has no such analyzer
        assert "english" in str(exc)
        return None
    return [t["token"] for t in tokens]


def test_plain_node_lacks_english_analysis_and_the_english_node_has_it(es_url, es_english_url):
    assert _english_stems(es_url) is None
    assert _english_stems(es_english_url) == ["deleg", "visit"]
