"""Backpressure: while Elasticsearch pushes back, consumption is paused, never buffered without bound.

A bulk thread that backs off raises the flag (``wait``); the consumer thread then pauses every assigned
partition and keeps polling, so the member stays in its group (``hold``), and resumes once a batch gets
through (``resume``). Everything Kafka stays on the consumer thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

import structlog

from . import metrics

log = structlog.get_logger(__name__)


class Interrupted(Exception):
    """Stop requested while waiting out backpressure: leave the batch uncommitted."""


class Backpressure:
    def __init__(self, consumer: Any, *, stopping: Callable[[], bool], clock: Callable[[], float] = time.monotonic) -> None:
        self._consumer = consumer
        self._stopping = stopping
        self._clock = clock
        self._flag = threading.Event()  # set by a bulk thread backing off, cleared when a batch gets through
        self.paused = False  # consumption paused (consumer thread only)

    @property
    def pushing_back(self) -> bool:
        return self._flag.is_set()

    def accepted(self) -> None:
        """Bulk thread: a batch got through, the push-back is over."""
        self._flag.clear()

    def wait(self, delay: float, reason: str) -> None:
        """Bulk thread, backing off: flag backpressure (the consumer thread pauses consumption) and sleep."""
        if not self._flag.is_set():
            self._flag.set()
            metrics.PAUSED.set(1)
            log.warning("Elasticsearch pushes back; pausing consumption", reason=reason)
        deadline = self._clock() + delay
        while (left := deadline - self._clock()) > 0:
            if self._stopping():
                raise Interrupted()
            time.sleep(min(left, 0.1))

    def hold(self, in_flight: Sequence[Future[Any] | None]) -> None:
        """Consumer thread: wait (≤ 0.2 s) for the oldest batch in flight; under backpressure, pause every
        partition first and keep the consumer polled."""
        head = in_flight[0] if in_flight else None
        if not self.pushing_back and head is not None:
            # A normal bulk round trip: just wait for it (the heartbeat thread keeps the group alive).
            wait([head], timeout=0.2)
            return
        assigned = self._consumer.assignment()
        if assigned - self._consumer.paused():
            self._consumer.pause(*assigned)
        self.paused = True
        for tp, records in self._consumer.poll(timeout_ms=0).items():
            # A partition assigned during the pause is not paused yet: give its records back.
            self._consumer.seek(tp, records[0].offset)
            self._consumer.pause(tp)
        futures = [f for f in in_flight if f is not None]
        if futures:
            wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
        else:
            time.sleep(0.05)

    def resume(self) -> None:
        """Consumer thread: resume the partitions paused for backpressure."""
        paused = self._consumer.paused()
        if paused:
            self._consumer.resume(*paused)
        self.paused = False
        metrics.PAUSED.set(0)
        log.info("consumption resumed")
