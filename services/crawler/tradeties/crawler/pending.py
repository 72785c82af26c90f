"""Articles handed to the broker and not yet recorded as published: a write-ahead record of their
fingerprints. A kill -9 between the broker's ack and the store's commit leaves the original
unrecorded; on restart a syndicated copy fetched first must still be recognised as its copy (else
both are published under two ids), while the original itself is published again under its own id
(idempotent downstream), so nothing is lost either way."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from . import fingerprint as fp

#: A pending row older than this names an original that was never fetched again: no longer evidence.
MAX_AGE_S = 24 * 3600


class PendingFingerprints:
    def __init__(self, db: sqlite3.Connection, tx: Callable[[], AbstractContextManager[None]]) -> None:
        self._db, self._tx = db, tx
        db.execute(
            "CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, "
            "simhash INTEGER, at REAL NOT NULL)"
        )

    def add(self, article_id: str, content_hash: str, simhash: int | None) -> None:
        with self._tx():
            self._db.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?)",
                (article_id, content_hash, fp.to_signed(simhash) if simhash is not None else None, time.time()),
            )

    def remove(self, article_id: str) -> None:
        with self._tx():
            self.forget(article_id)

    def forget(self, article_id: str) -> None:
        """The row's delete, inside the caller's transaction (``StateStore.record_published``)."""
        self._db.execute("DELETE FROM pending WHERE id = ?", (article_id,))

    def match(self, article_id: str, content_hash: str, simhash: int | None, near_bits: int) -> tuple[str, str] | None:
        """``(kind, id)`` of another pending article this page copies (its own id never matches)."""
        rows = self._db.execute(
            "SELECT id, content_hash, simhash FROM pending WHERE id != ? AND at >= ?", (article_id, time.time() - MAX_AGE_S)
        )
        for other, h, sh in rows:
            if h == content_hash:
                return ("exact", other)
            if simhash is not None and sh is not None and (simhash ^ fp.to_unsigned(sh)).bit_count() <= near_bits:
                return ("near", other)
        return None
