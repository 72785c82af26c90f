"""Broker acks are awaited side by side (``crawler.publish_window``), outside the extraction slots,
and a broker that stops acking stops the fetching: pages in hand and dead letters stay bounded."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from tradeties.common.events import RawArticle
from tradeties.newsweb import Canned, NewsWeb, load_records

from .edited_copies import articles, original_page
from .helpers import REPO, SEEDS, FakePublisher
from .hostile_web import html, new_crawler, outlet


class HeldAcks:
    """A publisher whose acks wait until ``release`` is set; counts the publishes awaiting one."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.pending = 0
        self.most_pending = 0
        self.articles: list[RawArticle] = []

    async def publish(self, article: RawArticle, *, more_coming: bool = True) -> None:
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
    records = [
        replace(r, outlet=("Outlet A", "Outlet B")[i % 2])
        for i, r in enumerate(load_records(SEEDS, REPO / "corpus" / "dev.jsonl"))
    ]
    window, workers = 5, 0  # extraction in one thread: 2 extraction slots
    async with NewsWeb.build(records, syndicate=False) as web:
        publisher = HeldAcks()
        crawler = new_crawler(
            web, tmp_path, publisher=publisher, publish_window=window, extract_workers=workers, total_timeout_s=5.0
        )
        settings, store = crawler.settings, crawler.store
        hosts = len(web.outlets)
        articles = sum(len(o.articles) for o in web.outlets)
        assert articles > window + 2 + hosts * settings.per_host_concurrency  # enough to hit the bound
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


class HeldLetters(FakePublisher):
    """Dead letters whose acks wait until ``settle_all``; counts the letters handed over and not yet acked."""

    def __init__(self) -> None:
        super().__init__()
        self.unsettled: list = []
        self.most_unsettled = 0
        self.released = False

    def dead_letter(self, letter, on_settled) -> None:
        self.dead_letters.append(letter)
        if self.released:
            return on_settled(None)
        self.unsettled.append(on_settled)
        self.most_unsettled = max(self.most_unsettled, len(self.unsettled))

    def settle_all(self) -> None:
        self.released = True
        while self.unsettled:
            self.unsettled.pop()(None)


async def test_dead_letters_hold_slots_of_the_publish_window_until_acked(tmp_path):
    """A flood of bad pages under a broker that does not ack: at most ``publish_window`` dead letters
    are handed to the producer, then the fetching waits; once acked, every page is dead-lettered."""
    bad = {f"/gone/{i}": Canned(b"gone", 404) for i in range(20)}
    web = NewsWeb([outlet("127.0.0.72", bad, {"urls": list(bad)})])
    window = 3
    publisher = HeldLetters()
    async with web:
        crawler = new_crawler(web, tmp_path, publisher=publisher, publish_window=window, per_host_concurrency=4)
        settings, store = crawler.settings, crawler.store
        async with crawler:
            crawl = asyncio.create_task(crawler.run_pass())
            await _until(lambda: len(publisher.unsettled) == window)
            fetched = len(web.fetched("/gone/"))
            assert fetched <= window + settings.per_host_concurrency  # the held letters and one page per worker
            assert not crawl.done() and store.counts()["rejected"] == window
            publisher.settle_all()
            await crawl
    assert publisher.most_unsettled == window
    assert sorted(m.key.decode().rsplit("/", 1)[1] for m in publisher.dead_letters) == sorted(str(i) for i in range(20))
    assert store.counts()["rejected"] == 20 and store.counts()["frontier"] == 0
    assert crawler.stats.errors == {"http_404": 20}


class MoreComing(FakePublisher):
    """Records, per article, whether the crawler said more articles were coming."""

    def __init__(self) -> None:
        super().__init__()
        self.more_coming: list[bool] = []

    async def publish(self, article: RawArticle, *, more_coming: bool = True) -> None:
        self.more_coming.append(more_coming)
        await super().publish(article)


async def test_only_the_last_article_of_a_pass_is_sent_with_nothing_more_coming(tmp_path):
    """While pages follow an article lingers for them in the producer and its record waits for
    their writes; the last of a pass (nothing queued, fetching or in hand) does neither."""
    found = articles()[:8]
    paths = [f"/a/{i}" for i in range(len(found))]
    site = outlet(
        "127.0.0.76",
        {p: html(original_page(f"Report {i}", paras)) for i, (p, paras) in enumerate(zip(paths, found, strict=True))},
        {"urls": paths},
    )
    async with NewsWeb([site]) as web:
        publisher = MoreComing()
        crawler = new_crawler(web, tmp_path, publisher=publisher, extract_workers=0)
        async with crawler:
            await crawler.run_pass()
    assert len(publisher.articles) == crawler.stats.published == len(paths)
    assert publisher.more_coming[-1] is False
    assert publisher.more_coming.count(False) < len(paths)  # the earlier ones had company
    assert crawler.store.counts()["frontier"] == 0
