"""The API with Elasticsearch unreachable answers 503 with the one line the CLI prints, within a
few seconds; it does not need Kafka at all. "Unreachable" is a loopback port where nothing listens."""

from __future__ import annotations

import time

import httpx
import pytest

from tradeties.common.settings import ElasticsearchSettings, KafkaSettings, Settings
from tradeties.infra.process import free_ports

from .support import serving


def test_elasticsearch_down_is_a_503_naming_it(tmp_path):
    es_port, kafka_port = free_ports(2)
    down = Settings(
        elasticsearch=ElasticsearchSettings(url=f"http://127.0.0.1:{es_port}"),
        kafka=KafkaSettings(bootstrap=f"127.0.0.1:{kafka_port}"),
    )
    down.api.watches = tmp_path / "none.yaml"
    with serving(down) as api:
        assert httpx.get(f"{api}/healthz").status_code == 200, "alive, just not ready"
        for path, kind in [
            ("/api/search?q=x", "json"),
            ("/api/alerts", "json"),
            ("/feeds/alerts.atom", "json"),
            ("/api/watches", "json"),
            ("/readyz", "json"),
            ("/", "html"),
            ("/alerts", "html"),
        ]:
            started = time.monotonic()
            r = httpx.get(f"{api}{path}", timeout=30)
            took = time.monotonic() - started
            assert r.status_code == 503, (path, r.text)
            line = f"Elasticsearch is unreachable at http://127.0.0.1:{es_port}"
            assert line in (r.json()["error"] if kind == "json" else r.text), path
            assert "make demo" in r.text and "TRADETIES_ES_URL" in r.text
            assert took < 5.0, f"{path} took {took:.1f}s"


@pytest.mark.integration
def test_kafka_down_changes_nothing_for_the_api(api_settings):
    [kafka_port] = free_ports(1)
    no_kafka = api_settings.model_copy(update={"kafka": KafkaSettings(bootstrap=f"127.0.0.1:{kafka_port}")})
    with serving(no_kafka) as api:
        assert httpx.get(f"{api}/api/search").json()["total"] == 5
        assert httpx.get(f"{api}/readyz").status_code == 200
