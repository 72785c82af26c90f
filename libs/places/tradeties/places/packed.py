"""A sequence stored as one bytes blob of separately pickled items: unpickling it is two objects
whatever its length, and an item is unpickled the first time it is read. The gazetteer's rows and
its automaton's values are kept this way, so a process loads the artefact in a fraction of a second
and pays only for the few thousand places its texts name."""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Packed(Sequence[T], Generic[T]):
    def __init__(self, blob: bytes, offsets: array) -> None:
        self._blob, self._offsets = blob, offsets
        self._made: dict[int, T] = {}

    @classmethod
    def of(cls, items: Iterable[T]) -> Packed[T]:
        parts = [pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL) for x in items]
        offsets = array("Q", [0])
        for p in parts:
            offsets.append(offsets[-1] + len(p))
        return cls(b"".join(parts), offsets)

    def __getitem__(self, i):  # type: ignore[override]  # ints only: no slices
        x = self._made.get(i)
        if x is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            x = self._made[i] = pickle.loads(self._blob[self._offsets[i] : self._offsets[i + 1]])
        return x

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __reduce__(self):
        return Packed, (self._blob, self._offsets)
