"""The stall watchdog's decision (pure: snapshots and a clock, no sleeping)."""

from __future__ import annotations

from tradeties.classifier.watchdog import Offsets, Stall, StallDetector

A, B = ("raw", 0), ("raw", 1)


def run(detector: StallDetector, samples: list[tuple[float, dict | None]]) -> list[Stall | None]:
    return [detector.observe(now, snap) for now, snap in samples]


def test_lag_without_progress_for_the_timeout_is_a_stall():
    d = StallDetector(90)
    snap = {A: Offsets(5, 9), B: Offsets(3, 3)}
    assert run(d, [(0, snap), (45, snap), (89.9, snap)]) == [None, None, None]
    stall = d.observe(90, snap)
    assert stall == Stall(lags={A: 4}, for_s=90)


def test_stays_stalled_until_progress():
    d = StallDetector(10)
    snap = {A: Offsets(5, 9)}
    results = run(d, [(0, snap), (10, snap), (15, snap)])
    assert results[0] is None and results[1] is not None and results[2].for_s == 15


def test_progress_on_any_partition_restarts_the_clock():
    d = StallDetector(10)
    results = run(d, [(0, {A: Offsets(5, 9), B: Offsets(0, 4)}), (8, {A: Offsets(5, 9), B: Offsets(1, 4)}),
                      (17, {A: Offsets(5, 9), B: Offsets(1, 4)}), (18, {A: Offsets(5, 9), B: Offsets(1, 4)})])
    assert results == [None, None, None, Stall(lags={A: 4, B: 3}, for_s=10)]


def test_a_seek_back_counts_as_progress():
    d = StallDetector(10)
    assert run(d, [(0, {A: Offsets(5, 9)}), (9, {A: Offsets(2, 9)}), (18, {A: Offsets(2, 9)})]) == [None] * 3


def test_an_idle_worker_is_never_stalled():
    d = StallDetector(10)
    idle = {A: Offsets(9, 9), B: Offsets(0, 0)}
    assert run(d, [(t, idle) for t in range(0, 1000, 5)]) == [None] * 200


def test_no_assignment_is_never_stalled():
    d = StallDetector(10)
    assert run(d, [(t, {}) for t in range(0, 100, 5)]) == [None] * 20


def test_lag_appearing_on_an_idle_worker_gets_the_whole_timeout():
    d = StallDetector(10)
    results = run(d, [(0, {A: Offsets(9, 9)}), (50, {A: Offsets(9, 9)}), (55, {A: Offsets(9, 12)}),
                      (59.9, {A: Offsets(9, 12)}), (60, {A: Offsets(9, 12)})])
    assert results[:4] == [None] * 4 and results[4] == Stall(lags={A: 3}, for_s=10)


def test_a_new_assignment_restarts_the_clock():
    d = StallDetector(10)
    stuck = {A: Offsets(5, 9)}
    results = run(d, [(0, stuck), (8, stuck), (9, {A: Offsets(5, 9), B: Offsets(0, 2)}),
                      (18, {A: Offsets(5, 9), B: Offsets(0, 2)}), (19, {A: Offsets(5, 9), B: Offsets(0, 2)})])
    assert results[:4] == [None] * 4 and results[4].for_s == 10


def test_an_unready_worker_restarts_the_clock():
    d = StallDetector(10)
    stuck = {A: Offsets(5, 9)}
    results = run(d, [(0, stuck), (8, stuck), (9, None), (12, stuck), (21, stuck), (22, stuck)])
    assert results[:5] == [None] * 5 and results[5].for_s == 10


def test_zero_timeout_disables():
    d = StallDetector(0)
    stuck = {A: Offsets(5, 9)}
    assert run(d, [(t, stuck) for t in range(0, 10_000, 100)]) == [None] * 100


def test_lag_is_never_negative():
    assert Offsets(10, 7).lag == 0 and Offsets(3, 7).lag == 4
