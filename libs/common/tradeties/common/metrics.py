"""Prometheus metrics: every service registers its counters in the default registry and may
serve them on a loopback port (``*_METRICS_PORT`` settings)."""

from __future__ import annotations

from prometheus_client import start_http_server


def serve_metrics(port: int | None, host: str = "127.0.0.1") -> None:
    if port is not None:
        start_http_server(port, addr=host)
