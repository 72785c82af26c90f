"""Bounded retries with exponential backoff and full jitter, counted per reason.

Only ``RetryableError`` is retried; anything else propagates at once. On give-up the last error
is logged once and re-raised. Built on tenacity so sync and async code share one policy.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, TypeVar

import structlog
import tenacity
from prometheus_client import Counter

from .errors import RetryableError
from .settings import RetrySettings

T = TypeVar("T")
log = structlog.get_logger(__name__)

RETRIES = Counter("tradeties_retries_total", "Retries by operation and reason.", ["operation", "reason"])
GIVE_UPS = Counter("tradeties_retry_give_ups_total", "Operations that ran out of retries.", ["operation", "reason"])


def _reason(exc: BaseException | None) -> str:
    return getattr(exc, "reason", type(exc).__name__ if exc else "unknown")


def _kwargs(operation: str, policy: RetrySettings) -> dict[str, Any]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        RETRIES.labels(operation, _reason(exc)).inc()
        log.debug("retrying", operation=operation, attempt=state.attempt_number, reason=_reason(exc), error=str(exc))

    return dict(
        retry=tenacity.retry_if_exception_type(RetryableError),
        stop=tenacity.stop_after_attempt(policy.attempts),
        wait=tenacity.wait_random_exponential(multiplier=policy.initial_s, exp_base=policy.multiplier, max=policy.max_s),
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
