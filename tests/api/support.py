"""The API against the real stack: articles and alerts indexed by the real indexer into the real
Elasticsearch node, the app served by uvicorn on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import uvicorn
from indexer.factories import BIRMINGHAM, GUANGDONG, LIAONING, T0, alert, article, guangdong_agreement, region
from indexer.helpers import prepare, produce

from tradeties.api.app import create_app
from tradeties.common.events import ClassifiedArticle
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic
from tradeties.common.waiting import wait_for
from tradeties.indexer.service import run_service
from tradeties.infra.process import free_ports


def not_relevant(n: int) -> ClassifiedArticle:
    a = article(n, title=f"Contact us #{n}", text="Contact the newsroom by e-mail. Opening hours and addresses.")
    return a.model_copy(update={"classification": a.classification.model_copy(update={"relevant": False, "relevance": 0.1})})


def corpus() -> list[ClassifiedArticle]:
    """Four Liaoning → Birmingham delegation reports, a Guangdong agreement, one non-relevant page."""
    return [article(i) for i in range(4)] + [guangdong_agreement(BIRMINGHAM), not_relevant(20)]


def index(settings: Settings, articles: list[ClassifiedArticle], alerts=()) -> None:
    """Through Kafka and the real indexer, until idle."""
    produce(settings, Topic.CLASSIFIED_ARTICLES, articles)
    if alerts:
        produce(settings, Topic.ALERTS, alerts)
    run_service(settings, until_idle_s=1.5, install_signals=False)


def indexed_settings(settings: Settings) -> Settings:
    prepare(settings)
    index(settings, corpus(), [alert(1, revision=1), alert(2, revision=1), alert(2, revision=2)])
    return settings


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app on http://127.0.0.1:PORT until the block ends."""
    [port] = free_ports(1)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, name="api", daemon=True)
    thread.start()
    wait_for(lambda: server.started, 30, "the API to start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


__all__ = [
    "BIRMINGHAM",
    "GUANGDONG",
    "LIAONING",
    "T0",
    "alert",
    "article",
    "corpus",
    "index",
    "indexed_settings",
    "region",
    "serving",
    "timedelta",
]
