"""The one retry policy: full jitter under an exponential cap, Retry-After honoured instead of (not on
top of) the jittered wait, only RetryableError retried. Waits are recorded, never slept."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import tenacity

from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.retry import RetryAfterWait, backoff_delay, call_with_retry, parse_retry_after
from tradeties.common.settings import RetrySettings

POLICY = RetrySettings(attempts=4, initial_s=1.0, max_s=5.0, multiplier=2.0)


def test_backoff_is_full_jitter_under_an_exponential_cap():
    for attempt, cap in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        delays = [backoff_delay(POLICY, attempt) for _ in range(200)]
        assert all(0 <= d <= cap for d in delays) and max(delays) > cap / 2


def test_retry_after_replaces_the_jittered_wait_and_is_capped():
    assert backoff_delay(POLICY, 1, retry_after_s=3.0) == 3.0
    assert backoff_delay(POLICY, 1, retry_after_s=120.0) == POLICY.max_s


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 0 ", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("Sun, 06 Dec 2026 10:00:30 GMT", 30.0),
        ("Sun, 06 Dec 2026 09:00:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, now=datetime(2026, 12, 6, 10, 0, tzinfo=UTC)) == expected


def test_the_shared_loop_waits_what_the_server_asked_and_stops_on_a_permanent_error(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(time, "sleep", waited.append)  # tenacity.nap.sleep calls it
    calls = iter([RetryableError("429", reason="http_429", server_wait_s=2.5), RetryableError("503"), "ok"])

    def flaky() -> str:
        outcome = next(calls)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert call_with_retry("t", POLICY, flaky) == "ok"
    assert waited[0] == 2.5 and 0 <= waited[1] <= 2.0

    def broken() -> str:
        raise PermanentError("no")

    with pytest.raises(PermanentError):
        call_with_retry("t", POLICY, broken)
    assert len(waited) == 2


def test_the_wait_reads_retry_after_from_the_last_error():
    state = tenacity.RetryCallState(None, None, (), {})
    state.attempt_number = 1
    state.set_exception((RetryableError, RetryableError("x", server_wait_s=4.0), None))
    assert RetryAfterWait(POLICY)(state) == 4.0
