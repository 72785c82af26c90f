"""The resemblance index of the state store: each published article's sketch (``resemblance``)
cut into LSH bands, so the articles whose bodies resemble a page's are found by a few indexed
look-ups, then verified on their paragraph values (``resemblance.copy_of``). Only current-``resemblance.VERSION`` sketches are
indexed; the index is rebuilt when the version changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from . import resemblance as rs


class SketchIndex:
    def __init__(self, db: sqlite3.Connection, transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self._db = db
        self._tx = transaction
        columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
        if "sketch" not in columns:
            with transaction():  # a store from before sketches
                db.execute("ALTER TABLE articles ADD COLUMN sketch BLOB")
                db.execute("ALTER TABLE articles ADD COLUMN sketch_version INTEGER")
        db.execute(
            "CREATE TABLE IF NOT EXISTS sketch_bands (band INTEGER NOT NULL, value INTEGER NOT NULL, "
            "article_id TEXT NOT NULL, PRIMARY KEY (band, value, article_id)) WITHOUT ROWID"
        )
        if db.execute("SELECT value FROM meta WHERE key = 'sketch_version'").fetchone() != (str(rs.VERSION),):
            with transaction():
                db.execute("DELETE FROM sketch_bands")
                for aid, value in db.execute(
                    "SELECT id, sketch FROM articles WHERE sketch_version = ?", (rs.VERSION,)
                ).fetchall():
                    self.insert(aid, value)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('sketch_version', ?)", (str(rs.VERSION),))

    def insert(self, article_id: str, sketch: bytes) -> None:
        """Inside the caller's transaction (the sketch itself is a column of ``articles``)."""
        self._db.executemany(
            "INSERT OR IGNORE INTO sketch_bands VALUES (?, ?, ?)", [(i, v, article_id) for i, v in enumerate(rs.bands(sketch))]
        )

    def most_resembling(self, sketch: bytes) -> str | None:
        """Id of the published article ``sketch``'s body is a copy of (``resemblance.copy_of``: the
        band look-up here, then ``best_copy``)."""
        keys = list(enumerate(rs.bands(sketch)))
        candidates = dict(
            self._db.execute(  # one statement for all bands: a look-up per band costs ~4x the CPU
                f"WITH q(band, value) AS (VALUES {','.join(['(?, ?)'] * len(keys))}) "
                "SELECT DISTINCT a.id, a.sketch FROM q JOIN sketch_bands b ON b.band = q.band AND b.value = q.value "
                "JOIN articles a ON a.id = b.article_id WHERE a.sketch_version = ?",
                [*(x for key in keys for x in key), rs.VERSION],
            ).fetchall()
        )
        return rs.best_copy(sketch, candidates)  # candidates by a shared band already
