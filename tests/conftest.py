"""Session fixtures: a REAL Kafka broker and a REAL Elasticsearch node (see BRIEF's test contract).

Each pytest session starts its own services, lazily (Kafka when a test first needs it, Elasticsearch
likewise), on free loopback ports and in a temporary home, so parallel sessions and checkouts never
collide; they stop at session end (and die with the session if it is killed). With
``TRADETIES_TEST_INFRA=reuse`` the session uses the running services named by
``TRADETIES_KAFKA_BOOTSTRAP`` / ``TRADETIES_ES_URL`` (default: the ones `tradeties infra up` starts).

Missing Java, Maven or artifacts fail the tests that need them, saying what to run; nothing skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tradeties.common.errors import TradetiesError
from tradeties.common.settings import (
    ClassifierSettings,
    CrawlerSettings,
    ElasticsearchSettings,
    InfraSettings,
    KafkaSettings,
    Settings,
)
from tradeties.infra.elasticsearch import LocalElasticsearch, cluster_health, is_healthy
from tradeties.infra.kafka import describe_cluster
from tradeties.infra.local import LocalInfra, Service
from tradeties.infra.process import free_ports

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

REPO_ROOT = Path(__file__).resolve().parents[1]
REUSE = os.environ.get("TRADETIES_TEST_INFRA", "").lower() == "reuse"
UNIT_RUN = os.environ.get("TRADETIES_TEST_UNIT") == "1"  # `make test-unit`: no broker, no node
HINT = "run `make infra-fetch` (resolves Kafka, builds the Elasticsearch launcher), then re-run the tests"


@pytest.fixture(scope="session")
def infra_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of this session's infrastructure (no topic/index isolation: use `settings` in tests)."""
    if UNIT_RUN:
        pytest.fail("`make test-unit` must not start Kafka or Elasticsearch: mark this test integration")
    if REUSE:
        return Settings()
    base = InfraSettings()
    kafka_port, controller_port, es_port, transport_port = free_ports(4)
    infra = base.model_copy(
        update={
            "home": tmp_path_factory.mktemp("infra"),
            "kafka_port": kafka_port,
            "kafka_controller_port": controller_port,
            "es_port": es_port,
            "es_transport_port": transport_port,
            "kafka_heap": "512m",
            "es_heap": "512m",
            "es_english_analysis": False,
            "classpath_dir": base.classpath_dir if base.classpath_dir.is_absolute() else REPO_ROOT / base.classpath_dir,
        }
    )
    return Settings(infra=infra, kafka=KafkaSettings(bootstrap=""), elasticsearch=ElasticsearchSettings(url=""))


@pytest.fixture(scope="session")
def _session_infra(infra_settings: Settings) -> Iterator[LocalInfra]:
    infra = LocalInfra(infra_settings, fetch=False, die_with_parent=not REUSE)
    yield infra
    if not REUSE:
        infra.down()


def _ensure(service: Service) -> None:
    """Start (if needed) and wait for health, turning every infrastructure error into a test failure."""
    try:
        service.start()
        service.wait_healthy()
    except TradetiesError as exc:
        pytest.fail(f"local {service.name} unavailable: {exc}\n→ {HINT}", pytrace=False)


def _reused(what: str, address: str, healthy: bool) -> str:
    if not healthy:
        pytest.fail(
            f"TRADETIES_TEST_INFRA=reuse, but no healthy {what} answers at {address}; start one with "
            f"`tradeties infra up` (or point TRADETIES_KAFKA_BOOTSTRAP / TRADETIES_ES_URL at one)",
            pytrace=False,
        )
    return address


@pytest.fixture(scope="session")
def kafka_bootstrap(_session_infra: LocalInfra, infra_settings: Settings) -> str:
    """ "127.0.0.1:PORT" of the real broker, started on first use."""
    bootstrap = infra_settings.kafka.bootstrap
    if REUSE:
        return _reused("Kafka broker", bootstrap, describe_cluster(bootstrap) is not None)
    _ensure(_session_infra.kafka)
    return bootstrap


@pytest.fixture(scope="session")
def es_url(_session_infra: LocalInfra, infra_settings: Settings) -> str:
    """ "http://127.0.0.1:PORT" of the real node, started on first use."""
    url = infra_settings.elasticsearch.url
    if REUSE:
        return _reused("Elasticsearch node", url, is_healthy(cluster_health(url)))
    _ensure(_session_infra.elasticsearch)
    return url


@pytest.fixture(scope="session")
def es_english_url(infra_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second real node WITH English analysis (analyzer `english`, `stemmer`, ...), started on first use;
    `es_url`'s node has none, like any node without analysis-common. Tests of both paths use both.
    With reuse, TRADETIES_ES_ENGLISH_URL names a running one; unset, the session starts its own anyway."""
    if url := os.environ.get("TRADETIES_ES_ENGLISH_URL", "") if REUSE else "":
        yield _reused("Elasticsearch node with English analysis", url, is_healthy(cluster_health(url)))
        return
    http, transport = free_ports(2)
    infra = infra_settings.infra.model_copy(
        update={
            "home": tmp_path_factory.mktemp("es-english"),
            "es_port": http,
            "es_transport_port": transport,
            "es_english_analysis": True,
            "es_heap": "512m",
        }
    )
    node = LocalElasticsearch(infra, fetch=False, die_with_parent=True)
    try:
        _ensure(node)
        yield node.url
    finally:
        node.stop()


@pytest.fixture
def local_infra(_session_infra: LocalInfra) -> Iterator[LocalInfra]:
    """The session's services, for fault tests: `.kafka` / `.elasticsearch` with start(), stop(),
    kill() and wait_healthy(). Whatever ran before the test runs healthy again after it."""
    running = [s for s in _session_infra.services() if s.healthy()]
    yield _session_infra
    for service in running:
        _ensure(service)


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> str:
    """A per-test name, valid as a Kafka topic prefix and an Elasticsearch index prefix."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:24].strip("-")
    return f"t-{name}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def settings(kafka_bootstrap: str, es_url: str, infra_settings: Settings, unique: str, tmp_path: Path) -> Settings:
    """Settings pointing at both real services, with topics and indices of this test only (topics not created)."""
    return Settings(
        infra=infra_settings.infra,
        kafka=KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=unique),
        elasticsearch=ElasticsearchSettings(url=es_url, index_prefix=unique),
        crawler=CrawlerSettings(state_path=tmp_path / "crawler" / "state.sqlite3"),
        classifier=ClassifierSettings(data_dir=tmp_path / "classifier"),
    )


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class WebhookSink:
    """A real HTTP server on 127.0.0.1 recording POSTs; ``fail_next`` answers 503 that many times."""

    url: str
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0
    status: int = 200
    #: seconds each answer takes (a slow receiver keeps deliveries in flight)
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies(self, path: str) -> list[dict]:
        with self.lock:
            return [r.body for r in self.received if r.path == path]


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    sink: WebhookSink

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            if sink.delay_s:
                threading.Event().wait(sink.delay_s)
            with sink.lock:
                if sink.fail_next > 0:
                    sink.fail_next -= 1
                    status = 503
                else:
                    status = sink.status
                    if status < 300:
                        sink.received.append(Received(self.path, dict(self.headers), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink = WebhookSink(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sink
    server.shutdown()
    server.server_close()


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Headless Debian Chromium through chromedriver (selenium): the search page's end-to-end tests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is missing: apt-get install chromium chromium-driver (.ci/run does)", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def extraction_deadline() -> Callable[[list[bytes]], float]:
    """Measures a per-page extraction deadline (``extract_timeout_s``) on this machine at the time of
    the call: 20 × the slowest warm in-process extraction of the given good pages, at least 2 s. The
    good pages meet it with a wide margin however loaded the machine is at that time, and a page that
    cannot finish (``newsweb.pages.endless_extraction_page``) never does: the timeout tests are
    deterministic, not a bet on a fixed 1 s."""
    from tradeties.crawler.pool import process_page, warm_up

    def measure(pages: list[bytes]) -> float:
        warm_up()
        slowest = 0.0
        for body in pages:
            started = time.perf_counter()
            process_page(body, "http://calibration.test/a", None, 0)
            slowest = max(slowest, time.perf_counter() - started)
        return max(2.0, 20 * slowest)

    return measure
