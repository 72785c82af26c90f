"""Unit tests of the crawler's pure parts and of the fetcher over httpx.MockTransport."""

from __future__ import annotations

import asyncio
import gzip
import time
from contextlib import asynccontextmanager

import httpx
import pytest

from tradeties.common.errors import ConfigError, TradetiesError
from tradeties.common.settings import RetrySettings
from tradeties.crawler import discovery, fingerprint
from tradeties.crawler.fetcher import Fetcher, Validators
from tradeties.crawler.identity import canonical_url
from tradeties.crawler.politeness import PolitenessGate
from tradeties.crawler.safety import AddressPolicy, UnsafeAddress
from tradeties.crawler.sources import parse_sources
from tradeties.newsweb.pages import ENTITY_BOMB

from .helpers import fast_retry, fast_settings


def test_sources_file_parses_intervals_and_rejects_mistakes():
    s = parse_sources("sources:\n  - name: A\n    feeds: [https://a.example/feed]\n    interval: 15m\n")
    assert s.sources[0].interval_s == 900 and s.allow_private_networks is False
    for bad in (
        "sources: [{name: A, feed: [https://a]}]",  # unknown key
        "sources: [{name: A, feeds: [ftp://a/x]}]",  # not http
        "sources: [{name: A}, {name: A}]",  # duplicate name
        "sources: [{name: A, interval: soon}]",
        "sources: [: :",
    ):
        with pytest.raises(ConfigError):
            parse_sources(bad)


def test_canonical_url_strips_tracking_and_ignores_foreign_canonicals():
    assert canonical_url("HTTPS://News.Example.org:443/a?utm_source=x&id=3#top", None) == "https://news.example.org/a?id=3"
    assert canonical_url("https://a.example/x?fbclid=1", "/story") == "https://a.example/story"
    assert canonical_url("https://a.example/x", "https://evil.example/y") == "https://a.example/x"


def test_simhash_near_duplicates_close_unrelated_far():
    base = " ".join(f"word{i} trade delegation province city" for i in range(60))
    copy = base + " This article first appeared elsewhere."
    other = " ".join(f"other{i} football match weather sport" for i in range(60))
    a, b, c = (fingerprint.simhash(t) for t in (base, copy, other))
    assert fingerprint.distance(a, b) <= 3 < fingerprint.distance(a, c)
    assert fingerprint.simhash("too short") is None
    # pigeonhole: within distance 3 at least one of 4 bands agrees
    assert any(x == y for x, y in zip(fingerprint.bands(a, 3), fingerprint.bands(b, 3), strict=True))


def test_discovery_parses_json_feed_google_news_sitemap_and_refuses_entities():
    js = b'{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"/a","date_published":"2024-01-02T00:00:00Z"}]}'
    links = discovery.parse_feed(js, "https://x.example/feed.json", "application/feed+json").articles
    assert links[0].url == "https://x.example/a" and links[0].published.year == 2024
    news = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>https://x.example/s</loc><news:news><news:title>T</news:title>"
        b"<news:publication_date>2024-05-06</news:publication_date></news:news></url></urlset>"
    )
    found = discovery.parse_sitemap(gzip.compress(news), "https://x.example/", limit_bytes=10**6, max_urls=10).articles
    assert (found[0].url, found[0].title, found[0].published.month) == ("https://x.example/s", "T", 5)
    with pytest.raises(discovery.MalformedInput) as err:
        discovery.parse_feed(ENTITY_BOMB.encode(), "https://x.example/")
    assert err.value.reason == "xml_entities"
    home = discovery.parse_homepage(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>'
        b'<a href="/news/a">A</a><a href="https://other.example/b">B</a><a href="/logo.png">L</a></body></html>',
        "https://x.example/",
        max_links=10,
    )
    assert home.feeds == ("https://x.example/rss",) and [link.url for link in home.articles] == ["https://x.example/news/a"]


@asynccontextmanager
async def _nogate(host):
    yield


def make_fetcher(tmp_path, handler, *, allow_private=True, resolver=None, **settings):
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    policy = AddressPolicy(allow_private, resolver) if resolver else AddressPolicy(allow_private)
    return Fetcher(client, fast_settings(tmp_path, **settings), fast_retry(), policy, _nogate)


async def test_gzip_bomb_is_cut_at_the_decompressed_limit(tmp_path):
    bomb = gzip.compress(b" " * 5_000_000)
    f = make_fetcher(
        tmp_path,
        lambda r: httpx.Response(
            200, stream=httpx.ByteStream(bomb), headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}
        ),
        max_response_bytes=100_000,
    )
    with pytest.raises(TradetiesError) as err:
        await f.fetch("http://a.example/x", html_only=True)
    assert err.value.reason == "too_large"


async def test_retries_5xx_and_429_but_not_404_and_honours_retry_after(tmp_path):
    calls = {"404": 0, "429": 0}

    def handler(request):
        key = request.url.path.strip("/")
        calls[key] = calls.get(key, 0) + 1
        if key == "429" and calls[key] == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        if key == "429":
            return httpx.Response(
                200, stream=httpx.ByteStream(b"<p>ok</p>"), headers={"Content-Type": "text/html", "ETag": '"v1"'}
            )
        return httpx.Response(404)

    f = make_fetcher(tmp_path, handler)
    ok = await f.fetch("http://a.example/429")
    assert ok.status == 200 and ok.validators == Validators('"v1"', None) and calls["429"] == 2
    with pytest.raises(TradetiesError) as err:
        await f.fetch("http://a.example/404")
    assert err.value.reason == "http_404" and calls["404"] == 1


async def test_a_429s_retry_after_is_the_one_wait_before_the_retry(tmp_path, monkeypatch):
    """The server's Retry-After replaces the backoff's own jittered wait: waited once, not twice."""
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def record(seconds: float, *args: object) -> None:
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", record)
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, stream=httpx.ByteStream(b"<p>ok</p>"), headers={"Content-Type": "text/html"}),
        ]
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers)))
    f = Fetcher(
        client, fast_settings(tmp_path), RetrySettings(attempts=3, initial_s=10.0, max_s=30.0), AddressPolicy(True), _nogate
    )
    assert (await f.fetch("http://a.example/limited")).status == 200
    assert slept == [7.0]


async def test_redirect_loop_and_conditional_304(tmp_path):
    def handler(request):
        if request.url.path == "/feed":
            assert request.headers["If-None-Match"] == '"v1"'
            return httpx.Response(304)
        return httpx.Response(302, headers={"Location": "/b" if request.url.path == "/a" else "/a"})

    f = make_fetcher(tmp_path, handler)
    assert (await f.fetch("http://a.example/feed", validators=Validators('"v1"'))).not_modified
    with pytest.raises(TradetiesError) as err:
        await f.fetch("http://a.example/a")
    assert err.value.reason == "redirect_loop"


async def test_private_addresses_refused_for_links_redirects_and_dns(tmp_path):
    seen = []

    def handler(request):
        seen.append(str(request.url))
        return httpx.Response(301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    async def resolver(host, port):
        return {"public.example": ["93.184.216.34"], "sneaky.example": ["10.0.0.5"]}[host]

    f = make_fetcher(tmp_path, handler, allow_private=False, resolver=resolver)
    for url in ("http://127.0.0.1/x", "http://sneaky.example/x", "http://public.example/x"):
        with pytest.raises(UnsafeAddress):
            await f.fetch(url)
    assert seen == ["http://public.example/x"]  # only the public host was contacted; its redirect was refused


async def test_politeness_gate_spaces_requests_per_host_only():
    gate = PolitenessGate(concurrency=4, per_host_concurrency=1, per_host_delay_s=0.2)
    starts: dict[str, list[float]] = {"a": [], "b": []}

    async def hit(host):
        async with gate(host):
            starts[host].append(time.monotonic())

    import asyncio

    await asyncio.gather(hit("a"), hit("a"), hit("b"))
    assert starts["a"][1] - starts["a"][0] >= 0.19
    assert abs(starts["b"][0] - starts["a"][0]) < 0.19  # another host is not held back
