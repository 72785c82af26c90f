"""Bounded retries with exponential backoff and full jitter, counted per reason: the one retry policy.

Only ``RetryableError`` is retried; anything else propagates at once. A ``RetryableError`` with
``server_wait_s`` (HTTP Retry-After) waits at least that long (capped at ``max_s``) instead of the
jittered delay, never both. On give-up the last error is logged once and re-raised. Built on tenacity
so sync and async code share one policy; a loop of its own (the indexer's bulk writer, which pauses
consumption while it waits) takes its delays from ``backoff_delay``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import structlog
import tenacity
from prometheus_client import Counter

from .errors import RetryableError
from .settings import RetrySettings

T = TypeVar("T")
log = structlog.get_logger(__name__)

RETRIES = Counter("tradeties_retries_total", "Retries by operation and reason.", ["operation", "reason"])
SERVER_WAITS = Counter(
    "tradeties_retry_server_waits_total",
    "Retries that waited the other side's Retry-After, by operation and whether it asked for more than retry.max_s (capped).",
    ["operation", "capped"],
)
GIVE_UPS = Counter("tradeties_retry_give_ups_total", "Operations that ran out of retries.", ["operation", "reason"])


def _reason(exc: BaseException | None) -> str:
    return getattr(exc, "reason", type(exc).__name__ if exc else "unknown")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds an HTTP ``Retry-After`` asks for (delta-seconds or an HTTP-date); None if absent or unreadable."""
    if not value or not (value := value.strip()):
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(policy: RetrySettings, attempt: int, retry_after_s: float | None = None) -> float:
    """Seconds to wait after failed try number ``attempt`` (1-based): full jitter under an exponential
    cap, or the server's Retry-After when it gave one (capped at ``max_s``)."""
    if retry_after_s is not None:
        return min(max(retry_after_s, 0.0), policy.max_s)
    cap = min(policy.max_s, policy.initial_s * policy.multiplier ** (attempt - 1))
    return random.uniform(0, cap)


class RetryAfterWait(tenacity.wait.wait_base):
    """tenacity's wait with ``backoff_delay``: Retry-After when the last error carries it."""

    def __init__(self, policy: RetrySettings) -> None:
        self.policy = policy

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        return backoff_delay(self.policy, retry_state.attempt_number, getattr(exc, "server_wait_s", None))


def _kwargs(operation: str, policy: RetrySettings) -> dict[str, Any]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        RETRIES.labels(operation, _reason(exc)).inc()
        if (asked := getattr(exc, "server_wait_s", None)) is not None:
            SERVER_WAITS.labels(operation, str(asked > policy.max_s).lower()).inc()
        log.debug("retrying", operation=operation, attempt=state.attempt_number, reason=_reason(exc), error=str(exc))

    return dict(
        retry=tenacity.retry_if_exception_type(RetryableError),
        stop=tenacity.stop_after_attempt(policy.attempts),
        wait=RetryAfterWait(policy),
        before_sleep=before_sleep,
        reraise=True,
    )


def _give_up(operation: str, exc: BaseException) -> None:
    GIVE_UPS.labels(operation, _reason(exc)).inc()
    log.error("gave up", operation=operation, reason=_reason(exc), error=str(exc))


def call_with_retry(operation: str, policy: RetrySettings, fn: Callable[[], T]) -> T:
    try:
        return tenacity.Retrying(**_kwargs(operation, policy))(fn)
    except RetryableError as exc:
        _give_up(operation, exc)
        raise


async def acall_with_retry(operation: str, policy: RetrySettings, fn: Callable[[], Awaitable[T]]) -> T:
    try:
        return await tenacity.AsyncRetrying(**_kwargs(operation, policy))(fn)
    except RetryableError as exc:
        _give_up(operation, exc)
        raise


logging.getLogger("tenacity").setLevel(logging.WARNING)
