"""faust's table recovery, without the window that lost a restarted worker's first events.

faust-streaming 0.15.3 ends a table recovery (``Recovery.on_recovery_completed``) by resuming the
stream partitions, seeking them to their committed offsets and only then calling
``app.flow_control.resume()``, which empties every agent's buffer (they are ``clear_on_resume``
queues). The consumer's flow is already on at that point (the changelog read turned it on), so
whatever the fetcher hands to the agents during the seek is thrown away: never processed, never
acked, yet the fetch position has moved past it, so it is never fetched again. The worker then
idles with lag until it restarts (docs/classifier-service.md, "Stall after kill -9").

``GatedRecovery`` does the same steps in a safe order: seek while the stream partitions are still
paused, clear the buffers, and only then resume the stream partitions. Nothing of theirs is
fetched before the clear, and nothing fetched after it is discarded. That "paused" really keeps
them from being fetched is transport.SnapshotConsumer's part. (Stopping the consumer's flow around
faust's method is not enough: faust drops what a fetch returns while the flow is stopped and seeks
back to the committed offsets, which leaves a partition without any commit past the dropped events.)
"""

from __future__ import annotations

import asyncio

from faust.tables import TableManager
from faust.tables.recovery import Recovery
from faust.transport.drivers.aiokafka import ensure_aiokafka_TP
from faust.types import TP


class GatedRecovery(Recovery):
    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        """faust's ``Recovery.on_recovery_completed`` with the stream partitions resumed last."""
        app, consumer = self.app, self.app.consumer
        self.log.info("Restore complete!")
        await app.on_rebalance_complete.send()
        self._set_recovery_ended()
        callbacks = [asyncio.ensure_future(table.on_recovery_completed(self.actives_for_table[table],
                                                                       self.standbys_for_table[table]))
                     for table in self.tables.values()]
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
        await app._fetcher.maybe_start()
        self.tables.on_actives_ready()
        if not app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        app.on_rebalance_end()
        self.log.info("Worker ready")


    async def _rewind_uncommitted(self, assignment: set[TP]) -> None:
        """Seek the stream partitions that have no commit (or a commit of 0) to their beginning.

        aiokafka's ``seek_to_committed`` leaves such a partition where its fetcher stands. If this
        worker held it before the rebalance, events fetched then were cleared from the agents'
        buffers on revocation without being processed; the fetch position is past them, and faust
        then reads the jump as a compaction gap and commits over it. What a new consumer with
        ``auto_offset_reset=earliest`` would read is what this one must read again (at-least-once;
        the outputs are keyed and idempotent)."""
        consumer = self.app.consumer
        stream = [tp for tp in assignment if not self._is_changelog_tp(tp)]
        committed = consumer._committed_offset
        rewind = [tp for tp in stream if not committed.get(tp)]
        if not rewind:
            return
        self.log.info(f"Rewind {len(rewind)} partitions without a commit to their beginning.")
        await consumer._thread.seek_to_beginning(*(ensure_aiokafka_TP(tp) for tp in rewind))
        for tp in rewind:
            consumer._read_offset[tp] = None
            consumer._gap.pop(tp, None)
            consumer._acked.pop(tp, None)
            consumer._acked_index.pop(tp, None)


class GatedTableManager(TableManager):
    """faust's table manager with ``GatedRecovery`` (the ``TableManager`` setting of the app)."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = GatedRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery
