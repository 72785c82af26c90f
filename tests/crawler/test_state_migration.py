"""A state store written before fingerprint versions: its SimHashes (whole text, word tokens) are
not comparable with today's, so they leave the near-duplicate search; everything else still works."""

from __future__ import annotations

import sqlite3

from structlog.testing import capture_logs

from tradeties.crawler import fingerprint as fp
from tradeties.crawler import resemblance
from tradeties.crawler.store import StateStore

#: The articles/bands/meta tables as the crawler wrote them before ``simhash_version`` existed.
_OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, url TEXT NOT NULL, source TEXT NOT NULL,
    content_hash TEXT NOT NULL, simhash INTEGER, published_at REAL NOT NULL);
CREATE TABLE bands (
    band INTEGER NOT NULL, value INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (band, value, article_id)) WITHOUT ROWID;
"""
OLD_HASH = 0x0123_4567_89AB_CDEF
NEW_HASH = 0xF0F0_1234_5678_9ABC


def _old_store(path) -> None:
    db = sqlite3.connect(path)
    db.executescript(_OLD_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('near_bits', '3')")
    db.execute(
        "INSERT INTO articles VALUES ('old', 'https://a.test/1', 'https://a.test/1', 's', 'h-old', ?, 1.0)",
        (fp.to_signed(OLD_HASH),),
    )
    db.execute("INSERT INTO articles VALUES ('short', 'https://a.test/2', 'https://a.test/2', 's', 'h-short', NULL, 1.0)")
    db.executemany("INSERT INTO bands VALUES (?, ?, 'old')", list(enumerate(fp.bands(OLD_HASH, 3))))
    db.commit()
    db.close()


def test_old_fingerprints_are_ignored_with_a_warning_and_a_count(tmp_path):
    path = tmp_path / "state.sqlite3"
    _old_store(path)
    with capture_logs() as logs:
        store = StateStore(path, near_bits=3)
    try:
        (warning,) = [e for e in logs if e["log_level"] == "warning"]
        assert warning["count"] == 1 and warning["fingerprint_version"] == fp.VERSION
        assert store.stale_fingerprints() == 1
        # An identical old fingerprint no longer matches: it was computed over other text.
        assert store.near_duplicate(OLD_HASH) is None
        # Exact-text and id de-duplication of the old articles are unaffected.
        assert store.article_with_hash("h-old") == "old" and store.has_article("short")
        store.record_published(
            article_id="new",
            canonical_url="https://a.test/3",
            url="https://a.test/3",
            source="s",
            content_hash="h-new",
            simhash=NEW_HASH,
            other_urls=[],
        )
        assert store.near_duplicate(NEW_HASH ^ 0b101) == "new"
    finally:
        store.close()


def test_migration_is_recorded_once(tmp_path):
    path = tmp_path / "state.sqlite3"
    _old_store(path)
    StateStore(path).close()
    db = sqlite3.connect(path)
    assert dict(db.execute("SELECT id, simhash_version FROM articles").fetchall()) == {"old": 1, "short": None}
    assert dict(db.execute("SELECT key, value FROM meta").fetchall()) == {
        "near_bits": "3",
        "fingerprint_version": str(fp.VERSION),
        "sketch_version": str(resemblance.VERSION),
    }
    assert {"sketch", "sketch_version"} <= {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    assert db.execute("SELECT count(*) FROM bands WHERE article_id = 'old'").fetchone()[0] == 0
    db.close()
    with capture_logs() as logs:
        store = StateStore(path)  # reopened: same warning (the articles are still there), no second migration
    assert store.stale_fingerprints() == 1 and [e["count"] for e in logs if e["log_level"] == "warning"] == [1]
    store.close()


def test_a_new_store_has_no_stale_fingerprints(tmp_path):
    with capture_logs() as logs:
        store = StateStore(tmp_path / "state.sqlite3")
    store.record_published(
        article_id="a",
        canonical_url="https://a.test/1",
        url="https://a.test/1",
        source="s",
        content_hash="h",
        simhash=NEW_HASH,
        other_urls=[],
    )
    assert store.stale_fingerprints() == 0 and not [e for e in logs if e["log_level"] == "warning"]
    assert store.near_duplicate(NEW_HASH) == "a"
    store.close()
