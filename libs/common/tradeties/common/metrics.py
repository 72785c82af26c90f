"""Prometheus metrics: every service registers its counters in the default registry and may
serve them (``*_METRICS_HOST`` / ``*_METRICS_PORT`` settings; loopback unless told otherwise)."""

from __future__ import annotations

from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server


def serve_metrics(host: str, port: int | None) -> WSGIServer | None:
    """Start the metrics server in a daemon thread (nothing without a port); returns it for shutdown."""
    if port is None:
        return None
    server, _thread = start_http_server(port, addr=host)
    return server
