"""Test doubles and builders for the crawler tests."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tradeties.common.errors import RetryableError
from tradeties.common.events import DeadLetter, RawArticle
from tradeties.common.settings import CrawlerSettings, RetrySettings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds.jsonl"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    """4-gram shingles of \\w+ tokens (the article-extraction benchmark's body metric)."""
    words = _TOKEN.findall(text or "")
    return Counter(tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1)))


class FakePublisher:
    """Records what would have been acknowledged; ``fail`` makes every publish a broker outage."""

    def __init__(self) -> None:
        self.articles: list[RawArticle] = []
        self.dead_letters: list[DeadLetter] = []
        self.fail = False

    async def publish(self, article: RawArticle, *, more_coming: bool = True) -> None:
        if self.fail:
            raise RetryableError("broker down", reason="kafka")
        self.articles.append(article)

    def dead_letter(self, letter: DeadLetter, on_settled: Callable[[str | None], None]) -> None:
        if self.fail:
            return on_settled("broker down")
        self.dead_letters.append(letter)
        on_settled(None)

    def close(self) -> None:
        pass


def fast_settings(tmp_path: Path, **overrides) -> CrawlerSettings:
    values = dict(
        state_path=tmp_path / "state.sqlite3",
        per_host_delay_s=0.0,
        total_timeout_s=0.5,
        read_timeout_s=1.0,
        connect_timeout_s=1.0,
        max_response_bytes=2_000_000,
        progress_interval_s=60,
        extract_workers=0,
    )
    values.update(overrides)
    return CrawlerSettings(**values)


def fast_retry() -> RetrySettings:
    return RetrySettings(attempts=3, initial_s=0.01, max_s=0.05)
