"""Near-duplicate fingerprints: 64-bit SimHash over word 3-shingles.

Syndicated copies of an article carry the same body under other titles and boilerplate; after
extraction their texts differ by a few words at most, so their SimHashes differ in a few bits
while unrelated texts differ in about 32. Bodies are near-duplicates when the Hamming distance
is at most ``max_bits``. Lookup uses the pigeonhole bands of Manku et al. (WWW 2007): split the
64 bits into ``max_bits + 1`` blocks; two fingerprints within distance ``max_bits`` agree on at
least one whole block, so only articles sharing a block value are compared (an index lookup in
the state store, no scan).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 3
#: Below this many shingles a text is too short for a meaningful SimHash (exact hash only).
MIN_SHINGLES = 24


def simhash(text: str) -> int | None:
    words = _WORD.findall(text.lower())
    n = len(words) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i:i + SHINGLE]).encode("utf-8"), digest_size=8).digest() for i in range(n)
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(n, 64)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - n
    value = 0
    for bit in (votes > 0).tolist():
        value = (value << 1) | int(bit)
    return value


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(value: int, max_bits: int) -> list[int]:
    """Block values of ``value`` for a threshold of ``max_bits`` (band i → its bits)."""
    blocks = max_bits + 1
    width, bounds, start = 64 // blocks, [], 0
    for i in range(blocks):
        end = 64 if i == blocks - 1 else start + width
        bounds.append((start, end))
        start = end
    return [(value >> (64 - end)) & ((1 << (end - s)) - 1) for s, end in bounds]


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= (1 << 63) else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
