"""Crawler throughput vs bare trafilatura on the same pages, and memory growth over a long pass.

Pages: the 181 real news pages of ../shared/benchmarks/article-extraction, served over loopback
by the fixture news web in a process of its own (4 outlets on 127.0.0.2-5, reached through
their sitemap indexes, no politeness delay), each round with a fresh state store.

- baseline: ``trafilatura.extract(html, url=url)`` of the same bytes in this process, one after
  the other — the bare library, nothing else.
- measured: one crawler pass, start to the last broker ack: robots.txt, sitemap index and
  sitemaps, HTTP fetch of every page, decoding, extraction (text + metadata incl. htmldate
  date), canonical URL, content hash, SimHash, de-duplication in SQLite, RawArticle publish to
  Kafka (acks=all) when a broker is reachable (else an in-memory publisher; see the note).
  Default settings except the politeness delay; measured twice: with the default
  ``extract_workers`` (a pool of extraction processes, one per core) and with ``extract_workers=0``
  (extraction in one thread of the service process — the single-core figure). The pool is
  started and warmed before the clock starts (service start-up is not throughput).
ratio = median over rounds of (crawler pages/s ÷ baseline pages/s measured just before).

Memory: a pass over N (default 5,000) URLs of the same pages (page i % 181 at /p/i; repeats are
recorded as duplicates), default settings; peak RSS (VmHWM) of the crawler process plus its
extraction processes when 1,000 fetches are done vs at the end.
"""

from __future__ import annotations

import asyncio
import gzip
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from tradeties.common.errors import TradetiesError  # noqa: E402
from tradeties.common.kafka import create_topics  # noqa: E402
from tradeties.common.settings import CrawlerSettings, RetrySettings, Settings  # noqa: E402
from tradeties.crawler.pool import ExtractionPool  # noqa: E402
from tradeties.crawler.publisher import KafkaPublisher  # noqa: E402
from tradeties.crawler.service import Crawler  # noqa: E402
from tradeties.crawler.sources import SourcesFile  # noqa: E402
from tradeties.crawler.store import StateStore  # noqa: E402
from tradeties.newsweb.server import NewsWeb, Outlet  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PAGES_DIR = REPO.parent / "shared" / "benchmarks" / "article-extraction" / "html"
ROUNDS = int(os.environ.get("TRADETIES_BENCH_CRAWLER_ROUNDS", "3"))
FETCHES = int(os.environ.get("TRADETIES_BENCH_CRAWLER_FETCHES", "5000"))
OUTLETS = 4


class MemoryPublisher:
    def __init__(self) -> None:
        self.count = 0

    async def publish(self, article) -> None:
        self.count += 1

    def close(self) -> None:
        pass


def load_pages() -> list[bytes]:
    files = sorted(PAGES_DIR.glob("*.html.gz"))
    if not files:
        raise SystemExit(f"benchmark pages missing at {PAGES_DIR}")
    return [gzip.decompress(f.read_bytes()) for f in files]


def build_web(pages: list[bytes], n: int) -> NewsWeb:
    outlets = [Outlet(name=f"Bench {i}", ip=f"127.0.0.{2 + i}") for i in range(OUTLETS)]
    for i in range(n):
        outlets[i % OUTLETS].raw_pages[f"/p/{i}"] = pages[i % len(pages)]
    return NewsWeb(outlets)


def _serve(n: int, conn) -> None:
    """Child process: serve the web until told to stop; report the outlets' base URLs."""
    async def main() -> None:
        web = build_web(load_pages(), n)
        async with web:
            conn.send([o.base_url for o in web.outlets])
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)

    asyncio.run(main())


class ServedWeb:
    """The fixture web in another process, so serving costs the crawler's event loop nothing."""

    def __init__(self, n: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(n, child), daemon=True)
        self.n = n
        self.bases: list[str] = []

    async def __aenter__(self) -> "ServedWeb":
        self._proc.start()
        if not await asyncio.get_running_loop().run_in_executor(None, self._conn.poll, 60):
            raise SystemExit("fixture web did not start")
        self.bases = self._conn.recv()
        return self

    async def __aexit__(self, *exc) -> None:
        self._conn.send("stop")
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.terminate()


def sources_of(web: ServedWeb) -> SourcesFile:
    return SourcesFile.model_validate({"allow_private_networks": True, "sources": [
        {"name": f"Bench {i}", "sitemaps": [base + "/sitemap_index.xml"]} for i, base in enumerate(web.bases)]})


def make_publisher(settings: Settings | None):
    if settings is None:
        return MemoryPublisher(), "in-memory publisher (no broker)"
    try:
        create_topics(settings.kafka)
        return KafkaPublisher.from_settings(settings.kafka, timeout_s=60), "Kafka acks=all"
    except TradetiesError as exc:
        return MemoryPublisher(), f"in-memory publisher (Kafka unreachable: {exc.reason})"


async def crawl(web: ServedWeb, publisher, pool: ExtractionPool, on_progress=None) -> tuple[float, Crawler]:
    with tempfile.TemporaryDirectory() as tmp:
        cs = CrawlerSettings(state_path=Path(tmp) / "state.sqlite3", per_host_delay_s=0.0, progress_interval_s=3600,
                             max_urls_per_sitemap=100_000)
        store = StateStore(cs.state_path)
        crawler = Crawler(sources=sources_of(web), crawler=cs, retry=RetrySettings(), store=store, publisher=publisher,
                          extraction=pool)
        watcher = asyncio.create_task(on_progress(crawler)) if on_progress else None
        async with crawler:
            t0 = time.perf_counter()
            await crawler.run_pass()
            elapsed = time.perf_counter() - t0
        if watcher:
            watcher.cancel()
        store.close()
        return elapsed, crawler


def baseline(pages: list[bytes], web: ServedWeb) -> float:
    urls = [f"{web.bases[i % OUTLETS]}/p/{i}" for i in range(len(pages))]
    bodies = pages
    t0 = time.perf_counter()
    for body, url in zip(bodies, urls):
        trafilatura.extract(body, url=url)
    return len(bodies) / (time.perf_counter() - t0)


def _hwm_kb(pid: int | str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_mb(pool: ExtractionPool) -> float:
    return (_hwm_kb("self") + sum(_hwm_kb(pid) for pid in pool.pids())) / 1024


async def throughput(pages: list[bytes], publisher, how: str, workers: int) -> list[dict]:
    web = ServedWeb(len(pages))
    base, measured, ratios = [], [], []
    pool = ExtractionPool(workers)
    await pool.warm()
    async with web:
        for _ in range(ROUNDS):
            b = baseline(pages, web)
            elapsed, crawler = await crawl(web, publisher, pool)
            m = crawler.stats.fetched["article"] / elapsed
            if crawler.stats.fetched["article"] != len(pages):
                raise SystemExit(f"crawler fetched {crawler.stats.fetched['article']} of {len(pages)} pages")
            base.append(b)
            measured.append(m)
            ratios.append(m / b)
    pool.close()
    mode = f"{workers} extraction processes" if workers else "extraction in one thread"
    return [{
        "name": f"crawler pages/s vs bare trafilatura ({mode})",
        "measured": round(statistics.median(measured), 2), "baseline": round(statistics.median(base), 2),
        "ratio": round(statistics.median(ratios), 3), "target": ">= 0.9", "unit": "pages/s",
        "note": f"{len(pages)} real pages over loopback, {ROUNDS} rounds, fetch+extract+dedup+publish ({how}), "
                f"baseline trafilatura.extract in-process",
    }]


async def memory(pages: list[bytes], publisher, how: str) -> list[dict]:
    web = ServedWeb(FETCHES)
    marks: dict[str, float] = {}
    pool = ExtractionPool(CrawlerSettings().extract_workers)

    async def watch(crawler: Crawler) -> None:
        while True:
            if crawler.stats.fetched["article"] >= min(1000, FETCHES) and "first" not in marks:
                marks["first"] = peak_rss_mb(pool)
            await asyncio.sleep(0.05)

    async with web:
        await crawl(web, publisher, pool, watch)
    marks["end"] = peak_rss_mb(pool)
    pool.close()
    first = marks.get("first", marks["end"])
    return [{
        "name": f"crawler peak RSS after {FETCHES} vs 1000 fetches",
        "measured": round(marks["end"], 1), "baseline": round(first, 1),
        "ratio": round(marks["end"] / first, 3), "target": "<= 1.2", "unit": "MB",
        "note": f"page i%181 at {FETCHES} URLs on {OUTLETS} outlets (repeats recorded as duplicates), {how}",
    }]


def run(ctx: Any = None) -> list[dict]:
    settings = getattr(ctx, "settings", None) or (ctx.get("settings") if isinstance(ctx, dict) else None)
    pages = load_pages()
    publisher, how = make_publisher(settings)
    try:
        rows = asyncio.run(throughput(pages, publisher, how, CrawlerSettings().extract_workers))
        rows += asyncio.run(throughput(pages, publisher, how, 0))
        rows += asyncio.run(memory(pages, publisher, how))
    finally:
        publisher.close()
    return rows


if __name__ == "__main__":
    import json

    import uuid

    from tradeties.common.logging import configure_logging
    from tradeties.common.settings import LogSettings

    configure_logging(LogSettings(level="WARNING"))  # stderr; stdout carries only the rows
    settings = Settings()
    settings.kafka.topic_prefix = f"bench-crawler-{uuid.uuid4().hex[:8]}"  # a run never sees another's topics
    use_kafka = os.environ.get("TRADETIES_BENCH_NO_KAFKA") is None
    for row in run({"settings": settings} if use_kafka else None):
        print(json.dumps(row))
