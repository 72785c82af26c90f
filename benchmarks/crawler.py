"""Crawler throughput against its own extraction on the same cores, and its memory in a process of its own.

Pages: the 181 real news pages of ../shared/benchmarks/article-extraction, served over loopback
by the fixture news web in a process of its own (4 outlets on 127.0.0.2-5, reached through
their sitemap indexes, no politeness delay), each round with a fresh state store.

- limit: the crawler's own worker call (``pool.process_page``: decode, trafilatura
  ``bare_extraction`` with metadata and htmldate, language, content hash, SimHash) of the same
  bytes, mapped over ``extract_workers`` spawned processes (or run in one process for the
  single-thread row) — the most pages/s that extraction allows on that many cores.
- measured: one crawler pass, start to the last broker ack: robots.txt, sitemap index and
  sitemaps, HTTP fetch of every page, extraction in the crawler's pool, canonical URL, hashes,
  de-duplication in SQLite, RawArticle publish to Kafka (acks=all). The pool is started and
  warmed before the clock starts (service start-up is not throughput).
Rounds alternate limit and crawl; ratio = median of the paired ratios. CPU ms per page of every
process (crawler main, its workers; the limit's workers; the fixture web, reported apart and
not counted as the crawler's) is measured from /proc in the same rounds: ``extraction CPU ÷
crawler CPU`` is the load-robust form of the same ratio.

Memory: ``tradeties crawler --once`` (the deployed entry point, nothing of the benchmark in it)
over N (default 5,000) URLs of the same pages (page i % 181 at /p/i; repeats recorded as
duplicates); peak RSS (VmHWM) of its main process plus its extraction processes after 1,000
fetches and at the end.
"""

from __future__ import annotations

import asyncio
import gzip
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks._limits import Limit
from benchmarks._procstat import CpuMeter, children, hwm_mb, load1, per_article_ms

REPO = Path(__file__).resolve().parents[1]
PAGES_DIR = REPO.parent / "shared" / "benchmarks" / "article-extraction" / "html"
ROUNDS = int(os.environ.get("TRADETIES_BENCH_CRAWLER_ROUNDS", "3"))
FETCHES = int(os.environ.get("TRADETIES_BENCH_CRAWLER_FETCHES", "5000"))
OUTLETS = 4
FIXTURE = "bench (fixture web)"  # the process serving the pages: reported, not the crawler's CPU


def load_pages() -> list[bytes]:
    files = sorted(PAGES_DIR.glob("*.html.gz"))
    if not files:
        raise SystemExit(f"benchmark pages missing at {PAGES_DIR}")
    return [gzip.decompress(f.read_bytes()) for f in files]


def _serve(n: int, conn) -> None:
    """Child process: serve the web until told to stop; report the outlets' base URLs."""
    from tradeties.newsweb.server import NewsWeb, Outlet

    async def main() -> None:
        pages = load_pages()
        outlets = [Outlet(name=f"Bench {i}", ip=f"127.0.0.{2 + i}") for i in range(OUTLETS)]
        for i in range(n):
            outlets[i % OUTLETS].raw_pages[f"/p/{i}"] = pages[i % len(pages)]
        async with NewsWeb(outlets) as web:
            conn.send([o.base_url for o in web.outlets])
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)

    asyncio.run(main())


class ServedWeb:
    """The fixture web in another process, so serving costs the crawler's processes nothing."""

    def __init__(self, n: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(n, child), daemon=True)
        self.bases: list[str] = []

    def __enter__(self) -> ServedWeb:
        self._proc.start()
        if not self._conn.poll(60):
            raise SystemExit("fixture web did not start")
        self.bases = self._conn.recv()
        return self

    def __exit__(self, *exc) -> None:
        self._conn.send("stop")
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.terminate()

    def pids(self) -> list[int]:
        return [self._proc.pid] if self._proc.pid else []

    def url(self, i: int) -> str:
        return f"{self.bases[i % OUTLETS]}/p/{i}"

    def sources(self) -> dict:
        return {
            "allow_private_networks": True,
            "sources": [{"name": f"Bench {i}", "sitemaps": [base + "/sitemap_index.xml"]} for i, base in enumerate(self.bases)],
        }


async def crawl(web: ServedWeb, publisher, pool) -> tuple[float, int, dict[str, float]]:
    from tradeties.common.settings import CrawlerSettings, RetrySettings
    from tradeties.crawler.service import Crawler
    from tradeties.crawler.sources import SourcesFile
    from tradeties.crawler.store import StateStore

    with tempfile.TemporaryDirectory() as tmp:
        cs = CrawlerSettings(
            state_path=Path(tmp) / "state.sqlite3", per_host_delay_s=0.0, progress_interval_s=3600, max_urls_per_sitemap=100_000
        )
        store = StateStore(cs.state_path)
        crawler = Crawler(
            sources=SourcesFile.model_validate(web.sources()),
            crawler=cs,
            retry=RetrySettings(),
            store=store,
            publisher=publisher,
            extraction=pool,
        )
        meter = CpuMeter({"crawler main": lambda: [os.getpid()], "crawler workers": pool.pids, FIXTURE: web.pids})
        async with crawler:
            meter.start()
            t0 = time.perf_counter()
            await crawler.run_pass()
            elapsed = time.perf_counter() - t0
            cpu = meter.stop()
        store.close()
        return elapsed, crawler.stats.fetched["article"], cpu


async def _warm(pool) -> None:
    await pool.warm()


def throughput(pages: list[bytes], publisher, workers: int) -> list[dict]:
    from tradeties.crawler.loop import run as run_loop
    from tradeties.crawler.pool import ExtractionPool

    n = len(pages)
    limit = Limit(workers)
    pool = ExtractionPool(workers)
    run_loop(_warm(pool))
    rates, limits, ratios, cpu_c, cpu_l, loads = [], [], [], [], [], []
    with ServedWeb(n) as web:
        urls = [web.url(i) for i in range(n)]
        for _ in range(ROUNDS):
            lim, lcpu = limit.run(pages, urls)
            elapsed, fetched, ccpu = run_loop(crawl(web, publisher, pool))
            if fetched != n:
                raise SystemExit(f"crawler fetched {fetched} of {n} pages")
            rates.append(n / elapsed)
            limits.append(lim)
            ratios.append(n / elapsed / lim)
            cpu_c.append(per_article_ms(ccpu, n))
            cpu_l.append(per_article_ms(lcpu, n))
            loads.append(load1())
    pool.close()
    limit.close()
    cores = max(1, workers)
    mode = f"{workers} extraction processes" if workers else "extraction in one thread"
    med = {k: round(statistics.median(c[k] for c in cpu_c), 2) for k in cpu_c[0]}
    if not workers:
        med.pop("crawler workers", None)
    crawler_ms = sum(v for k, v in med.items() if k != FIXTURE)
    extraction_ms = round(statistics.median(c["extraction"] for c in cpu_l), 2)
    common = {"cores": cores, "load": loads, "cpu_ms": {**med, "limit extraction": extraction_ms}}
    return [
        {
            "name": f"crawler pages/s vs its extraction limit ({mode})",
            "measured": round(statistics.median(rates), 2),
            "baseline": round(statistics.median(limits), 2),
            "ratio": round(statistics.median(ratios), 3),
            "target": ">= 0.85",
            "unit": "pages/s",
            "limit": f"pool.process_page on {cores} process{'es' if cores > 1 else ''}",
            **common,
            "note": f"{n} real pages over loopback, {ROUNDS} alternating rounds, fetch+extract+dedup+publish "
            f"(Kafka acks=all); ratios {[round(r, 3) for r in ratios]}",
        },
        {
            "name": f"crawler CPU ms/page vs its extraction CPU ms/page ({mode})",
            "measured": round(crawler_ms, 2),
            "baseline": extraction_ms,
            "ratio": round(extraction_ms / crawler_ms, 3),
            "target": ">= 0.85",
            "unit": "ms CPU",
            "limit": "CPU of pool.process_page per page",
            **common,
            "note": "ratio = extraction CPU ÷ all the crawler's CPU per page (load-robust); per process: "
            + ", ".join(f"{k} {v}" for k, v in med.items()),
        },
    ]


def _fetched(metrics_url: str) -> float:
    try:
        with urllib.request.urlopen(metrics_url, timeout=2) as resp:
            text = resp.read().decode()
    except OSError:
        return 0.0
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('tradeties_crawler_fetched_total{kind="article"}')
    )


def memory(settings: Any) -> list[dict]:
    """``tradeties crawler --once`` in a fresh process: peak RSS of it and its workers."""
    import yaml

    from tradeties.pipeline.envmap import settings_env
    from tradeties.pipeline.runner import free_port
    from tradeties.pipeline.supervisor import tradeties_argv

    port = free_port()
    first = min(1000, FETCHES)
    marks: dict[str, float] = {}
    with ServedWeb(FETCHES) as web, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(yaml.safe_dump(web.sources()))
        env = {
            **os.environ,
            **settings_env(settings),
            "TRADETIES_CRAWLER_PER_HOST_DELAY_S": "0",
            "TRADETIES_CRAWLER_STATE_PATH": str(Path(tmp) / "state.sqlite3"),
            "TRADETIES_CRAWLER_MAX_URLS_PER_SITEMAP": "100000",
            "TRADETIES_CRAWLER_METRICS_PORT": str(port),
            "TRADETIES_LOG_LEVEL": "WARNING",
        }
        proc = subprocess.Popen(
            tradeties_argv("crawler", "--once", "--sources", str(sources)),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        hwm: dict[int, float] = {}
        while proc.poll() is None:
            for pid in [proc.pid, *children(proc.pid)]:
                hwm[pid] = max(hwm.get(pid, 0.0), hwm_mb(pid))  # VmHWM only grows: the last reading is the peak
            if "first" not in marks and _fetched(f"http://127.0.0.1:{port}/metrics") >= first:
                marks["first"] = sum(hwm.values())
            time.sleep(0.2)
        if proc.returncode != 0:
            raise RuntimeError(f"tradeties crawler --once exited {proc.returncode}")
    end = sum(hwm.values())
    start = marks.get("first", end)
    main_mb = hwm.get(proc.pid, 0.0)
    return [
        {
            "name": "crawler peak RSS (main + extraction processes), fresh process",
            "measured": round(end, 1),
            "baseline": 400.0,
            "ratio": round(end / 400.0, 3),
            "target": "<= 1.0",
            "unit": "MB",
            "limit": "400 MB budget",
            "cores": None,
            "load": [load1()],
            "note": f"tradeties crawler --once over {FETCHES} URLs: main {main_mb:.0f} MB, "
            f"{len(hwm) - 1} child processes {end - main_mb:.0f} MB",
        },
        {
            "name": f"crawler peak RSS after {FETCHES} vs {first} fetches",
            "measured": round(end, 1),
            "baseline": round(start, 1),
            "ratio": round(end / start, 3),
            "target": "<= 1.2",
            "unit": "MB",
            "limit": f"the same process after {first} fetches",
            "cores": None,
            "load": [load1()],
            "note": f"page i%181 at {FETCHES} URLs on {OUTLETS} outlets (repeats recorded as duplicates)",
        },
    ]


def run(ctx: Any) -> list[dict]:
    from tradeties.common.kafka import create_topics
    from tradeties.common.settings import CrawlerSettings
    from tradeties.crawler.publisher import KafkaPublisher

    settings = ctx.fresh_settings("crawler")
    create_topics(settings.kafka)
    pages = load_pages()
    publisher = KafkaPublisher.from_settings(settings.kafka, timeout_s=60)
    try:
        rows = throughput(pages, publisher, CrawlerSettings().extract_workers)
        rows += throughput(pages, publisher, 0)
    finally:
        publisher.close()
    return rows + memory(settings)


if __name__ == "__main__":
    from benchmarks.run import main  # python -m benchmarks.<part>

    sys.exit(main(["crawler"]))
