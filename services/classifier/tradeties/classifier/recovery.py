"""faust's table recovery, without the window that lost a restarted worker's first events.

faust-streaming 0.15.3 ends a table recovery (``Recovery.on_recovery_completed``) by resuming the
stream partitions, seeking them to their committed offsets and only then calling
``app.flow_control.resume()``, which empties every agent's buffer (the buffers are
``clear_on_resume``). The consumer's flow is already on at that point (the changelog read turned it
on), so whatever the fetcher hands to the agents while the seek is under way is thrown away: never
processed, never acked, yet the fetch position has moved past it, so it is never fetched again.
The worker then idles with lag until it restarts (docs/classifier-service.md, "Stall after
kill -9"). Stopping the consumer's flow first closes the window: nothing enters a buffer until
faust's own ``resume_flow()``, which it calls after the seek and the clear.
"""

from __future__ import annotations

from faust.tables import TableManager
from faust.tables.recovery import Recovery


class GatedRecovery(Recovery):
    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        # Whatever getmany returns while the flow is stopped is dropped and the partitions are
        # seeked back to their committed offsets (faust's Consumer.getmany), so nothing is skipped.
        self.app.consumer.stop_flow()
        await super().on_recovery_completed(generation_id)


class GatedTableManager(TableManager):
    """faust's table manager with ``GatedRecovery`` (the ``TableManager`` setting of the app)."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = GatedRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery
