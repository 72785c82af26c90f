"""Batches in flight: handed to bulk threads, reaped strictly in order (offsets are committed in order).

At most ``max_in_flight`` batches are being written while the consumer thread reads the next one,
so memory stays bounded. A batch of poison messages only has no bulk (``future`` None).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .records import Poison
from .writer import Doc, WriteResult


@dataclass
class InFlight:
    future: Future[WriteResult] | None
    records: list[Any]
    docs: list[Doc]
    poison: list[Poison]
    now: datetime
    started: float

    def result(self) -> WriteResult:
        return self.future.result() if self.future is not None else WriteResult()


class InFlightBatches:
    def __init__(self, max_in_flight: int, write: Callable[[list[Doc], bool], WriteResult]) -> None:
        self.max_in_flight = max_in_flight
        self._write = write
        self._pool = ThreadPoolExecutor(max_workers=max_in_flight, thread_name_prefix="tradeties-bulk")
        self._queue: deque[InFlight] = deque()

    def __len__(self) -> int:
        return len(self._queue)

    def full(self) -> bool:
        return len(self._queue) >= self.max_in_flight

    def futures(self) -> list[Future[WriteResult] | None]:
        """The bulks of the batches in hand, oldest first."""
        return [b.future for b in self._queue]

    def messages(self) -> int:
        return sum(len(b.records) for b in self._queue)

    def submit(
        self, records: list[Any], docs: list[Doc], poison: list[Poison], now: datetime, started: float, *, refresh: bool = False
    ) -> None:
        future = self._pool.submit(self._write, docs, refresh) if docs else None
        self._queue.append(InFlight(future, records, docs, poison, now, started))

    def reap(self, *, block: bool, hold: Callable[[], None]) -> list[InFlight]:
        """The oldest batches whose bulk finished, in order; with ``block``, at least the oldest one
        (``hold`` is called while waiting for it)."""
        done: list[InFlight] = []
        while self._queue:
            head = self._queue[0]
            if head.future is not None and not head.future.done():
                if not block or done:
                    break
                while not head.future.done():
                    hold()
            done.append(self._queue.popleft())
        return done

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
