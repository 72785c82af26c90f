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
