"""Elasticsearch access for the pipeline's probes and tests: the shared client and naming of
tradeties.search (one definition of aliases and auth)."""

from __future__ import annotations

from tradeties.search.client import client_for  # noqa: F401 (the pipeline's probes and tests import it from here)
from tradeties.search.names import Kind, names_for


def read_alias(prefix: str, kind: str) -> str:
    """The read alias of 'articles' or 'alerts' for an index prefix."""
    return names_for(prefix)[Kind(kind)].read_alias
