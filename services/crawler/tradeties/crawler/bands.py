"""The near-duplicate index of the state store: each published article's SimHash cut into bands
(``fingerprint.bands``), so the articles within ``near_bits`` of a SimHash are found by a few
indexed look-ups instead of a scan. Only current-``fingerprint.VERSION`` SimHashes are indexed
(another version's bits are not comparable); the index is rebuilt when ``near_bits`` or the
version changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from . import fingerprint as fp


class BandIndex:
    def __init__(self, db: sqlite3.Connection, near_bits: int, transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self._db = db
        self.near_bits = near_bits
        self._tx = transaction

    def ensure_layout(self) -> None:
        layout = {"near_bits": str(self.near_bits), "fingerprint_version": str(fp.VERSION)}
        if (
            dict(self._db.execute("SELECT key, value FROM meta WHERE key IN ('near_bits', 'fingerprint_version')").fetchall())
            == layout
        ):
            return
        with self._tx():  # threshold or fingerprint changed (or new file): rebuild the band index
            self._db.execute("DELETE FROM bands")
            for aid, sh in self._db.execute(
                "SELECT id, simhash FROM articles WHERE simhash_version = ?", (fp.VERSION,)
            ).fetchall():
                self.insert(aid, fp.to_unsigned(sh))
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", layout.items())

    def insert(self, article_id: str, simhash: int) -> None:
        """Inside the caller's transaction."""
        self._db.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?, ?)",
            [(i, v, article_id) for i, v in enumerate(fp.bands(simhash, self.near_bits))],
        )

    def nearest(self, simhash: int) -> str | None:
        """Id of the published article whose SimHash is closest to ``simhash``, if within ``near_bits``."""
        best: tuple[int, str] | None = None
        for i, v in enumerate(fp.bands(simhash, self.near_bits)):
            rows = self._db.execute(
                "SELECT a.id, a.simhash FROM bands b JOIN articles a ON a.id = b.article_id WHERE b.band = ? AND b.value = ?",
                (i, v),
            ).fetchall()
            for aid, sh in rows:
                d = fp.distance(simhash, fp.to_unsigned(sh))
                if d <= self.near_bits and (best is None or d < best[0]):
                    best = (d, aid)
        return best[1] if best else None
