"""Waiting on a real condition with a deadline, never sleeping for luck."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout_s: float, what: str, *, every_s: float = 0.2) -> T:
    """Poll ``condition`` until it returns something truthy and return that; after ``timeout_s``
    raise ``TimeoutError`` saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")
        time.sleep(every_s)
