"""The stall watchdog on a faust app: a timer samples the agents' partitions and ends a wedged
worker (exit status 70) so that its supervisor (`tradeties run`, Kubernetes) restarts it."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import faust
import structlog

from tradeties.common.settings import ClassifierSettings

from . import metrics
from .watchdog import STALL_EXIT_CODE, Offsets, Partition, StallDetector

log = structlog.get_logger(__name__)


async def sample(app: faust.App, topics: frozenset[str], timeout_s: float) -> dict[Partition, Offsets] | None:
    """{partition: Offsets} of the assigned partitions of ``topics`` (table changelogs are written, not
    consumed, so they are left out); ``None`` while the worker is not processing yet."""
    if app.rebalancing or not app.tables.recovery.completed.is_set():
        return None
    consumer = app.consumer
    tps = sorted(tp for tp in consumer.assignment() if tp.topic in topics)
    if not tps:
        return {}
    # faust's processed position: the offset after the last acked message, as committed.
    committed = {tp: consumer._committed_offset[tp] for tp in tps}
    # Ask the broker (not the fetcher's cache, which a wedged fetcher no longer updates).
    highwaters = await asyncio.wait_for(consumer.highwaters(*tps), timeout_s)
    unprocessed = [tp for tp, offset in committed.items() if offset is None]
    # Nothing committed yet: the worker starts at the log start (auto_offset_reset=earliest).
    earliest = await asyncio.wait_for(consumer.earliest_offsets(*unprocessed), timeout_s) if unprocessed else {}
    return {(tp.topic, tp.partition): Offsets(position=committed[tp] if committed[tp] is not None else earliest[tp],
                                              highwater=highwaters[tp]) for tp in tps}


def install(app: faust.App, settings: ClassifierSettings, topics: frozenset[str]) -> None:
    """Run the watchdog on ``app`` (unless ``stall_timeout_s`` is 0)."""
    if settings.stall_timeout_s <= 0:
        return
    detector = StallDetector(settings.stall_timeout_s)
    interval = settings.stall_check_interval_s

    @app.timer(interval, name="stall-watchdog")
    async def watch() -> None:
        try:
            snapshot = await sample(app, topics, timeout_s=max(interval, 10.0))
        except Exception as exc:  # a failed sample is no evidence either way; the clock keeps running
            log.warning("stall watchdog sample failed", error=f"{type(exc).__name__}: {exc}")
            return
        stall = detector.observe(time.monotonic(), snapshot)
        if stall is None:
            return
        metrics.STALLS.inc()
        log.error("stalled: no progress with lag, exiting for a restart", stalled_s=round(stall.for_s, 1),
                  exit_code=STALL_EXIT_CODE, lags=",".join(f"{t}:{p}={lag}" for (t, p), lag in stall.lags.items()))
        sys.stdout.flush()
        sys.stderr.flush()
        # A hard exit: the worker is wedged, so a clean stop may hang too. Uncommitted offsets are
        # replayed by the next worker; the tables make the replay harmless.
        os._exit(STALL_EXIT_CODE)
