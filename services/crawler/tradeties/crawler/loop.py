"""The crawler's event loop: uvloop when it is installed, asyncio's own otherwise.

The crawler's main process is bound by its event loop (HTTP client, asyncio, SQLite: ~5 ms of
CPU per page) while the workers extract; uvloop's loop, written on libuv, takes ~0.4 ms of that
(docs/crawler.md). Nothing in the crawler depends on which loop runs: without uvloop (an
unsupported platform) the crawl is the same, only slower.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

try:
    from uvloop import run as _uvloop_run
except ImportError:  # pragma: no cover - uvloop is a pinned dependency on Linux and macOS
    _uvloop_run = None  # type: ignore[assignment]


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on uvloop's loop when available."""
    if _uvloop_run is None:
        return asyncio.run(main)
    return _uvloop_run(main)
