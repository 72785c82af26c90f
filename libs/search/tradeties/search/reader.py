"""Reading the read aliases (IO edge of query.py and alerts.py): search, one article, alerts, and
every document once for export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog
from elasticsearch import ApiError, Elasticsearch, helpers

from tradeties.common.indices import Kind, names_for

from .alerts import AlertParams, build_alerts, parse_alerts
from .query import SearchParams, SearchResult, build_search, parse_search, validate

log = structlog.get_logger(__name__)


def search(client: Elasticsearch, prefix: str, params: SearchParams) -> SearchResult:
    resp = client.search(index=names_for(prefix)[Kind.ARTICLES].read_alias, body=build_search(validate(params)))
    return parse_search(resp.body)


def article(client: Elasticsearch, prefix: str, article_id: str) -> dict[str, Any] | None:
    """The whole document of one article (classification and evidence included), or None."""
    resp = client.search(index=names_for(prefix)[Kind.ARTICLES].read_alias, query={"ids": {"values": [article_id]}}, size=1)
    hits = resp.body["hits"]["hits"]
    return hits[0]["_source"] if hits else None


def alerts(client: Elasticsearch, prefix: str, params: AlertParams) -> tuple[int, list[dict[str, Any]]]:
    resp = client.search(index=names_for(prefix)[Kind.ALERTS].read_alias, body=build_alerts(params))
    return parse_alerts(resp.body)


def iter_documents(client: Elasticsearch, prefix: str, *, page_size: int = 500) -> Iterator[dict[str, Any]]:
    """Every article document once: point-in-time + search_after where the cluster has PIT
    (a consistent snapshot, even across an alias swap), else a scroll."""
    alias = names_for(prefix)[Kind.ARTICLES].read_alias
    try:
        pit = client.open_point_in_time(index=alias, keep_alive="2m").body["id"]
    except ApiError as exc:
        if exc.status_code not in (400, 404, 405, 501) or exc.error == "index_not_found_exception":
            raise
        log.info("point-in-time unavailable, using scroll", error=exc.error)
        for hit in helpers.scan(client, index=alias, query={"sort": ["_doc"]}, size=page_size, preserve_order=True):
            yield hit["_source"]
        return
    try:
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "size": page_size,
                "pit": {"id": pit, "keep_alive": "2m"},
                "sort": [{"_shard_doc": "asc"}],
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            resp = client.search(body=body).body
            hits = resp["hits"]["hits"]
            if not hits:
                return
            pit = resp.get("pit_id", pit)
            for hit in hits:
                yield hit["_source"]
            after = hits[-1]["sort"]
    finally:
        try:
            client.close_point_in_time(id=pit)
        except ApiError:
            pass
