"""Broker acks are awaited side by side (``crawler.publish_window``), outside the extraction slots,
and a broker that stops acking stops the fetching: pages in hand stay bounded."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from tradeties.common.events import RawArticle
from tradeties.crawler.service import Crawler
from tradeties.crawler.sources import SourcesFile
from tradeties.crawler.store import StateStore
from tradeties.newsweb import NewsWeb, load_records

from .helpers import REPO, SEEDS, fast_retry, fast_settings


class HeldAcks:
    """A publisher whose acks wait until ``release`` is set; counts the publishes awaiting one."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.pending = 0
        self.most_pending = 0
        self.articles: list[RawArticle] = []

    async def publish(self, article: RawArticle) -> None:
        self.pending += 1
        self.most_pending = max(self.most_pending, self.pending)
        try:
            await self.release.wait()
        finally:
            self.pending -= 1
        self.articles.append(article)

    def close(self) -> None:
        pass


async def _until(condition, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_acks_awaited_side_by_side_and_a_stalled_broker_stops_fetching(tmp_path):
    # Every record on one of two outlets: many articles per host.
    records = [replace(r, outlet=("Outlet A", "Outlet B")[i % 2])
               for i, r in enumerate(load_records(SEEDS, REPO / "corpus" / "dev.jsonl"))]
    window, workers = 5, 0  # extraction in one thread: 2 extraction slots
    async with NewsWeb.build(records, syndicate=False) as web:
        settings = fast_settings(tmp_path, publish_window=window, extract_workers=workers, total_timeout_s=5.0)
        hosts = len(web.outlets)
        articles = sum(len(o.articles) for o in web.outlets)
        assert articles > window + 2 + hosts * settings.per_host_concurrency  # enough to hit the bound
        publisher = HeldAcks()
        store = StateStore(settings.state_path)
        crawler = Crawler(sources=SourcesFile.model_validate(web.sources()), crawler=settings, retry=fast_retry(),
                          store=store, publisher=publisher)
        async with crawler:
            crawl = asyncio.create_task(crawler.run_pass())
            # More acks outstanding than extraction slots: a slow ack does not hold up extraction.
            await _until(lambda: publisher.pending == window)
            in_hand = crawler.stats.fetched["article"] - len(publisher.articles)
            # Held acks: the window, the 2 extraction slots and one page per host worker, no more.
            assert in_hand <= window + 2 + hosts * settings.per_host_concurrency
            assert not crawl.done()
            publisher.release.set()
            await crawl
    assert publisher.most_pending == window
    assert len({a.canonical_url for a in publisher.articles}) == len(publisher.articles) == crawler.stats.published
    assert store.counts()["frontier"] == 0  # every URL reached an outcome once the acks came
