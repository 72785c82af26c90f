"""The metrics server binds where the settings say: loopback by default, any configured host."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tradeties.common.metrics import serve_metrics
from tradeties.common.settings import CrawlerSettings, IndexerSettings


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _accepts(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2.0)
        return s.connect_ex((host, port)) == 0


@pytest.mark.parametrize("section, cls", [("CRAWLER", CrawlerSettings), ("INDEXER", IndexerSettings)])
def test_metrics_server_binds_the_configured_host(monkeypatch, section, cls):
    port = _free_port("127.0.0.2")
    monkeypatch.setenv(f"TRADETIES_{section}_METRICS_HOST", "127.0.0.2")
    monkeypatch.setenv(f"TRADETIES_{section}_METRICS_PORT", str(port))
    s = cls(_env_file=None)
    server = serve_metrics(s.metrics_host, s.metrics_port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.2:{port}/metrics", timeout=5) as resp:
            assert resp.status == 200 and b"python_info" in resp.read()
        assert not _accepts("127.0.0.1", port), "bound beyond the configured address"
    finally:
        server.shutdown()
        server.server_close()


def test_metrics_default_to_loopback_and_no_server_without_port(monkeypatch):
    for section in ("CRAWLER", "INDEXER"):
        monkeypatch.delenv(f"TRADETIES_{section}_METRICS_HOST", raising=False)
        monkeypatch.delenv(f"TRADETIES_{section}_METRICS_PORT", raising=False)
    assert CrawlerSettings(_env_file=None).metrics_host == "127.0.0.1"
    assert IndexerSettings(_env_file=None).metrics_host == "127.0.0.1"
    assert serve_metrics("127.0.0.1", None) is None
