"""One indexed corpus per module (the real indexer into the real node) and the API serving it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from tradeties.common.settings import ApiSettings, ElasticsearchSettings, KafkaSettings, Settings

from .support import indexed_settings, serving

TOKEN = "t0ken-for-tests"


@pytest.fixture(scope="module")
def api_settings(kafka_bootstrap: str, es_url: str, infra_settings: Settings, tmp_path_factory) -> Settings:
    prefix = f"t-api-{uuid.uuid4().hex[:8]}"
    watches = tmp_path_factory.mktemp("api") / "watches.yaml"
    watches.write_text(
        "watches:\n  - name: liaoning\n    title: Liaoning delegations\n    regions: ['CN-LN']\n"
        "    event_types: [delegation_visit]\n",
        "utf-8",
    )
    s = Settings(
        infra=infra_settings.infra,
        kafka=KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=prefix),
        elasticsearch=ElasticsearchSettings(url=es_url, index_prefix=prefix),
        api=ApiSettings(token=SecretStr(TOKEN), watches=watches, page_size=20),
    )
    return indexed_settings(s)


@pytest.fixture(scope="module")
def api(api_settings: Settings) -> Iterator[str]:
    with serving(api_settings) as url:
        yield url
