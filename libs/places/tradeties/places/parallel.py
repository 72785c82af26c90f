"""A build step run in a forked process, on the machine's other core, while the build goes on: the
child starts with the parent's memory (the sources read so far, the places built so far), so only
the step's result travels back (pickled through a pipe)."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
_job: Callable[[], object] | None = None  # the step the next fork runs (inherited, never pickled)


def _run() -> object:
    assert _job is not None
    return _job()


class Forked(Generic[T]):
    def __init__(self, job: Callable[[], T]) -> None:
        """Fork now and run ``job()`` in the child. A closure is fine: the child inherits it. Where
        other threads run (a service rebuilding a stale artefact on first use: a lock one of them holds
        would stay held in the child) or fork is missing, the job runs here, now."""
        global _job
        self._pool: ProcessPoolExecutor | None = None
        if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
            self._future: Future = Future()
            self._future.set_result(job())
            return
        _job = job
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        try:
            # a fork-context pool forks its worker here, in the calling thread, with _job set
            self._future = self._pool.submit(_run)
        finally:
            _job = None

    def result(self) -> T:
        """The child's result (its exception re-raised here); the child is reaped, so its CPU time
        counts in this process's children's usage."""
        try:
            return self._future.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
