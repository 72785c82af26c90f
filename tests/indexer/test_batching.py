import pytest

from tradeties.indexer.batching import Batch


def test_batch_is_ready_by_count_bytes_or_age():
    b: Batch[int] = Batch(max_count=3, max_bytes=100, max_age_s=1.0)
    assert not b.ready(0.0) and b.time_left(0.0) == 1.0
    b.add(1, 10, now=10.0)
    b.add(2, 10, now=10.2)
    assert not b.ready(10.5)
    assert b.time_left(10.5) == 0.5
    assert b.ready(11.0)  # age
    b.add(3, 10, now=10.6)
    assert b.ready(10.6) and b.room() == 0  # count
    assert b.take() == [1, 2, 3] and len(b) == 0 and b.nbytes == 0
    b.add(4, 150, now=20.0)
    assert b.ready(20.0)  # bytes


def test_a_following_item_rides_along_without_postponing_the_pause():
    b: Batch[str] = Batch(max_count=10, max_bytes=10_000, max_age_s=1.0)
    assert b.paused_for(5.0) == 0.0  # empty
    b.add("article", 10, now=10.0)
    b.add("alert", 10, now=10.2, lead=False)  # an alert after its article
    assert b.paused_for(10.25) == 0.25  # counted from the article
    b.add("article 2", 10, now=10.3)
    assert b.paused_for(10.4) == pytest.approx(0.1)
    assert b.take() == ["article", "alert", "article 2"]
    b.add("alert alone", 10, now=20.0, lead=False)  # no article held: an alert counts from itself
    b.add("another alert", 10, now=20.1, lead=False)
    assert b.paused_for(20.3) == pytest.approx(0.2)
    b.add("article", 10, now=20.4)
    b.add("alert", 10, now=20.5, lead=False)
    assert b.paused_for(20.6) == pytest.approx(0.2)
