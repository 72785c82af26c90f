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
_PROTOCOL = 5
_HEAD = bytes([pickle.PROTO[0], _PROTOCOL])  # b"\x80\x05"; a pickle without frames is valid


def _strip(p: bytes) -> bytes:
    """The pickle's opcodes after PROTO and the optional FRAME (opcode and 8-byte length)."""
    return p[11:] if p[2:3] == pickle.FRAME else p[2:]


class Packed(Sequence[T], Generic[T]):
    def __init__(self, blob: bytes, offsets: array) -> None:
        self._blob, self._offsets = blob, offsets
        self._made: dict[int, T] = {}

    @classmethod
    def of(cls, items: Iterable[T]) -> Packed[T]:
        # each item without its pickle's protocol and frame opcodes (11 bytes, a third of an
        # automaton value): they are the same for all and put back when it is read
        parts = [_strip(pickle.dumps(x, protocol=_PROTOCOL)) for x in items]
        offsets = array("Q", [0])
        for p in parts:
            offsets.append(offsets[-1] + len(p))
        if offsets[-1] < 2**32:
            offsets = array("I", offsets)
        return cls(b"".join(parts), offsets)

    def __getitem__(self, i):  # type: ignore[override]  # ints only: no slices
        x = self._made.get(i)
        if x is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            x = self._made[i] = pickle.loads(_HEAD + self._blob[self._offsets[i] : self._offsets[i + 1]])
        return x

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __reduce__(self):
        return Packed, (self._blob, self._offsets)
