"""The crawler's work still to do, in the state store's database: the ``frontier`` (discovered
article URLs without an outcome yet, picked up again next pass after a crash or a broker outage)
and the ``schedule`` (when each source is next due). ``StateStore`` composes it as ``worklist``;
recording a URL's outcome removes it from the frontier there."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class FrontierItem:
    url: str
    source: str
    via: str
    title: str | None
    published: datetime | None


def _ts(dt: datetime | None) -> float | None:
    return dt.timestamp() if dt else None


def _dt(ts: float | None) -> datetime | None:
    return datetime.fromtimestamp(ts, tz=UTC) if ts is not None else None


class Worklist:
    def __init__(self, db: sqlite3.Connection, tx: Callable[[], AbstractContextManager[None]]) -> None:
        self._db, self._tx = db, tx

    # -- frontier ---------------------------------------------------------------------------------
    def add_frontier(self, items: list[FrontierItem]) -> None:
        now = time.time()
        with self._tx():
            self._db.executemany(
                "INSERT OR IGNORE INTO frontier VALUES (?, ?, ?, ?, ?, ?)",
                [(i.url, i.source, i.via, i.title, _ts(i.published), now) for i in items],
            )

    def frontier(self, sources: set[str]) -> list[FrontierItem]:
        rows = self._db.execute("SELECT url, source, via, title, published FROM frontier ORDER BY added").fetchall()
        return [FrontierItem(u, s, v, t, _dt(p)) for u, s, v, t, p in rows if s in sources]

    # -- schedule --------------------------------------------------------------------------------
    def next_due(self, source: str) -> float:
        row = self._db.execute("SELECT next_due FROM schedule WHERE source = ?", (source,)).fetchone()
        return row[0] if row else 0.0

    def set_next_due(self, source: str, at: float) -> None:
        with self._tx():
            self._db.execute("INSERT OR REPLACE INTO schedule VALUES (?, ?)", (source, at))
