"""Extraction worker processes killed under the crawler and under a page: each is replaced and no
article is lost; a page whose worker dies twice is rejected. Spawned workers take seconds to start,
so these run with the integration suite (`make test`), not `make test-unit`; the timeout of a page
whose extraction never ends is tests/crawler/test_crawl_kafka.py's."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from tradeties.common.waiting import wait_for
from tradeties.crawler.pool import ExtractionFailed, ExtractionPool
from tradeties.newsweb import NewsWeb
from tradeties.newsweb.pages import endless_extraction_page

from .hostile_web import crawl, html, outlet, page, words

pytestmark = pytest.mark.integration


async def test_a_killed_worker_is_replaced_and_no_article_is_lost(tmp_path):
    good = {f"/good/{i}": html(page(f"Story {i}", [words(500 + i, 90), words(600 + i, 90)]).encode()) for i in range(5)}
    web = NewsWeb([outlet("127.0.0.41", good, {"urls": list(good)})])
    pool = ExtractionPool(1, timeout_s=30)
    try:
        await pool.warm()
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
        async with web:
            crawler, _, pub = await crawl(web, tmp_path, extraction=pool, extract_workers=1)
    finally:
        pool.close()
    assert len(pub.articles) == 5, crawler.stats.errors
    assert "internal" not in crawler.stats.errors


def _busy_worker(pool, seen: set[int]) -> int | None:
    """The pid of the worker that acknowledged a page (pebble's task manager; not killed yet)."""
    tasks = list(pool._processes._pool_manager.task_manager.tasks.values())
    return next((t.worker_id for t in tasks if t.worker_id and t.worker_id not in seen), None)


async def test_a_worker_dying_under_a_page_is_replaced_page_retried_once_then_rejected():
    slow = endless_extraction_page()
    good = (
        "<html><body><article><p>" + "Regional delegations met to discuss trade and ports. " * 20 + "</p></article></body></html>"
    ).encode()
    pool = ExtractionPool(1, timeout_s=120)
    killed: set[int] = set()
    try:
        await pool.warm()
        on_page = asyncio.create_task(pool.run(slow, "http://a/slow", None, 0))
        for _ in range(2):  # the page and its one retry
            pid = await asyncio.to_thread(wait_for, lambda: _busy_worker(pool, killed), 120, "a worker on the page", every_s=0.05)
            killed.add(pid)
            os.kill(pid, signal.SIGKILL)
        try:
            await on_page
        except ExtractionFailed as exc:
            assert exc.reason == "worker_died"
        else:
            raise AssertionError("a page whose worker died twice must be rejected")
        assert pool.replaced == 2
        assert (await pool.run(good, "http://a/good", None, 0)).extracted.text  # the pool works on
    finally:
        pool.close()
