"""Durable crawl state in one SQLite file (WAL mode).

Why SQLite and not a compacted Kafka topic: the crawler needs point look-ups on every
discovered URL (seen? validators?) and an indexed near-duplicate search, transactionally with
the bookkeeping of one article — a local embedded database answers those in microseconds
without loading all state into memory, survives restarts and crashes (WAL; every outcome is
committed before the crawl acts on it, the outcomes of pages a few ms apart in one transaction:
``groupcommit``), and needs no extra broker round trips. The trade-off is one writer: run one crawler
per state file (the published articles themselves are on Kafka for everyone else).

Tables:
- ``urls``: every article URL with an outcome — ``published`` / ``alias`` (with the article it
  duplicates and why) / ``rejected`` (no article; retried after a while).
- ``articles``: published articles with canonical URL, content hash and SimHash (with the
  ``fingerprint.VERSION`` that computed it); ``bands`` indexes the SimHash blocks of current-version
  fingerprints for the near-duplicate search (``bands.BandIndex``); each article's resemblance
  sketch, whose LSH bands ``sketch_bands`` indexes (``sketches.SketchIndex``), finds edited copies.
- ``frontier``: discovered article URLs without an outcome yet (work survives a crash or a
  broker outage: it is picked up again next pass); ``worklist.Worklist`` reads and adds them.
- ``validators``: ETag / Last-Modified / body hash of feeds, sitemaps and pages.
- ``schedule``: when each source is next due (``worklist.Worklist``).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import structlog

from . import fingerprint as fp
from . import resemblance as rs
from .bands import BandIndex
from .fetcher import Validators
from .groupcommit import GroupCommit, transaction
from .pending import PendingFingerprints
from .sketches import SketchIndex
from .worklist import Worklist

log = structlog.get_logger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, state TEXT NOT NULL, article_id TEXT, kind TEXT, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS urls_article ON urls(article_id);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, url TEXT NOT NULL, source TEXT NOT NULL,
    content_hash TEXT NOT NULL, simhash INTEGER, published_at REAL NOT NULL, simhash_version INTEGER);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL, value INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (band, value, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, via TEXT NOT NULL, title TEXT, published REAL, added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, body_hash TEXT, full_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS schedule (source TEXT PRIMARY KEY, next_due REAL NOT NULL);
"""


@dataclass(frozen=True)
class StoredValidators:
    validators: Validators
    body_hash: str | None
    full_at: float


class StateStore:
    def __init__(self, path: Path | str, *, near_bits: int = 3) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._tx = partial(transaction, self._db)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self.near_bits = near_bits
        self._bands = BandIndex(self._db, near_bits, self._tx)
        self.pending = PendingFingerprints(self._db, self._tx)
        self._sketches = SketchIndex(self._db, self._tx)
        self.worklist = Worklist(self._db, self._tx)
        self.writes = GroupCommit(self._db)
        self._bands.ensure_layout()
        if stale := self.stale_fingerprints():
            # The page texts are not stored, so these cannot be recomputed: exact-hash and URL
            # de-duplication still cover those articles, near-duplicate detection does not.
            log.warning("stale fingerprints ignored for near-duplicate search", count=stale, fingerprint_version=fp.VERSION)

    def _migrate(self) -> None:
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        if "simhash_version" not in columns:
            with self._tx():  # a store from before fingerprint versions: its SimHashes are version 1
                self._db.execute("ALTER TABLE articles ADD COLUMN simhash_version INTEGER")
                self._db.execute("UPDATE articles SET simhash_version = 1 WHERE simhash IS NOT NULL")

    def close(self) -> None:
        self._db.close()

    # -- near-duplicate index (``bands``) -------------------------------------------------------
    def stale_fingerprints(self) -> int:
        """Published articles whose SimHash another fingerprint version computed (not compared)."""
        return int(self._db.execute("SELECT count(*) FROM articles WHERE simhash_version != ?", (fp.VERSION,)).fetchone()[0])

    def near_duplicate(self, simhash: int) -> str | None:
        """Id of a published article whose SimHash is within ``near_bits`` of ``simhash``."""
        return self._bands.nearest(simhash)

    def resembling(self, sketch: bytes) -> str | None:
        """Id of a published article whose body resembles ``sketch``'s (an edited copy)."""
        return self._sketches.most_resembling(sketch)

    # -- articles and URLs -----------------------------------------------------------------------
    def url_state(self, url: str) -> tuple[str, str | None, float] | None:
        row = self._db.execute("SELECT state, article_id, at FROM urls WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def is_done(self, url: str, *, recheck_rejected_after_s: float, now: float | None = None) -> bool:
        """True when ``url`` needs no fetch: published, an alias, or rejected recently."""
        state = self.url_state(url)
        if state is None:
            return False
        if state[0] != "rejected":
            return True
        return (now or time.time()) - state[2] < recheck_rejected_after_s

    def has_article(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def article_with_hash(self, content_hash: str) -> str | None:
        row = self._db.execute("SELECT id FROM articles WHERE content_hash = ? LIMIT 1", (content_hash,)).fetchone()
        return row[0] if row else None

    def record_published(
        self,
        *,
        article_id: str,
        canonical_url: str,
        url: str,
        source: str,
        content_hash: str,
        simhash: int | None,
        other_urls: list[str],
        sketch: bytes | None = None,
    ) -> None:
        now = time.time()
        with self._tx():
            self._db.execute(
                "INSERT OR IGNORE INTO articles (id, canonical_url, url, source, content_hash, simhash, published_at, "
                "simhash_version, sketch, sketch_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    canonical_url,
                    url,
                    source,
                    content_hash,
                    fp.to_signed(simhash) if simhash is not None else None,
                    now,
                    fp.VERSION if simhash is not None else None,
                    sketch,
                    rs.VERSION if sketch is not None else None,
                ),
            )
            if simhash is not None:
                self._bands.insert(article_id, simhash)
            if sketch is not None:
                self._sketches.insert(article_id, sketch)
            for u in dict.fromkeys([canonical_url, url, *other_urls]):
                self._db.execute("INSERT OR REPLACE INTO urls VALUES (?, 'published', ?, NULL, ?)", (u, article_id, now))
                self._db.execute("DELETE FROM frontier WHERE url = ?", (u,))
            self.pending.forget(article_id)  # recorded: its write-ahead row goes in the same transaction

    def record_alias(self, urls: list[str], article_id: str, kind: str) -> None:
        now = time.time()
        with self._tx():
            for u in dict.fromkeys(urls):
                self._db.execute("INSERT OR IGNORE INTO urls VALUES (?, 'alias', ?, ?, ?)", (u, article_id, kind, now))
                self._db.execute("DELETE FROM frontier WHERE url = ?", (u,))

    def aliases_of(self, article_id: str) -> list[tuple[str, str]]:
        return self._db.execute(
            "SELECT url, kind FROM urls WHERE state = 'alias' AND article_id = ? ORDER BY url", (article_id,)
        ).fetchall()

    def record_rejected(self, url: str, reason: str) -> None:
        with self._tx():
            self._db.execute("INSERT OR REPLACE INTO urls VALUES (?, 'rejected', NULL, ?, ?)", (url, reason, time.time()))
            self._db.execute("DELETE FROM frontier WHERE url = ?", (url,))

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, count(*) FROM urls GROUP BY state").fetchall()
        out = {state: n for state, n in rows}
        out["articles"] = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        out["frontier"] = self._db.execute("SELECT count(*) FROM frontier").fetchone()[0]
        return out

    # -- validators ------------------------------------------------------------------------------
    def validators(self, url: str) -> StoredValidators | None:
        row = self._db.execute("SELECT etag, last_modified, body_hash, full_at FROM validators WHERE url = ?", (url,)).fetchone()
        return StoredValidators(Validators(row[0], row[1]), row[2], row[3]) if row else None

    def save_validators(self, url: str, validators: Validators, body_hash: str) -> None:
        with self._tx():
            self._db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?)",
                (url, validators.etag, validators.last_modified, body_hash, time.time()),
            )
