"""Where CPU-bound extraction runs: a worker thread (default) or a pool of processes.

Extraction dominates the crawler's CPU time; running it off the event loop keeps fetches,
timeouts and acks flowing meanwhile, and with ``extract_workers`` > 0 it uses several cores.
The worker computes everything CPU-bound for a page in one call (text, metadata, content hash,
SimHash) so the page crosses the process boundary once, as bytes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from tradeties.common.events import content_hash_for

from .extraction import Extracted, extract
from .fingerprint import body_text, simhash


@dataclass(frozen=True)
class Page:
    extracted: Extracted
    content_hash: str
    simhash: int | None


def process_page(body: bytes, url: str, charset: str | None, min_text_chars: int,
                 cjk_char_weight: float = 1.0) -> Page:
    ex = extract(body, url, charset, min_text_chars=min_text_chars, cjk_char_weight=cjk_char_weight)
    return Page(ex, content_hash_for(ex.text), simhash(body_text(ex.text, ex.title)))


_WARM_UP = ("<html><body><article><p>" + "Delegations from both regions met to discuss trade. " * 20
            + "</p></article></body></html>").encode()


def warm_up() -> None:
    """Import and initialise the extraction libraries (trafilatura, htmldate, py3langid model)."""
    process_page(_WARM_UP, "http://warm.up/", None, 0)


class ExtractionPool:
    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        # spawn, not fork: the service process has threads (Kafka I/O, executor) a fork would copy mid-state.
        self._executor: Executor = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers > 0
            else ThreadPoolExecutor(1, thread_name_prefix="extract"))

    async def warm(self) -> None:
        """Start every worker and load its models now, not on the first page."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._executor, warm_up) for _ in range(max(1, self.workers))))

    def pids(self) -> list[int]:
        return list(getattr(self._executor, "_processes", None) or {})

    async def run(self, body: bytes, url: str, charset: str | None, min_text_chars: int,
                  cjk_char_weight: float = 1.0) -> Page:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, process_page, body, url, charset, min_text_chars,
                                          cjk_char_weight)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
