"""deploy/healthcheck.py: which service a container runs, where it answers, and a real HTTP check
against a loopback server."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from .helpers import DEPLOY, load_module

hc = load_module(DEPLOY / "healthcheck.py")


@pytest.mark.parametrize(
    "cmdline, service",
    [
        (b"/opt/tradeties/bin/python\0/opt/tradeties/bin/tradeties\0crawler\0", "crawler"),
        (b"tradeties\0classifier\0", "classifier"),
        (b"tradeties\0indexer\0--until-idle\0", "indexer"),
        (b"tradeties\0indexer\0apply-templates\0", None),  # a one-shot, not the service
        (b"tradeties\0api\0", "api"),
        (b"tradeties\0api\0deliver\0", "deliver"),
        (b"tradeties\0topics\0create\0", None),
        (b"tradeties\0--help\0", None),
        (b"/bin/sh\0-c\0tradeties topics create\0", None),
    ],
)
def test_service_from_cmdline(cmdline, service):
    assert hc.service_from_cmdline(cmdline) == service


@pytest.mark.parametrize(
    "hosts, expected",
    [
        ({}, ("127.0.0.1", "127.0.0.1", "127.0.0.1")),  # the defaults
        (
            {
                "CRAWLER_METRICS_HOST": "127.0.0.2",
                "INDEXER_METRICS_HOST": "0.0.0.0",  # a wildcard answers on loopback
                "CLASSIFIER_WEB_HOST": "::1",
            },
            ("127.0.0.2", "127.0.0.1", "[::1]"),
        ),
    ],
)
def test_endpoints_come_from_the_settings(monkeypatch, hosts, expected):
    for name in ("CRAWLER_METRICS_HOST", "INDEXER_METRICS_HOST", "CLASSIFIER_WEB_HOST"):
        monkeypatch.delenv(f"TRADETIES_{name}", raising=False)
    for name, value in {
        "CRAWLER_METRICS_PORT": "19101",
        "INDEXER_METRICS_PORT": "19102",
        "CLASSIFIER_WEB_PORT": "16066",
        **hosts,
    }.items():
        monkeypatch.setenv(f"TRADETIES_{name}", value)
    crawler, indexer, classifier = expected
    assert hc.endpoint("crawler") == f"http://{crawler}:19101/metrics"
    assert hc.endpoint("indexer") == f"http://{indexer}:19102/metrics"
    assert hc.endpoint("classifier") == f"http://{classifier}:16066/"


def test_a_service_without_metrics_port_is_unhealthy(monkeypatch):
    monkeypatch.delenv("TRADETIES_INDEXER_METRICS_PORT", raising=False)
    with pytest.raises(SystemExit, match="METRICS_PORT"):
        hc.endpoint("indexer")


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"# metrics\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def metrics_server() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_main_is_healthy_while_the_port_answers(monkeypatch, metrics_server):
    monkeypatch.setenv("TRADETIES_INDEXER_METRICS_PORT", str(metrics_server))
    assert hc.main(["indexer"]) == 0


def test_main_is_unhealthy_when_nothing_listens(monkeypatch):
    monkeypatch.setenv("TRADETIES_CRAWLER_METRICS_PORT", str(_closed_port()))
    assert hc.main(["crawler"]) == 1


def test_main_rejects_unknown_service():
    assert hc.main(["kibana"]) == 2


def test_api_and_deliverer_endpoints_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("TRADETIES_API_HOST", "0.0.0.0")
    monkeypatch.setenv("TRADETIES_API_PORT", "8181")
    monkeypatch.setenv("TRADETIES_API_DELIVER_METRICS_PORT", "9103")
    assert hc.endpoint("api") == "http://127.0.0.1:8181/healthz"
    assert hc.endpoint("deliver") == "http://127.0.0.1:9103/metrics"
