"""Per-host work queues for one crawl pass.

Each host has a FIFO queue drained by at most ``workers_per_host`` tasks, started on demand
and ended when the queue is empty, so thousands of URLs on one host cost one task, not
thousands. ``join()`` returns when every submitted job (including jobs submitted by jobs) is
done; ``stop()`` lets running jobs finish within a grace period and drops the rest — dropped
article URLs stay in the persistent frontier and are crawled next time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import structlog

from .metrics import QUEUE_DEPTH

J = TypeVar("J")
log = structlog.get_logger(__name__)


class HostQueues(Generic[J]):
    def __init__(self, run: Callable[[J], Awaitable[None]], *, workers_per_host: int = 1) -> None:
        self._run = run
        self._workers_per_host = workers_per_host
        self._queues: dict[str, deque[J]] = {}
        self._workers: dict[str, set[asyncio.Task]] = {}
        self._outstanding = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False

    def submit(self, host: str, job: J) -> None:
        if self._stopping:
            return
        q = self._queues.setdefault(host, deque())
        q.append(job)
        QUEUE_DEPTH.inc()
        self._outstanding += 1
        self._idle.clear()
        workers = self._workers.setdefault(host, set())
        if len(workers) < self._workers_per_host:
            task = asyncio.create_task(self._work(host), name=f"crawl:{host}")
            workers.add(task)
            task.add_done_callback(workers.discard)

    @property
    def busy(self) -> bool:
        """Jobs queued or running (an article's job ends once its page is handed to processing)."""
        return self._outstanding > 0

    def depth(self) -> dict[str, int]:
        return {h: len(q) for h, q in self._queues.items() if q}

    async def _work(self, host: str) -> None:
        q = self._queues[host]
        while q and not self._stopping:
            job = q.popleft()
            QUEUE_DEPTH.dec()
            try:
                await self._run(job)
            except asyncio.CancelledError:
                raise
            except Exception:  # a job must never kill its host's worker
                log.exception("job failed unexpectedly", host=host)
            finally:
                self._done(1)
        if self._stopping and q:
            self._done(len(q))
            QUEUE_DEPTH.dec(len(q))
            q.clear()

    def _done(self, n: int) -> None:
        self._outstanding -= n
        if self._outstanding <= 0:
            self._idle.set()

    async def join(self) -> None:
        await self._idle.wait()

    async def stop(self, grace_s: float) -> None:
        self._stopping = True
        tasks = [t for ws in self._workers.values() for t in ws]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace_s)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for q in self._queues.values():
            QUEUE_DEPTH.dec(len(q))
            q.clear()
        self._outstanding = 0
        self._idle.set()
