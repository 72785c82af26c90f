"""The crawler against the fixture news web on loopback, with a fake (always acking) publisher."""

from __future__ import annotations

from collections import Counter

import pytest

from tradeties.crawler.service import Crawler
from tradeties.crawler.sources import SourcesFile
from tradeties.crawler.store import StateStore
from tradeties.newsweb import NewsWeb, load_records
from tradeties.newsweb.faults import EXPECTED_PUBLISHED

from .helpers import SEEDS, FakePublisher, fast_retry, fast_settings


@pytest.fixture
async def web():
    records = load_records(SEEDS)
    assert records, f"seed corpus missing at {SEEDS}"
    async with NewsWeb.build(records, faults=True, broken_robots=True, crawl_delay=0.05) as w:
        yield w


async def crawl(web: NewsWeb, tmp_path, publisher: FakePublisher, **overrides) -> tuple[Crawler, StateStore]:
    settings = fast_settings(tmp_path, **overrides)
    store = StateStore(settings.state_path)
    crawler = Crawler(
        sources=SourcesFile.model_validate(web.sources()), crawler=settings, retry=fast_retry(), store=store, publisher=publisher
    )
    async with crawler:
        await crawler.run_pass()
    return crawler, store


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


async def test_every_article_published_once_and_restart_publishes_nothing(web, tmp_path):
    pub = FakePublisher()
    first, store = await crawl(web, tmp_path, pub)
    urls = [a.canonical_url for a in pub.articles]
    assert len(urls) == len(set(urls)), Counter(urls).most_common(3)
    assert set(urls) == expected_urls(web)
    assert all(a.id == store.url_state(a.canonical_url)[1] for a in pub.articles)
    store.close()

    again = FakePublisher()
    second, store2 = await crawl(web, tmp_path, again)  # same state file: a restart
    assert again.articles == []
    assert second.stats.published == 0
    store2.close()


async def test_syndicated_copy_is_alias_of_first(web, tmp_path):
    pub = FakePublisher()
    _, store = await crawl(web, tmp_path, pub)
    src, dst = web.outlets[0], web.outlets[1]
    copy_path = dst.syndicated[0][0]
    original = next(a for a in pub.articles if a.canonical_url == src.url(src.articles[0].url_path))
    assert all(dst.url(copy_path) != a.url for a in pub.articles)
    state, article_id, _ = store.url_state(dst.url(copy_path))
    assert (state, article_id) == ("alias", original.id)
    assert (dst.url(copy_path), "near") in store.aliases_of(original.id)
    # the redirecting /old/ link is an alias too, not a second article
    assert store.url_state(src.url("/old" + src.articles[0].url_path))[:2] == ("alias", original.id)


async def test_robots_respected_and_erroring_robots_blocks_host(web, tmp_path):
    crawler, _ = await crawl(web, tmp_path, FakePublisher())
    assert web.fetched("/private/") == []
    broken = next(o for o in web.outlets if o.robots == "error")
    assert {a.path for a in web.fetched(outlet=broken.name)} == {"/robots.txt"}
    assert crawler.stats.errors["robots"] >= 2


async def test_second_pass_uses_conditional_get_and_hash_fallback(web, tmp_path):
    await crawl(web, tmp_path, FakePublisher())
    web.access_log.clear()
    crawler, _ = await crawl(web, tmp_path, FakePublisher())
    with_validators = [a for a in web.access_log if a.status == 304]
    assert with_validators and all(a.conditional for a in with_validators)
    no_validator_outlets = {o.name for o in web.outlets if not o.validators}
    assert no_validator_outlets  # the hash fallback is exercised
    assert crawler.stats.not_modified and sum(crawler.stats.not_modified.values()) >= len(with_validators)
    # articles already published are not fetched again at all
    article_paths = {p for o in web.outlets for p in o.article_paths()}
    assert not [a for a in web.access_log if a.path in article_paths and a.status == 200]


async def test_hostile_inputs_give_counted_errors_and_crawl_goes_on(web, tmp_path):
    pub = FakePublisher()
    crawler, store = await crawl(web, tmp_path, pub, max_response_bytes=1_000_000)
    errors = crawler.stats.errors
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


async def test_broker_outage_keeps_work_in_frontier(web, tmp_path):
    pub = FakePublisher()
    pub.fail = True
    crawler, store = await crawl(web, tmp_path, pub)
    assert crawler.stats.published == 0 and crawler.stats.errors["kafka"] >= 1
    assert crawler.stats.errors["dead_letter_lost"] == store.counts()["rejected"] >= 1  # counted, not silent
    assert store.counts().get("published", 0) == 0 and store.counts()["frontier"] >= len(expected_urls(web))
    store.close()
    ok = FakePublisher()
    await crawl(web, tmp_path, ok)  # feeds now answer 304, yet the frontier still holds the articles
    assert {a.canonical_url for a in ok.articles} == expected_urls(web)


async def test_undeclared_language_is_left_to_the_classifier(web, tmp_path):
    # The classifier detects it from the text (tests/e2e/test_crawl.py checks the indexed language).
    pub = FakePublisher()
    await crawl(web, tmp_path, pub)
    undeclared = {o.name for o in web.outlets if not o.declare_lang}
    assert undeclared
    for a in pub.articles:
        if a.source in undeclared:
            assert (a.language, a.extraction.language_source) == (None, None)
        else:
            assert (a.language, a.extraction.language_source) == ("en", "declared")
