"""The limit a pipeline stage is held against: the crawler's own extraction call on the same pages
and the same number of processes as the crawler's pool (``crawler.extract_workers``).

The worker call is ``tradeties.crawler.pool.process_page`` — decode, trafilatura
``bare_extraction`` with metadata and htmldate, language, content hash, SimHash — so the limit
does exactly the extraction work the crawler does per page, and nothing else.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from benchmarks._procstat import CpuMeter


def _limit_call(body: bytes, url: str) -> None:
    from tradeties.crawler.extraction import NoArticle
    from tradeties.crawler.pool import process_page

    try:
        process_page(body, url, None, 0)
    except NoArticle:
        pass  # the crawler's pool pays the same extraction for such a page


class Limit:
    """The crawler's worker call over the same pages on ``workers`` processes (0: in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._ex = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers else None

    def pids(self) -> list[int]:
        return list(self._ex._processes) if self._ex else [os.getpid()]

    def run(self, pages: list[bytes], urls: list[str]) -> tuple[float, dict[str, float]]:
        meter = CpuMeter({"extraction": self.pids})
        if self._ex is None:
            for body, url in zip(pages[:2], urls[:2], strict=True):  # imports and caches, as the warmed pool has
                _limit_call(body, url)
            meter.start()
            t0 = time.perf_counter()
            for body, url in zip(pages, urls, strict=True):
                _limit_call(body, url)
        else:
            list(self._ex.map(_limit_call, pages[: 2 * self.workers], urls[: 2 * self.workers]))  # start and warm
            meter.start()
            t0 = time.perf_counter()
            list(self._ex.map(_limit_call, pages, urls, chunksize=2))
        rate = len(pages) / (time.perf_counter() - t0)
        return rate, meter.stop()

    def close(self) -> None:
        if self._ex:
            self._ex.shutdown()
