"""The indexer's fetches wait at the broker while records flow (kafka-python's fetcher).

A fetch answered as soon as one record is there costs the indexer and the broker a request per
produce request of the classifier (every ``kafka.linger_ms`` while it classifies), although a
batch is written only every ``indexer.flush_interval_s`` or at ``batch_size``. While records flow,
fetches wait up to ``indexer.fetch_busy_wait_ms`` for ``kafka.fetch_busy_min_bytes`` instead; at a low
rate they stay as they are. Unlike the classifier's rule (``faust_compat.adapt_fetches``, time since
the fetch was sent), flow is the time since the last records: an idle fetch re-sent just before a
record of a slow stream arrives does not start it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def flowing(has_new: bool, was_busy: bool, since_last_s: float, busy_wait_ms: int) -> bool:
    """Records flow when a fetch brought some within ``busy_wait_ms`` of the last records (or a busy
    fetch brought any); a fetch that brought none, or records after a longer gap, ends it."""
    return has_new and (was_busy or since_last_s < busy_wait_ms / 1000)


def adapt_fetches(consumer: Any, busy_min_bytes: int, busy_wait_ms: int, clock: Callable[[], float] = time.monotonic) -> None:
    """Each fetch response sets the options of the next fetch (busy or the configured idle ones).

    kafka-python builds every fetch request from ``fetcher.config`` and registers the response
    callback looked up on the instance when it sends, with the time it sent."""
    fetcher = consumer._fetcher
    config = fetcher.config
    idle = config["fetch_min_bytes"], config["fetch_max_wait_ms"]
    busy = busy_min_bytes, busy_wait_ms
    handle = fetcher._handle_fetch_response
    last_records = [float("-inf")]

    def adaptive(node_id: int, fetch_offsets: Any, send_time: float, response: Any) -> None:
        now = clock()
        has_new = any(p.records for t in response.responses for p in t.partitions)
        was_busy = (config["fetch_min_bytes"], config["fetch_max_wait_ms"]) == busy
        config["fetch_min_bytes"], config["fetch_max_wait_ms"] = (
            busy if flowing(has_new, was_busy, now - last_records[0], busy_wait_ms) else idle
        )
        if has_new:
            last_records[0] = now
        handle(node_id, fetch_offsets, send_time, response)

    fetcher._handle_fetch_response = adaptive
