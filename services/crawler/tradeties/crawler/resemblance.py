"""Resemblance sketches: copies SimHash misses, because an editor went through them.

A syndicated copy edited throughout (a few words changed per paragraph, a paragraph dropped or
added, house style for quotes and numbers) moves its SimHash by 6–17 bits, as far as some distinct
articles on one event; SimHash (``fingerprint``) stays the strict first test. The second is the
resemblance (Jaccard) of the two bodies' shingle sets — word 3-grams, or character 6-grams in
Chinese/Japanese text — estimated by a MinHash of ``NUM_PERM`` 32-bit values (datasketch; standard
error ≤ 0.03). Edited copies of real pages keep 0.41 or more of their shingles; distinct articles,
other outlets' reports of one event included, share at most 0.25 (docs/crawler.md has the
measurement). A copy is one at ``RESEMBLANCE`` or above.

Candidates come from LSH bands (``BANDS`` bands of ``ROWS`` values: a body at resemblance 0.33
shares a band with probability 0.996, at 0.05 with 0.11), indexed in the state store
(``sketches.SketchIndex``); each candidate is then verified on its whole sketch.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from .fingerprint import MIN_SHINGLES, SHINGLE, cjk_chars, tokens

NUM_PERM = 256
ROWS = 2
#: LSH bands over the first ``BANDS * ROWS`` values (the verification uses all ``NUM_PERM``).
BANDS = 48
RESEMBLANCE = 0.33
#: Characters per shingle in Chinese/Japanese text: a character carries about a word, but shared
#: names and set phrases make character trigrams common to any two reports of one event.
CJK_SHINGLE = 6
#: Bumped whenever ``sketch`` of the same text changes (the state store re-indexes, ignores other versions).
VERSION = 1
_SEED = 1


def shingles(body: str) -> set[bytes]:
    """Token ``SHINGLE``-grams; ``CJK_SHINGLE``-grams when most tokens are CJK characters."""
    words = tokens(body)
    n = CJK_SHINGLE if 2 * cjk_chars(body) > len(words) else SHINGLE
    return {" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def sketch(body: str) -> bytes | None:
    """The MinHash of ``body``'s shingles as bytes (None for a text too short to compare)."""
    found = shingles(body)
    if len(found) < MIN_SHINGLES:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=_SEED)  # 32-bit values (datasketch's sha1_hash32)
    m.update_batch(list(found))
    return m.hashvalues.astype("<u4").tobytes()


def values(sketch: bytes) -> np.ndarray:
    return np.frombuffer(sketch, dtype="<u4")


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard resemblance of the shingle sets two sketches were made of."""
    return float(np.mean(values(a) == values(b)))


def bands(value: bytes) -> list[int]:
    """LSH band keys of a sketch (band i → a signed 64-bit digest of its ``ROWS`` values)."""
    width = 4 * ROWS
    return [
        int.from_bytes(hashlib.blake2b(value[i * width : (i + 1) * width], digest_size=8).digest(), "big", signed=True)
        for i in range(BANDS)
    ]
