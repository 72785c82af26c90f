"""National capitals: a capital named in a text often stands for its national government."""

from __future__ import annotations

from collections.abc import Iterator, Set

from .gazetteer import gazetteer

# National capitals, named as the gazetteer's old ids had them; their ids are looked up once.
CAPITAL_NAMES = (
    "CN:Beijing",
    "GB:London",
    "US:Washington, D.C.",
    "DE:Berlin",
    "FR:Paris",
    "JP:Tokyo",
    "KR:Seoul",
    "IT:Rome",
    "ES:Madrid",
    "IN:New Delhi",
    "RU:Moscow",
    "CA:Ottawa",
    "AU:Canberra",
)


class _Capitals(Set):
    """The capitals' ids, resolved through the gazetteer on first use."""

    _ids: frozenset[str] | None = None

    def _get(self) -> frozenset[str]:
        if self._ids is None:
            gaz = gazetteer()
            self._ids = frozenset(p.id for p in map(gaz.get, CAPITAL_NAMES) if p is not None)
        return self._ids

    def __contains__(self, x: object) -> bool:
        return x in self._get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


CAPITALS = _Capitals()
