"""Issue 13's cases a unit shows best: an unknown XML encoding, a homepage over its link cap, a
bug inside a job (counted, never an uncounted "job failed")."""

from __future__ import annotations

import pytest

from tradeties.crawler import discovery
from tradeties.crawler.charsets import BadEncoding
from tradeties.newsweb import NewsWeb

from .hostile_web import crawl, html, outlet


def test_xml_declaring_an_unknown_encoding_is_a_counted_bad_encoding():
    with pytest.raises(BadEncoding) as err:
        discovery.parse_feed(b'<?xml version="1.0" encoding="x-klingon"?><rss/>', "http://a/")
    assert err.value.reason == "bad_encoding"


def test_homepage_links_over_the_cap_are_counted():
    links = "".join(f'<a href="/story/{i}">s</a>' for i in range(30))
    found = discovery.parse_homepage(f"<html><body>{links}</body></html>".encode(), "http://a/", max_links=10)
    assert [link.url for link in found.articles] == [f"http://a/story/{i}" for i in range(10)]
    assert found.dropped == 20


async def test_a_bug_inside_a_job_is_counted_and_the_crawl_goes_on(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a parser bug on hostile input")

    monkeypatch.setattr(discovery, "parse_feed", broken)
    web = NewsWeb([outlet("127.0.0.68", {"/feed.xml": html(b"<rss/>", "application/rss+xml")}, {"feeds": ["/feed.xml"]})])
    async with web:
        crawler, _, _ = await crawl(web, tmp_path)
    assert crawler.stats.errors["internal"] == 1
