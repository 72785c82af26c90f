"""A kill -9 between the broker's ack and the store's commit: on restart a syndicated copy fetched
first is an alias of the unrecorded original, and the original is published again under its own id."""

import asyncio

from tradeties.crawler.dedup import Deduplicator
from tradeties.crawler.pool import Page
from tradeties.crawler.store import StateStore

ORIGINAL = Page(extracted=None, content_hash="h-original", simhash=0b1011_0000_1111)  # type: ignore[arg-type]
COPY = Page(extracted=None, content_hash="h-copy", simhash=0b1011_0000_1110)  # type: ignore[arg-type]


_CRASHED = []  # claims a crash interrupted: kept alive so their cleanup never runs, as after kill -9


def _claim(dedup: Deduplicator, aid: str, page: Page, *, crash: bool = False):
    loop = asyncio.new_event_loop()
    cm = dedup.claim(aid, page)
    dup = loop.run_until_complete(cm.__aenter__())
    if crash:
        _CRASHED.append((loop, cm))
    else:
        loop.run_until_complete(cm.__aexit__(None, None, None))
        loop.close()
    return dup


def test_a_copy_fetched_first_after_a_crash_is_an_alias_and_the_original_is_published_again(tmp_path):
    path = tmp_path / "state.sqlite3"
    before = StateStore(path)
    assert _claim(Deduplicator(before), "original", ORIGINAL, crash=True) is None  # handed to the broker
    before.close()  # killed: never recorded as published

    after = StateStore(path)
    dedup = Deduplicator(after)
    assert _claim(dedup, "copy", COPY) == ("near", "original")
    assert _claim(dedup, "original", ORIGINAL) is None  # its own pending row is no duplicate: published again


def test_a_finished_claim_leaves_no_pending_row(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    dedup = Deduplicator(store)
    assert _claim(dedup, "original", ORIGINAL) is None  # failed or recorded: either way no longer pending
    assert _claim(dedup, "copy", COPY) is None


def test_recording_an_article_drops_its_pending_row_in_the_same_transaction(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)
    assert _claim(Deduplicator(store), "original", ORIGINAL, crash=True) is None  # handed to the broker
    store.record_published(
        article_id="original",
        canonical_url="http://a.test/1",
        url="http://a.test/1",
        source="A",
        content_hash=ORIGINAL.content_hash,
        simhash=ORIGINAL.simhash,
        other_urls=[],
    )  # then killed before the claim's own cleanup ran
    store.close()

    after = StateStore(path)
    assert after.pending.match("copy", ORIGINAL.content_hash, None, after.near_bits) is None  # no pending row left
    assert _claim(Deduplicator(after), "copy", COPY) == ("near", "original")  # from the recorded article now
