"""The Elasticsearch client, configured from settings (auth, TLS, timeouts): one construction for
the indexer, the CLI, the API and the pipeline's probes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from tradeties.common.reachability import Unreachable, require_elasticsearch
from tradeties.common.settings import ElasticsearchSettings


def client_for(
    es: ElasticsearchSettings, *, request_timeout_s: float | None = None, max_retries: int | None = None
) -> Elasticsearch:
    """A client for ``es``; user-facing readers pass a short timeout and no retries so an
    unreachable node is reported in seconds, not after the transport's retry loop."""
    kwargs: dict[str, Any] = {"request_timeout": request_timeout_s or es.request_timeout_s, "verify_certs": es.verify_certs}
    if max_retries is not None:
        kwargs["max_retries"] = max_retries
    if es.api_key:
        kwargs["api_key"] = es.api_key.get_secret_value()
    elif es.username:
        kwargs["basic_auth"] = (es.username, es.password.get_secret_value() if es.password else "")
    if es.ca_certs:
        kwargs["ca_certs"] = str(es.ca_certs)
    # orjson: bulk bodies are serialised several times faster than with the json module.
    return Elasticsearch(es.url, serializer=OrjsonSerializer(), **kwargs)


#: What a user-facing reader waits for one answer; an unreachable node is reported after this.
READER_TIMEOUT_S = 4.0


def reader_client(es: ElasticsearchSettings, *, timeout_s: float = READER_TIMEOUT_S) -> Elasticsearch:
    """A client for commands a person waits on: checked reachable first (Unreachable in ≤ 2 s),
    no transport retries, a short timeout."""
    require_elasticsearch(es)
    return client_for(es, request_timeout_s=timeout_s, max_retries=0)


@contextmanager
def unreachable_as_error(es: ElasticsearchSettings) -> Iterator[None]:
    """The client's connection failures and timeouts, mid-command, as one :class:`Unreachable`."""
    try:
        yield
    except (TransportConnectionError, ConnectionTimeout) as exc:
        raise Unreachable("Elasticsearch", es.url, type(exc).__name__) from exc
