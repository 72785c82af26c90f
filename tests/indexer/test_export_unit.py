"""Export falls back from point-in-time to scroll on clusters that refuse PIT (ES stub on 127.0.0.1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from elasticsearch import Elasticsearch

from tradeties.indexer.documents import article_document
from tradeties.indexer.search import export_rows

from .es_stub import ESStub
from .factories import article

SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def test_export_uses_scroll_when_point_in_time_is_refused():
    docs = [json.loads(json.dumps(article_document(article(i), datetime(2026, 5, 2, tzinfo=UTC)), default=str)) for i in range(3)]
    with ESStub() as stub:
        stub.routes[("POST", "/tt-articles/_pit")] = lambda body: (
            405,
            {"error": {"type": "illegal_argument_exception", "reason": "no PIT here"}, "status": 405},
        )
        stub.routes[("POST", "/tt-articles/_search")] = lambda body: (
            200,
            {
                "_scroll_id": "s1",
                "_shards": SHARDS,
                "hits": {
                    "total": {"value": 3},
                    "hits": [{"_id": d["id"], "_source": d, "sort": [i]} for i, d in enumerate(docs[:2])],
                },
            },
        )
        pages = iter([[docs[2]], []])
        stub.routes[("POST", "/_search/scroll")] = lambda body: (
            200,
            {
                "_scroll_id": "s1",
                "_shards": SHARDS,
                "hits": {"hits": [{"_id": d["id"], "_source": d, "sort": [0]} for d in next(pages)]},
            },
        )
        stub.routes[("DELETE", "/_search/scroll")] = lambda body: (200, {"succeeded": True})
        rows = list(export_rows(Elasticsearch(stub.url), "tt"))
        assert [r["id"] for r in rows] == [d["id"] for d in docs]
        assert ("POST", "/_search/scroll") in stub.requests
