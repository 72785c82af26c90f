"""Is this page an article already published (or being published)? By id, exact text hash, SimHash,
or the evidence that its body is an edited copy of another (``resemblance``); a copy is an alias ``near``.

Runs under one lock together with the in-flight set, so two copies of an article fetched at the
same moment are still published once: the second sees the first in flight and becomes its alias.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from . import resemblance as rs
from .pool import Page
from .store import StateStore


class Deduplicator:
    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._lock = asyncio.Lock()
        self._inflight: dict[str, Page] = {}

    @asynccontextmanager
    async def claim(self, aid: str, page: Page) -> AsyncIterator[tuple[str, str] | None]:
        """Yield ``(kind, original id)`` for a duplicate, else None with ``aid`` held in flight
        until the block ends (published or failed)."""
        async with self._lock:
            dup = self._duplicate_of(aid, page)
            if dup is None:
                self._inflight[aid] = page  # from here a copy is its alias; the pending row is for a crash
        try:
            if dup is None:  # durable before the caller sends (a group commit: outside the lock)
                await self._store.writes.write(lambda: self._store.pending.add(aid, page.content_hash, page.simhash))
            yield dup
        finally:
            if dup is None:
                self._inflight.pop(aid, None)
                if not self._store.has_article(aid):  # failed (retried next pass); a recorded one took its row with it
                    self._store.pending.remove(aid)

    def _duplicate_of(self, aid: str, page: Page) -> tuple[str, str] | None:
        store = self._store
        if store.has_article(aid) or aid in self._inflight:
            return ("canonical", aid)
        original = store.article_with_hash(page.content_hash)
        if original:
            return ("exact", original)
        for other, held in self._inflight.items():
            if held.content_hash == page.content_hash:
                return ("exact", other)
            if (
                page.simhash is not None
                and held.simhash is not None
                and (page.simhash ^ held.simhash).bit_count() <= store.near_bits
            ):
                return ("near", other)
        if page.sketch is not None and (copy := self._copy_in_flight(page.sketch)):
            return ("near", copy)
        if pending := store.pending.match(aid, page.content_hash, page.simhash, store.near_bits):
            return pending  # handed to the broker before a crash, never recorded
        if page.simhash is not None and (original := store.near_duplicate(page.simhash)):
            return ("near", original)
        if page.sketch is not None and (original := store.resembling(page.sketch)):
            return ("near", original)
        return None

    def _copy_in_flight(self, sketch: bytes) -> str | None:
        """The page in flight ``sketch``'s body is an edited copy of, by the store's test
        (``resemblance.copy_of``: all in flight scored in one numpy pass; with the producer
        lingering, a dozen or more pages are in flight at a steady rate)."""
        return rs.copy_of(sketch, {other: h.sketch for other, h in self._inflight.items() if h.sketch is not None})
