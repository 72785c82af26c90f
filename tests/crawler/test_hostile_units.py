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


def _busy_worker(pool, seen: set[int]) -> int | None:
    """The pid of the worker that acknowledged a page (pebble's task manager; not killed yet)."""
    tasks = list(pool._processes._pool_manager.task_manager.tasks.values())
    return next((t.worker_id for t in tasks if t.worker_id and t.worker_id not in seen), None)


async def test_a_worker_dying_under_a_page_is_replaced_page_retried_once_then_rejected():
    import asyncio
    import os
    import signal

    from tradeties.common.waiting import wait_for
    from tradeties.crawler.pool import ExtractionFailed, ExtractionPool
    from tradeties.newsweb.pages import endless_extraction_page

    slow = endless_extraction_page()
    good = (
        "<html><body><article><p>" + "Regional delegations met to discuss trade and ports. " * 20 + "</p></article></body></html>"
    ).encode()
    pool = ExtractionPool(1, timeout_s=120)
    killed: set[int] = set()
    try:
        await pool.warm()
        page = asyncio.create_task(pool.run(slow, "http://a/slow", None, 0))
        for _ in range(2):  # the page and its one retry
            pid = await asyncio.to_thread(wait_for, lambda: _busy_worker(pool, killed), 120, "a worker on the page", every_s=0.05)
            killed.add(pid)
            os.kill(pid, signal.SIGKILL)
        try:
            await page
        except ExtractionFailed as exc:
            assert exc.reason == "worker_died"
        else:
            raise AssertionError("a page whose worker died twice must be rejected")
        assert pool.replaced == 2
        assert (await pool.run(good, "http://a/good", None, 0)).extracted.text  # the pool works on
    finally:
        pool.close()
