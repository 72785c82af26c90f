"""The one place that reaches into faust-streaming and aiokafka internals, and the versions it is tested on.

faust-streaming 0.15.3 has five holes around a table recovery / rebalance, each of the kind "the fetch
position moved past records no agent (or table) will ever see" (docs/adr/0003-faust-recovery-holes.md):

1. ``Recovery.on_recovery_completed`` resumes the stream partitions and seeks them, then calls
   ``app.flow_control.resume()``, which empties every agent's buffer; with the consumer's flow
   already on, what was fetched during the seek is thrown away. → ``GatedRecovery``: seek while
   the stream partitions are still paused, clear, and only then resume them.
2. faust hands aiokafka's ``getmany`` its *live* set of active partitions, which the event loop
   empties (every partition paused) while the consumer thread still waits; aiokafka reads an
   empty set as "every partition" and faust drops what comes back. → ``SnapshotConsumer``.
3. A partition kept across a rebalance without any commit is not fetched again: aiokafka's
   ``seek_to_committed`` leaves it where the fetcher stands, faust takes the jump for a
   compaction gap and commits over it. → ``GatedRecovery._rewind_uncommitted``.
4. A fetch asked for before a rebalance waits out the reassignment, then hands out records of the
   new assignment; faust's ``getmany`` drops them while its flow is stopped. A changelog partition
   sought by the recovery and read to its end that way is never fetched again: the recovery waits
   for good ("No event received for active tp … since recovery start"). → ``FetchBatchingThread``
   seeks such records back.
5. A recovery ends when it has read the record at the highwater - 1; offsets that hold no record
   (transaction markers, records compaction removed) never arrive, and faust skips them only under
   exactly-once, unchecked. → ``SettlingRecovery`` (under ``GatedRecovery``) reads a partition fetched
   past its highwater short of it once more from its last offset read, and settles it when that brings
   nothing.

Upstream, related: faust-streaming/faust#216 and #217 (seek before resume, stateless apps),
#221 (prefetched events after a rebalance), #253 ("when the app flow_control resumes it clears all
queues"); robinhood/faust#69 (aiokafka's ``getmany`` with an empty set fetches every partition, and
the race on the shared set). None of them closes these holes in the tested release.

Every private attribute used here depends on the exact releases in ``TESTED``; ``check_versions``
refuses any other (ConfigError) until the kill -9, rebalance and two-worker tests
(tests/classifier/test_service_kafka.py, tests/e2e/test_faults.py) pass on it and ``TESTED`` is
updated.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar

import faust
from faust.tables import TableManager
from faust.tables.recovery import Recovery, RecoveryStatsMapping
from faust.transport.drivers import aiokafka
from faust.transport.drivers.aiokafka import ensure_aiokafka_TP
from faust.types import TP
from faust.types.transports import ConsumerT
from mode import Service
from mode.utils.times import humanize_seconds_ago

from tradeties.common.errors import ConfigError

#: distribution → the release the overrides below were written against and tested on.
TESTED = {"faust-streaming": "0.15.3", "aiokafka": "0.14.0", "mode-streaming": "0.7.1"}


def check_versions(installed: dict[str, str | None] | None = None) -> None:
    """Raise ConfigError unless the installed faust/aiokafka/mode releases are the tested ones."""
    if installed is None:
        installed = {name: _installed(name) for name in TESTED}
    wrong = {name: have for name, have in installed.items() if have != TESTED[name]}
    if wrong:
        found = ", ".join(f"{name} {have or 'missing'} (tested: {TESTED[name]})" for name, have in sorted(wrong.items()))
        raise ConfigError(
            f"the classifier's stream runtime overrides faust internals tested only on {TESTED}; found {found}. "
            "Run the kill -9, rebalance and two-worker tests on the new release, then update "
            "tradeties.classifier.stream.faust_compat.TESTED."
        )


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


@dataclass
class _TailProbe:
    """An active changelog partition fetched past the recovery's highwater, short of it (hole 5)."""

    last_read: int  # the recovery's last offset read when the partition was sought back to the next one
    fetches: int | None = None  # the consumer's fetch count once the re-read had passed the highwater too


class SettlingRecovery(Recovery):
    """faust's recovery, taking a changelog partition whose offsets up to the highwater hold no more
    record as read (hole 5). ``GatedRecovery`` builds on it."""

    #: seconds between looks at active changelog partitions fetched past the highwater (hole 5)
    tail_check_interval: float = 2.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tails: dict[TP, _TailProbe] = {}

    def _set_recovery_started(self) -> None:
        super()._set_recovery_started()
        self._tails.clear()  # each recovery seeks its partitions anew

    def need_recovery(self) -> bool:
        """faust's test, after settling the partitions whose offsets up to the highwater hold no record.

        faust calls it from its changelog reader once an event is applied, or after 5 s without one,
        so with the changelog queue empty nothing taken from it is still pending; and a fetch started
        since the re-read passed the highwater means faust's drain loop has handed on that batch."""
        consumer: Any = self.app.consumer
        if self._tails and self.tables.changelog_queue.empty():
            for tp, probe in list(self._tails.items()):
                highwater, last_read = self.active_highwaters.get(tp), self.active_offsets.get(tp)
                if probe.fetches is None or consumer.fetches_started <= probe.fetches or last_read != probe.last_read:
                    continue
                if highwater is not None and last_read is not None and last_read < highwater:
                    self.log.info(
                        f"No record in {tp} after offset {last_read} up to the highwater {highwater} "
                        "(transaction markers or removed records): its recovery is complete."
                    )
                    self.active_offsets[tp] = highwater
                del self._tails[tp]
        return super().need_recovery()

    @Service.timer(tail_check_interval)
    async def _tail_check(self) -> None:
        if not self.in_recovery:
            return
        try:
            await asyncio.wait_for(self._check_tails(), timeout=self.app.conf.broker_request_timeout)
        except Exception as exc:  # e.g. a rebalance took the partition: the next recovery seeks anew
            self.log.info(f"Changelog tail check skipped: {exc!r}")

    async def _check_tails(self) -> None:
        """Seek an active partition fetched past the highwater short of it back to the offset after its
        last one read (whatever was fetched and lost on the way comes again); once the re-read has passed
        the highwater too, ``need_recovery`` settles it."""
        consumer: Any = self.app.consumer
        if not consumer.flow_active:
            return  # the recovery has not sought and resumed yet: the highwaters may be the last one's
        for tp, highwater in list(self.active_highwaters.items()):
            last_read = self.active_offsets.get(tp)
            if highwater is None or last_read is None or last_read >= highwater or tp not in self.active_tps:
                self._tails.pop(tp, None)
                continue
            if not self.tables.changelog_queue.empty():
                return  # events still to apply: the offsets read are not final
            position = await consumer.position(tp)
            if position is None or position <= highwater or not self.in_recovery:
                continue  # still fetching up to the highwater
            probe = self._tails.get(tp)
            if probe is None or probe.last_read != last_read:
                self.log.info(
                    f"Fetch of {tp} passed the highwater {highwater} (position {position}) after offset "
                    f"{last_read}: reading it again from offset {last_read + 1}."
                )
                await consumer.seek_wait({tp: last_read + 1})
                self._tails[tp] = _TailProbe(last_read)  # only once sought: a cancelled seek leaves none
            elif probe.fetches is None:
                probe.fetches = consumer.fetches_started


class GatedRecovery(SettlingRecovery):
    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        """faust's ``Recovery.on_recovery_completed`` with the stream partitions resumed last."""
        app, consumer = self.app, self.app.consumer
        self.log.info("Restore complete!")
        await app.on_rebalance_complete.send()
        self._set_recovery_ended()
        callbacks = [
            asyncio.ensure_future(table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table]))
            for table in self.tables.values()
        ]
        if callbacks:
            await asyncio.wait(callbacks)
        assignment = consumer.assignment()
        if app.consumer_generation_id != generation_id:
            self.log.warning(f"Recovery rebalancing again app id {app.consumer_generation_id} param {generation_id}")
            return
        if assignment:
            self.log.info("Seek stream partitions to committed offsets.")
            await self._wait(consumer.perform_seek(), timeout=app.conf.broker_request_timeout)
            await self._wait(self._rewind_uncommitted(assignment), timeout=app.conf.broker_request_timeout)
        self.completed.set()
        app.flow_control.resume()  # clears the agents' buffers: nothing of a stream partition is in them
        consumer.resume_partitions({tp for tp in assignment if not self._is_changelog_tp(tp)})
        consumer.resume_flow()
        internals: Any = app  # faust.App, whose fetcher service is private
        await internals._fetcher.maybe_start()
        self.tables.on_actives_ready()
        if not app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        app.on_rebalance_end()
        self.log.info("Worker ready")

    async def _rewind_uncommitted(self, assignment: set[TP]) -> None:
        """Seek the stream partitions without a commit (or a commit of 0) to their beginning (hole 3):
        what a new consumer with ``auto_offset_reset=earliest`` would read is what this one must
        read again (at-least-once; the outputs are keyed and idempotent)."""
        consumer: Any = self.app.consumer  # the aiokafka driver's Consumer, with its private offsets
        committed = consumer._committed_offset
        rewind = [tp for tp in assignment if not self._is_changelog_tp(tp) and not committed.get(tp)]
        if not rewind:
            return
        self.log.info(f"Rewind {len(rewind)} partitions without a commit to their beginning.")
        await consumer._thread.seek_to_beginning(*(ensure_aiokafka_TP(tp) for tp in rewind))
        for tp in rewind:
            consumer._read_offset[tp] = None
            consumer._gap.pop(tp, None)
            consumer._acked.pop(tp, None)
            consumer._acked_index.pop(tp, None)

    async def _verify_remaining(self, now: float, stats: RecoveryStatsMapping) -> None:
        """faust's stall warnings, with what tells a record never fetched from one never handed on."""
        started = self._recovery_started_at
        if started is None:
            return
        if now - (self._last_flush_at or started) >= self.flush_timeout_secs:
            self.log.warning(
                "Recovery has not flushed buffers since %s. Current total buffer size: %r",
                humanize_seconds_ago(now - (self._last_flush_at or started)),
                self._current_total_buffer_size(),
            )
        for tp in stats:
            if self.should_stop or not self.in_recovery:
                break
            last = self._active_events_received_at.get(tp)
            if now - (last or started) < self.event_timeout_secs:
                continue
            since = "since recovery start" if last is None else "since the last one"
            self.log.warning(
                "No event received for active tp %r %s (%s): %s",
                tp,
                since,
                humanize_seconds_ago(now - (last or started)),
                await self._fetch_state(tp),
            )

    async def _fetch_state(self, tp: TP) -> str:
        """Where the recovery of ``tp`` stands: its highwater and last offset read, and the consumer's
        position, read offset and fetch state (diagnostics only)."""
        consumer: Any = self.app.consumer
        try:
            position = await asyncio.wait_for(consumer.position(tp), timeout=2.0)
        except Exception as exc:  # diagnostics must not end the recovery
            position = f"unknown ({exc!r})"
        try:
            aio = consumer._thread._ensure_consumer()
            state = aio._subscription.subscription.assignment.state_value(ensure_aiokafka_TP(tp))
            aio_state = f"aiokafka paused={state.paused} highwater={aio.highwater(ensure_aiokafka_TP(tp))}"
        except Exception as exc:
            aio_state = f"aiokafka state unknown ({exc!r})"
        return (
            f"highwater {self.active_highwaters.get(tp)} (log end - 1), last offset read {self.active_offsets.get(tp)}, "
            f"consumer position {position}, read offset {consumer._read_offset.get(tp)}, "
            f"fetched by faust {tp in consumer._active_partitions}, paused {tp in consumer._paused_partitions}, "
            f"flow active {consumer.flow_active}, {aio_state}, changelog queue {self.tables.changelog_queue.qsize()}"
        )


class GatedTableManager(TableManager):
    """faust's table manager with ``GatedRecovery`` (the ``TableManager`` setting of the app)."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = GatedRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery


class SnapshotConsumer(aiokafka.Consumer):
    """Passes aiokafka a copy of the active partitions taken when the fetch is requested (hole 2)."""

    #: fetches asked of aiokafka so far. faust's drain loop hands on (or drops) every record of a
    #: fetch before it asks for the next, so a fetch started after a moment means every record aiokafka
    #: had handed out by then is in faust's queues or gone (``SettlingRecovery`` waits on it).
    fetches_started: int = 0

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        self.fetches_started += 1
        if active_partitions is None:  # a client-only app: every assigned partition is meant
            return await super()._getmany(None, timeout)
        snapshot = set(active_partitions)
        if not snapshot:  # emptied since faust checked it: fetch nothing rather than everything
            return {}
        return await super()._getmany(snapshot, timeout)

    def _new_consumer_thread(self) -> aiokafka.AIOKafkaConsumerThread:
        return FetchBatchingThread(self, loop=self.loop, beacon=self.beacon)


class FetchBatchingThread(aiokafka.AIOKafkaConsumerThread):
    """faust's consumer thread with the transport's ``fetch_options``: faust passes aiokafka no
    ``fetch_min_bytes`` (so every fetch is answered at once) and a fixed ``fetch_max_wait_ms``;
    with ``busy_min_bytes`` and ``busy_wait_ms`` its fetcher adapts (``adapt_fetches``). It also
    puts back what a fetch hands out once faust's flow has stopped (hole 4)."""

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        options = getattr(transport, "fetch_options", {})
        # aiokafka keeps its constructor's fetch options in these until start() builds the fetcher.
        consumer._fetch_min_bytes = options.get("fetch_min_bytes", consumer._fetch_min_bytes)
        consumer._fetch_max_wait_ms = options.get("fetch_max_wait_ms", consumer._fetch_max_wait_ms)
        return consumer

    async def _fetch_records(
        self, consumer: Any, active_partitions: Any, timeout: float | None = None, max_records: int | None = None
    ) -> Any:
        """faust's fetch; what aiokafka handed out once faust's flow had stopped is put back (hole 4):
        faust's ``getmany`` would drop it, with aiokafka's position past it. Nothing ran on this
        thread since the hand-out, so seeking back to each partition's first record undoes no seek."""
        records = await super()._fetch_records(consumer, active_partitions, timeout=timeout, max_records=max_records)
        if records and not self.consumer.flow_active:
            for tp, batch in records.items():
                consumer.seek(tp, batch[0].offset)
            return {}
        return records

    async def on_start(self) -> None:
        await super().on_start()
        options = getattr(self.transport, "fetch_options", {})
        if options.get("busy_wait_ms"):
            adapt_fetches(self._ensure_consumer()._fetcher, options["busy_min_bytes"], options["busy_wait_ms"])


def adapt_fetches(fetcher: Any, busy_min_bytes: int, busy_wait_ms: int, clock: Callable[[], float] = time.monotonic) -> None:
    """While records flow, fetches wait at the broker up to ``busy_wait_ms`` for ``busy_min_bytes``;
    otherwise they take the configured (idle) options, answered as soon as a record is there.

    Records flow when an idle fetch brought some within ``busy_wait_ms`` of asking (or a busy one
    brought any); a fetch that brought none, or brought one after a longer wait, ends it. Each fetch
    response costs the consumer thread ~1 ms of CPU (every assigned partition of the raw, reports
    and alerts topics, decoded in Python); answered at once, a stream of articles and the app's own
    reports and alerts come back as ~2 fetches per article. At a low rate (records further apart than
    ``busy_wait_ms``) fetches stay as they were: one per arrival, none extra; an idle worker keeps the
    idle fetch rate, and an article arriving during a busy fetch waits at most ``busy_wait_ms``."""
    idle = fetcher._fetch_min_bytes, fetcher._fetch_max_wait_ms
    busy = busy_min_bytes, busy_wait_ms
    proc = fetcher._proc_fetch_request  # its result: whether the response held new records

    async def adaptive(assignment: Any, node_id: int, request: Any) -> bool:
        asked = clock()
        has_new = await proc(assignment, node_id, request)
        was_busy = (fetcher._fetch_min_bytes, fetcher._fetch_max_wait_ms) == busy
        flowing = has_new and (was_busy or clock() - asked < busy_wait_ms / 1000)
        fetcher._fetch_min_bytes, fetcher._fetch_max_wait_ms = busy if flowing else idle
        return has_new

    fetcher._proc_fetch_request = adaptive  # the fetch routine looks it up on the instance per request


class SnapshotTransport(aiokafka.Transport):
    Consumer: ClassVar[type[ConsumerT]] = SnapshotConsumer
    #: aiokafka fetch options of the worker's consumer (``install``).
    fetch_options: dict[str, int] = {}  # replaced per app by install, never mutated


#: App settings that install the overrides; the transport is set by ``install`` (no setting for it).
APP_CONFIG: dict[str, Any] = {"TableManager": GatedTableManager}


def install(app: faust.App, **fetch_options: int) -> None:
    """Give ``app`` the snapshot transport, before its consumer exists (faust creates it lazily), with
    aiokafka ``fetch_options`` (``fetch_min_bytes``, ``fetch_max_wait_ms``; ``busy_min_bytes`` and
    ``busy_wait_ms`` for ``adapt_fetches``) for its consumer."""
    assert app._consumer is None, "the consumer was created with faust's own transport"
    app.transport = SnapshotTransport(app.conf.broker_consumer, app)
    app.transport.fetch_options = dict(fetch_options)
