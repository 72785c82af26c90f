"""Resemblance sketches: copies SimHash misses, because an editor went through them.

A syndicated copy edited throughout (a few words changed per paragraph, a paragraph dropped or
added, house style for quotes and numbers) moves its SimHash by 6–17 bits, as far as some distinct
articles on one event; SimHash (``fingerprint``) stays the strict first test. The second is the
resemblance (Jaccard) of the two bodies' token 3-shingle sets, estimated by a MinHash of
``NUM_PERM`` values (datasketch): edited copies of real pages kept 0.38 or more of their shingles
(0.28 at the lowest with heavier edits), distinct articles — other outlets' reports of one event
included — at most 0.19 (the measurement: docs/crawler.md). A copy is one at ``RESEMBLANCE`` or above.

Candidates come from LSH bands (``ROWS`` values per band, ``NUM_PERM / ROWS`` bands: a body at
resemblance 0.3 shares a band with probability 0.95, at 0.4 with 0.996, at 0.05 with 0.08), indexed
in the state store (``sketches.SketchIndex``); each candidate is then verified on its whole sketch.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from .fingerprint import MIN_SHINGLES, SHINGLE, tokens

NUM_PERM = 64
ROWS = 2
RESEMBLANCE = 0.3
#: Bumped whenever ``sketch`` of the same text changes (the state store re-indexes, ignores other versions).
VERSION = 1
_SEED = 1


def sketch(body: str) -> bytes | None:
    """The MinHash of ``body``'s token 3-shingles as bytes (None for a text too short to compare)."""
    words = tokens(body)
    n = len(words) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=_SEED)
    m.update_batch(list({" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(n)}))
    return m.hashvalues.astype("<u8").tobytes()


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard resemblance of the shingle sets two sketches were made of."""
    return float(np.mean(np.frombuffer(a, dtype="<u8") == np.frombuffer(b, dtype="<u8")))


def bands(value: bytes) -> list[int]:
    """LSH band keys of a sketch (band i → a signed 64-bit digest of its ``ROWS`` values)."""
    width = 8 * ROWS
    return [int.from_bytes(hashlib.blake2b(value[i:i + width], digest_size=8).digest(), "big", signed=True)
            for i in range(0, len(value), width)]
