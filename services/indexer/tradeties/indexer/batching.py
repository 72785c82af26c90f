"""A bulk batch bounded by count, bytes and age, and how long its stream has paused (pure; the clock
is passed in)."""

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
    last_lead_at: float | None = None
    holds_lead: bool = False

    def add(self, item: T, nbytes: int, now: float, *, lead: bool = True) -> None:
        """``lead=False``: an item that follows another (an alert its article): it does not postpone
        a batch holding a leading item, which it rides along with."""
        if not self.items:
            self.started_at = now
        if lead or not self.holds_lead:
            self.last_lead_at = now
        self.holds_lead |= lead
        self.items.append(item)
        self.nbytes += nbytes

    def paused_for(self, now: float) -> float:
        """Seconds since the last item that counts (a leading one, or any while none is held); 0 when empty."""
        return 0.0 if not self.items else now - (self.last_lead_at or now)

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
        self.last_lead_at, self.holds_lead = None, False
        return items

    def __len__(self) -> int:
        return len(self.items)
