"""Writes of several pages in one transaction (``groupcommit``): each caller resumes after its
write is committed, a failing write is undone alone, a cancelled one is dropped unless it must stand."""

import asyncio
import sqlite3

import pytest

from tradeties.crawler.store import StateStore


def _published(store: StateStore, aid: str) -> None:
    store.record_published(
        article_id=aid,
        canonical_url=f"http://a.test/{aid}",
        url=f"http://a.test/{aid}",
        source="A",
        content_hash=f"h-{aid}",
        simhash=None,
        other_urls=[],
    )


def _committed(path) -> set[str]:
    """What another connection sees: only committed rows."""
    with sqlite3.connect(path) as other:
        return {row[0] for row in other.execute("SELECT id FROM articles")}


def test_writes_queued_together_share_one_transaction_and_are_committed_when_awaited(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)

    async def main() -> None:
        await asyncio.gather(*(store.writes.write(lambda a=a: _published(store, a)) for a in "abc"))
        assert _committed(path) == {"a", "b", "c"}

    asyncio.run(main())
    assert store.writes.transactions == 1


def test_a_failing_write_is_undone_alone_and_raises_to_its_caller(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)

    def half_then_fail() -> None:
        _published(store, "broken")
        raise ValueError("hostile metadata")

    def in_savepoint() -> None:
        with store._tx():  # as every store write: a savepoint of the group transaction
            half_then_fail()

    async def main() -> list:
        return await asyncio.gather(
            store.writes.write(lambda: _published(store, "a")),
            store.writes.write(in_savepoint),
            store.writes.write(lambda: _published(store, "b")),
            return_exceptions=True,
        )

    results = asyncio.run(main())
    assert isinstance(results[1], ValueError) and results[0] is None and results[2] is None
    assert _committed(path) == {"a", "b"}


def test_a_cancelled_write_is_dropped_unless_it_must_stand(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)

    async def main() -> None:
        dropped = asyncio.ensure_future(store.writes.write(lambda: _published(store, "dropped")))
        kept = asyncio.ensure_future(store.writes.write(lambda: _published(store, "kept"), even_if_cancelled=True))
        await asyncio.sleep(0)
        dropped.cancel()
        kept.cancel()
        with pytest.raises(asyncio.CancelledError):
            await kept
        store.writes.flush()  # as Crawler.aclose does

    asyncio.run(main())
    assert _committed(path) == {"kept"}


def test_a_write_in_no_hurry_rides_in_the_next_prompt_transaction(tmp_path):
    """The record of an acked article (``wait_s`` long) is committed with the next pending row's
    transaction, not in one of its own; alone, it is committed once its own wait is over."""
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)

    async def main() -> None:
        lazy = asyncio.ensure_future(store.writes.write(lambda: _published(store, "record"), wait_s=3600))
        await asyncio.sleep(0)
        assert _committed(path) == set()
        await store.writes.write(lambda: _published(store, "pending"))  # the default, prompt wait
        assert lazy.done() and _committed(path) == {"record", "pending"}
        assert store.writes.transactions == 1
        await store.writes.write(lambda: _published(store, "alone"), wait_s=0.01)
        assert _committed(path) == {"record", "pending", "alone"}

    asyncio.run(main())
    assert store.writes.transactions == 2
