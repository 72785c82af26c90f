"""Where CPU-bound extraction runs: a worker thread (default) or a pool of processes.

Extraction dominates the crawler's CPU time; running it off the event loop keeps fetches,
timeouts and acks flowing meanwhile, and with ``extract_workers`` > 0 it uses several cores.
The worker's call for a page is ``work.process_page`` (workers import only that module). Every page has a deadline
(``extract_timeout_s``): markup that makes the extractor super-linear (tens of thousands of
inline tags) must not hold a worker, and a worker that dies must not break the pool.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pebble
import structlog
from pebble import ProcessExpired

from tradeties.common.errors import PermanentError

from .work import Page, process_page, warm_up

__all__ = ["ExtractionFailed", "ExtractionPool", "Page", "process_page"]

log = structlog.get_logger(__name__)


class ExtractionFailed(PermanentError):
    """The page broke or outlived its extraction worker twice (``extract_timeout``, ``worker_died``)."""


class ExtractionPool:
    """``workers`` spawned processes (pebble: a task past its deadline has its worker killed and
    replaced, a dead worker is replaced too), or one thread when ``workers`` is 0 (a thread cannot
    be killed: a page past its deadline is abandoned to it and a fresh thread takes the next pages).

    A page that times out or takes its worker down is tried once more, then ``ExtractionFailed``."""

    def __init__(self, workers: int = 0, *, timeout_s: float = 30.0) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self.replaced = 0  # workers killed or found dead and replaced (tests, logs)
        # spawn, not fork: the service process has threads (Kafka I/O, executor) a fork would copy mid-state.
        self._processes = self._new_processes() if workers > 0 else None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="extract") if workers == 0 else None

    async def warm(self) -> None:
        """Start every worker and load its models now, not on the first page."""
        await asyncio.gather(*(self._once(warm_up) for _ in range(max(1, self.workers))))

    def pids(self) -> list[int]:
        """The extraction processes' pids (pebble's worker table: ``active_children`` would also
        name every other child of this process, such as a benchmark's fixture web)."""
        if self._processes is None:
            return []
        return [p.pid for p in self._processes._pool_manager.worker_manager.workers.values() if p.pid]

    async def run(self, body: bytes, url: str, charset: str | None, min_text_chars: int, cjk_char_weight: float = 1.0) -> Page:
        args = (body, url, charset, min_text_chars, cjk_char_weight)
        for attempt in (1, 2):
            try:
                return await self._once(process_page, *args)
            except TimeoutError:
                reason = "extract_timeout"
            except (ProcessExpired, BrokenProcessPool):
                reason = "worker_died"
            self.replaced += 1
            log.warning("extraction worker replaced", url=url, reason=reason, attempt=attempt, timeout_s=self.timeout_s)
        raise ExtractionFailed(f"extraction failed twice ({reason}, deadline {self.timeout_s}s)", reason=reason)

    async def _once(self, fn, *args):
        if self._processes is not None:
            # Idle workers that all died leave pebble's pool broken: schedule() refuses (RuntimeError), or —
            # when pebble notices only after the task went in — the task fails with BrokenProcessPool
            # (a worker dying on a page gives ProcessExpired instead). Either way the pool is replaced.
            pool = self._processes
            try:
                return await asyncio.wrap_future(pool.schedule(fn, args, timeout=self.timeout_s))
            except (RuntimeError, BrokenProcessPool):
                self._replace_broken(pool)
            return await asyncio.wrap_future(self._processes.schedule(fn, args, timeout=self.timeout_s))
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._thread, fn, *args), self.timeout_s)
        except TimeoutError:
            self._thread.shutdown(wait=False)
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="extract")
            raise

    def _new_processes(self) -> pebble.ProcessPool:
        return pebble.ProcessPool(self.workers, initializer=warm_up, context=multiprocessing.get_context("spawn"))

    def _replace_broken(self, pool: pebble.ProcessPool) -> None:
        if self._processes is not pool:
            return  # another task replaced it already
        pool.stop()
        self._processes = self._new_processes()
        self.replaced += 1
        log.warning("extraction pool replaced: its workers died while idle")

    def close(self) -> None:
        if self._processes is not None:
            self._processes.stop()
            self._processes.join(10)
        elif self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
