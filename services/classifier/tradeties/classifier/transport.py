"""faust's aiokafka transport, with a consumer that never asks aiokafka for "every partition".

faust-streaming 0.15.3 hands aiokafka's ``Fetcher.fetched_records`` its *live* set of active
partitions (the same set object that ``pause_partitions`` / ``resume_partitions`` change on the
event loop while the consumer thread waits up to a second for records), and aiokafka reads an
empty set as "no filter". At the end of a table recovery every partition is paused at once (the
changelogs are done, the stream partitions not resumed yet), the set becomes empty under a fetch
that is still waiting, and that fetch then drains the stream partitions too: their fetch
positions move on, and faust's ``Consumer.getmany`` silently drops the records because their
partitions are not active. Nothing seeks them back, so the worker idles with lag
(docs/classifier-service.md, "Stall after kill -9"). A copy taken when the fetch is requested keeps
what is fetched to what is active at that moment.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka
from faust.types import TP
from faust.types.transports import ConsumerT


class SnapshotConsumer(aiokafka.Consumer):
    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        if active_partitions is None:  # a client-only app: every assigned partition is meant
            return await super()._getmany(None, timeout)
        snapshot = set(active_partitions)
        if not snapshot:  # emptied since faust checked it: fetch nothing rather than everything
            return {}
        return await super()._getmany(snapshot, timeout)


class SnapshotTransport(aiokafka.Transport):
    Consumer: type[ConsumerT] = SnapshotConsumer


def install(app: faust.App) -> None:
    """Give ``app`` the snapshot transport, before its consumer exists (faust creates it lazily)."""
    assert app._consumer is None, "the consumer was created with faust's own transport"
    app.transport = SnapshotTransport(app.conf.broker_consumer, app)
