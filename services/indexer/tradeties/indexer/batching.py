"""A bulk batch bounded by count, bytes and age (pure; the clock is passed in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Batch(Generic[T]):
    max_count: int
    max_bytes: int
    max_age_s: float
    items: list[T] = field(default_factory=list)
    nbytes: int = 0
    started_at: float | None = None

    def add(self, item: T, nbytes: int, now: float) -> None:
        if not self.items:
            self.started_at = now
        self.items.append(item)
        self.nbytes += nbytes

    def room(self) -> int:
        return max(self.max_count - len(self.items), 0)

    def ready(self, now: float) -> bool:
        if not self.items:
            return False
        return (
            len(self.items) >= self.max_count or self.nbytes >= self.max_bytes or now - (self.started_at or now) >= self.max_age_s
        )

    def time_left(self, now: float) -> float:
        """Seconds until the batch is due by age (max_age_s when empty)."""
        if not self.items:
            return self.max_age_s
        return max(self.max_age_s - (now - (self.started_at or now)), 0.0)

    def take(self) -> list[T]:
        items, self.items, self.nbytes, self.started_at = self.items, [], 0, None
        return items

    def __len__(self) -> int:
        return len(self.items)
