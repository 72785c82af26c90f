"""Stall detection, free of faust: is a worker with work to do making no progress?

Fed periodic snapshots {partition: Offsets} of the partitions the agents consume, with a clock
reading. A worker is stalled when at least one partition has lag and no partition's position
moved for ``timeout_s``. A worker without lag is never stalled (it is idle), and a new
assignment (rebalance) or an unready worker (``None`` snapshot) restarts the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Exit status of a worker the watchdog ends (EX_SOFTWARE): distinct from a crash (1) and SIGKILL.
STALL_EXIT_CODE = 70

Partition = tuple[str, int]


@dataclass(frozen=True)
class Offsets:
    position: int  # next offset to process
    highwater: int  # offset the next message written will get

    @property
    def lag(self) -> int:
        return max(0, self.highwater - self.position)


@dataclass(frozen=True)
class Stall:
    lags: dict[Partition, int]  # the partitions with lag
    for_s: float  # seconds without progress


class StallDetector:
    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._last: Mapping[Partition, Offsets] | None = None
        self._progress_at = 0.0

    def observe(self, now: float, snapshot: Mapping[Partition, Offsets] | None) -> Stall | None:
        """Record a snapshot taken at ``now`` (monotonic seconds); a ``Stall`` when stalled."""
        last, self._last = self._last, snapshot
        if snapshot is None or last is None or set(snapshot) != set(last):
            self._progress_at = now  # not ready, or a new assignment: nothing to compare with yet
            return None
        lags = {tp: o.lag for tp, o in sorted(snapshot.items()) if o.lag > 0}
        # Any change of position is progress (a seek back to replay too).
        if not lags or any(o.position != last[tp].position for tp, o in snapshot.items()):
            self._progress_at = now
            return None
        stalled_for = now - self._progress_at
        if self.timeout_s > 0 and stalled_for >= self.timeout_s:
            return Stall(lags=lags, for_s=stalled_for)
        return None
