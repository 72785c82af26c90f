"""The crawler against the fixture news web on loopback, with a fake (always acking) publisher.

One web, crawled once (``first``) and once more after a restart on a copy of that state
(``restart``), serves the tests that only read what a pass did; the broker outage crawls a web
of its own (the fault routes keep state: ``/fault/flaky`` recovers once)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from dataclasses import dataclass

import pytest

from tradeties.crawler.service import Crawler
from tradeties.crawler.store import StateStore
from tradeties.newsweb import NewsWeb, load_records
from tradeties.newsweb.faults import EXPECTED_PUBLISHED
from tradeties.newsweb.server import Access

from .helpers import SEEDS, FakePublisher
from .hostile_web import crawl


def fault_web() -> NewsWeb:
    records = load_records(SEEDS)
    assert records, f"seed corpus missing at {SEEDS}"
    return NewsWeb.build(records, faults=True, broken_robots=True, crawl_delay=0.05)


@dataclass(frozen=True)
class Pass:
    crawler: Crawler
    store: StateStore
    publisher: FakePublisher
    requests: list[Access]  # what the web served during this pass


async def crawl_pass(web: NewsWeb, tmp_path) -> Pass:
    before = len(web.access_log)
    crawler, store, publisher = await crawl(web, tmp_path, max_response_bytes=1_000_000)
    return Pass(crawler, store, publisher, web.access_log[before:])


@pytest.fixture(scope="module")
def passes(tmp_path_factory) -> tuple[NewsWeb, Pass, Pass]:
    """The web, its first pass and a second pass restarted on a copy of the first pass's state."""

    async def both() -> tuple[NewsWeb, Pass, Pass]:
        async with fault_web() as web:
            first = await crawl_pass(web, tmp_path_factory.mktemp("first"))
            home = tmp_path_factory.mktemp("restart")
            state, copy = sqlite3.connect(first.crawler.settings.state_path), sqlite3.connect(home / "state.sqlite3")
            state.backup(copy)
            state.close(), copy.close()
            return web, first, await crawl_pass(web, home)

    return asyncio.run(both())


@pytest.fixture(scope="module")
def web(passes) -> NewsWeb:
    return passes[0]


@pytest.fixture(scope="module")
def first(passes) -> Pass:
    return passes[1]


@pytest.fixture(scope="module")
def restart(passes) -> Pass:
    return passes[2]


def expected_urls(web: NewsWeb) -> set[str]:
    urls = set()
    for o in web.outlets:
        if o.robots == "error":
            continue
        if o.extra_routes:
            urls |= {o.url(p) for p in EXPECTED_PUBLISHED}
        else:
            urls |= {o.url(a.url_path) for a in o.articles}
    return urls


def test_every_article_published_once_and_restart_publishes_nothing(web, first, restart):
    urls = [a.canonical_url for a in first.publisher.articles]
    assert len(urls) == len(set(urls)), Counter(urls).most_common(3)
    assert set(urls) == expected_urls(web)
    assert all(a.id == first.store.url_state(a.canonical_url)[1] for a in first.publisher.articles)
    assert restart.publisher.articles == []
    assert restart.crawler.stats.published == 0


def test_syndicated_copy_is_alias_of_first(web, first):
    pub, store = first.publisher, first.store
    src, dst = web.outlets[0], web.outlets[1]
    copy_path = dst.syndicated[0][0]
    original = next(a for a in pub.articles if a.canonical_url == src.url(src.articles[0].url_path))
    assert all(dst.url(copy_path) != a.url for a in pub.articles)
    state, article_id, _ = store.url_state(dst.url(copy_path))
    assert (state, article_id) == ("alias", original.id)
    assert (dst.url(copy_path), "near") in store.aliases_of(original.id)
    # the redirecting /old/ link is an alias too, not a second article
    assert store.url_state(src.url("/old" + src.articles[0].url_path))[:2] == ("alias", original.id)


def test_robots_respected_and_erroring_robots_blocks_host(web, first):
    assert [a for a in first.requests if a.path.startswith("/private/")] == []
    broken = next(o for o in web.outlets if o.robots == "error")
    assert {a.path for a in first.requests if a.outlet == broken.name} == {"/robots.txt"}
    assert first.crawler.stats.errors["robots"] >= 2


def test_second_pass_uses_conditional_get_and_hash_fallback(web, restart):
    with_validators = [a for a in restart.requests if a.status == 304]
    assert with_validators and all(a.conditional for a in with_validators)
    no_validator_outlets = {o.name for o in web.outlets if not o.validators}
    assert no_validator_outlets  # the hash fallback is exercised
    not_modified = restart.crawler.stats.not_modified
    assert not_modified and sum(not_modified.values()) >= len(with_validators)
    # articles already published are not fetched again at all
    article_paths = {p for o in web.outlets for p in o.article_paths()}
    assert not [a for a in restart.requests if a.path in article_paths and a.status == 200]


def test_hostile_inputs_give_counted_errors_and_crawl_goes_on(first):
    pub, store, errors = first.publisher, first.store, first.crawler.stats.errors
    # every page given up on is rejected and dead-lettered once, with its reason
    assert len(pub.dead_letters) == store.counts()["rejected"] >= 3
    assert {m.error_type for m in pub.dead_letters} >= {"http_404", "not_html", "too_large"}
    assert all(m.stage == "crawler" and m.original == m.key for m in pub.dead_letters)
    for reason in (
        "timeout",
        "too_large",
        "redirect_loop",
        "too_many_redirects",
        "http_5xx",
        "http_429",
        "http_404",
        "not_html",
        "xml_entities",
        "malformed_feed",
        "malformed_sitemap",
        "protocol",
    ):
        assert errors[reason] >= 1, (reason, dict(errors))
    assert errors["too_large"] >= 2  # oversized and the gzip bomb
    texts = {a.url.rsplit("/", 1)[-1]: a for a in pub.articles}
    assert "Québec" in texts["mislabelled"].title and "délégation" in texts["mislabelled"].text
    assert "Guangdong" in texts["invalid-utf8"].text
    assert "flaky" in texts  # 503, 503, then success: retried


def test_undeclared_language_is_left_to_the_classifier(web, first):
    # The classifier detects it from the text (tests/e2e/test_crawl.py checks the indexed language).
    undeclared = {o.name for o in web.outlets if not o.declare_lang}
    assert undeclared
    for a in first.publisher.articles:
        if a.source in undeclared:
            assert (a.language, a.extraction.language_source) == (None, None)
        else:
            assert (a.language, a.extraction.language_source) == ("en", "declared")


async def test_broker_outage_keeps_work_in_frontier(tmp_path):
    async with fault_web() as web:
        pub = FakePublisher()
        pub.fail = True
        crawler, store, _ = await crawl(web, tmp_path, publisher=pub)
        assert crawler.stats.published == 0 and crawler.stats.errors["kafka"] >= 1
        assert crawler.stats.errors["dead_letter_lost"] == store.counts()["rejected"] >= 1  # counted, not silent
        assert store.counts().get("published", 0) == 0 and store.counts()["frontier"] >= len(expected_urls(web))
        store.close()
        _, _, ok = await crawl(web, tmp_path)  # feeds now answer 304, yet the frontier still holds the articles
    assert {a.canonical_url for a in ok.articles} == expected_urls(web)
