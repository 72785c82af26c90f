"""`tradeties export`: every indexed article as its export row (reads through tradeties.search)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from elasticsearch import Elasticsearch

from tradeties.search.reader import iter_documents

from .documents import export_row


def export_rows(client: Elasticsearch, prefix: str) -> Iterator[dict[str, Any]]:
    for doc in iter_documents(client, prefix):
        yield export_row(doc)
