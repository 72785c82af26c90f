"""Elasticsearch access for the pipeline's probes and tests, through the indexer's own naming and
client construction (one definition of aliases and auth)."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from tradeties.common.settings import ElasticsearchSettings


def client_for(es: ElasticsearchSettings) -> Elasticsearch:
    from tradeties.indexer.admin import client_for as indexer_client

    return indexer_client(es)


def read_alias(prefix: str, kind: str) -> str:
    """The read alias of 'articles' or 'alerts' for an index prefix."""
    from tradeties.common.indices import Kind, names_for

    return names_for(prefix)[Kind(kind)].read_alias
