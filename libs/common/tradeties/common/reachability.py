"""An engine (Kafka, Elasticsearch) that cannot be reached, said in one line.

User-facing commands check the address with a plain TCP connection (a couple of seconds at most)
before their client's own retry loops can run for a minute, and convert the clients' connection
errors at the boundary; the CLI root prints :attr:`Unreachable.line` and exits with
:data:`EXIT_UNREACHABLE`, the API answers 503 with the same line.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from .errors import RetryableError
from .settings import ElasticsearchSettings, KafkaSettings

#: sysexits.h EX_UNAVAILABLE: distinct from 1 (an error) and 2 (a usage error).
EXIT_UNREACHABLE = 69
CONNECT_TIMEOUT_S = 2.0

HOW_TO_START = {
    "Elasticsearch": "start it with `make demo` or `tradeties infra up`, or point TRADETIES_ES_URL at a running node",
    "Kafka": "start it with `make demo` or `tradeties infra up`, or point TRADETIES_KAFKA_BOOTSTRAP at a running broker",
}


class Unreachable(RetryableError):
    """``engine`` does not answer at ``address``."""

    reason = "unreachable"

    def __init__(self, engine: str, address: str, detail: str = "") -> None:
        self.engine, self.address, self.detail = engine, address, detail
        super().__init__(self.line)

    @property
    def line(self) -> str:
        why = f" ({self.detail})" if self.detail else ""
        return f"{self.engine} is unreachable at {self.address}{why}: {HOW_TO_START[self.engine]}"


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(address if "://" in address else f"//{address}")
    return parts.hostname or "127.0.0.1", parts.port or default_port


def tcp_error(address: str, default_port: int, timeout_s: float = CONNECT_TIMEOUT_S) -> str | None:
    """None when something accepts TCP connections at ``address``, else why not."""
    host, port = _host_port(address, default_port)
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return None
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def require_elasticsearch(es: ElasticsearchSettings) -> None:
    default = 443 if es.url.startswith("https") else 9200
    if (error := tcp_error(es.url, default)) is not None:
        raise Unreachable("Elasticsearch", es.url, error)


def require_kafka(kafka: KafkaSettings) -> None:
    """At least one bootstrap server accepts connections (the client finds the others)."""
    errors = [tcp_error(server.strip(), 9092) for server in kafka.bootstrap.split(",") if server.strip()]
    if all(e is not None for e in errors):
        raise Unreachable("Kafka", kafka.bootstrap, errors[0] if errors else "no bootstrap server configured")
