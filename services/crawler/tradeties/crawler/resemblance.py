"""Copy evidence: copies SimHash misses because an editor went through them, told apart from
different articles that share paragraphs (a follow-up story reusing its background).

A syndicated copy edited throughout (a few words changed per paragraph, a paragraph dropped or
added, house style for quotes and numbers) moves its SimHash by 6–17 bits, as far as some distinct
articles on one event; SimHash (``fingerprint``) stays the strict first test. Shared shingles alone
do not tell a copy: an edited copy keeps ~0.4 of its word 3-grams, and two different articles that
share half their paragraphs verbatim share as many. Where the differences lie does: an edited copy
differs a little in every paragraph, a different article has paragraphs of its own. So a page is a
copy of another when ``COVERAGE`` of each body (by tokens, both ways) lies in paragraphs whose words
resemble those of a paragraph of the other (``copy_of``, once the bodies share an LSH band).

The sketch of a body (``sketch``, bytes stored with the article): a MinHash of ``NUM_PERM`` values
over its word 3-grams (character 6-grams in Chinese/Japanese text), cut into LSH bands (``BANDS`` of
``ROWS``: a body at resemblance 0.33 shares a band with probability 0.996) that find candidates in
the state store (``sketches.SketchIndex``); then per paragraph ``PARA_PERM`` values and its size,
to verify a candidate. Hashing is numpy over the whole body (CRC-32 per token, a polynomial over a
shingle's tokens and a 64-bit finaliser per hash function), no call per shingle. docs/crawler.md
has the measurements.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping

import numpy as np

from .fingerprint import MIN_SHINGLES, SHINGLE, cjk_chars, tokens

NUM_PERM = 96
ROWS = 2
BANDS = NUM_PERM // ROWS
#: Paragraph values: a MinHash of ``PARA_PERM`` values over the paragraph's words (character
#: bigrams in Chinese/Japanese text); two paragraphs resemble when ``PARA_MATCH`` of them agree
#: (estimated resemblance ≥ 0.5: an edited paragraph keeps 0.6–0.9 of its words, an unrelated
#: one shares function words, 0.1–0.2).
PARA_PERM = 16
PARA_MATCH = 8
PARA_SHINGLE = 1
CJK_PARA_SHINGLE = 2
#: Share of each body (by tokens) in paragraphs resembling one of the other's, both ways: edited
#: copies 0.78 or more, different articles sharing up to four of six paragraphs 0.64 or less.
COVERAGE = 0.7
#: Paragraphs under ``MIN_PARA_TOKENS`` tokens are left out; a body in fewer than
#: ``MIN_PARAGRAPHS`` paragraphs gives no evidence of where it differs (SimHash and exact hash only).
MIN_PARAGRAPHS = 3
MIN_PARA_TOKENS = 5
#: Characters per shingle in Chinese/Japanese text: a character carries about a word, but shared
#: names and set phrases make character trigrams common to any two reports of one event.
CJK_SHINGLE = 6
#: Bumped whenever ``sketch`` of the same text changes (the state store re-indexes, ignores other versions).
#: 1: datasketch MinHash of the body. 2: numpy hashes, body and paragraph values.
VERSION = 2

_U64 = np.uint64
_SEEDS = np.array(
    [int.from_bytes(hashlib.blake2b(b"tradeties-minhash-%d" % i, digest_size=8).digest(), "little") for i in range(NUM_PERM)],
    dtype=_U64,
)
_STEP = _U64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, elementwise (uint64 arithmetic wraps)."""
    x = x ^ (x >> _U64(33))
    x = x * _U64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> _U64(33))
    x = x * _U64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> _U64(33))


def _hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of every ``n`` consecutive token ids."""
    count = len(ids) - n + 1
    acc = np.zeros(count, _U64)
    for k in range(n):
        acc = _mix(acc * _STEP + ids[k : k + count])
    return acc


def _within(lengths: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n``-grams that lie inside one paragraph (of ``lengths`` tokens each)."""
    ends = np.cumsum(lengths)
    return np.concatenate([np.arange(e - m, e - n + 1) for e, m in zip(ends, lengths, strict=True)])


def sketch(body: str) -> bytes | None:
    """Body values, paragraph values and paragraph sizes as bytes (None when the body is too
    short, or in too few paragraphs, to compare)."""
    paras = [t for line in body.split("\n") if len(t := tokens(line)) >= MIN_PARA_TOKENS]
    words = [w for t in paras for w in t]
    if len(paras) < MIN_PARAGRAPHS:
        return None
    cjk = 2 * cjk_chars(body) > len(words)
    n, pn = (CJK_SHINGLE, CJK_PARA_SHINGLE) if cjk else (SHINGLE, PARA_SHINGLE)
    lengths = np.array([len(t) for t in paras])
    if int((lengths - n + 1).clip(0).sum()) < MIN_SHINGLES:
        return None
    ids = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=_U64, count=len(words))
    body_values = _values(_hashes(ids, n)[_within(lengths, n)], NUM_PERM).min(axis=0)
    grams = _hashes(ids, pn)[_within(lengths, pn)]
    starts = np.concatenate([[0], np.cumsum(lengths - pn + 1)[:-1]])
    para_values = np.minimum.reduceat(_values(grams, PARA_PERM), starts, axis=0)
    sizes = np.minimum(lengths, 0xFFFF).astype("<u2")
    return body_values.tobytes() + para_values.tobytes() + sizes.tobytes()


def _values(hashes: np.ndarray, perms: int) -> np.ndarray:
    return (_mix(hashes[:, None] ^ _SEEDS[None, :perms]) >> _U64(32)).astype("<u4")


def _parts(value: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = (len(value) - 4 * NUM_PERM) // (4 * PARA_PERM + 2)
    body = np.frombuffer(value, "<u4", NUM_PERM)
    paras = np.frombuffer(value, "<u4", n * PARA_PERM, 4 * NUM_PERM).reshape(n, PARA_PERM)
    return body, paras, np.frombuffer(value, "<u2", n, 4 * NUM_PERM + 4 * n * PARA_PERM)


def values(value: bytes) -> np.ndarray:
    """The body's MinHash values."""
    return _parts(value)[0]


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard resemblance of the two bodies' shingle sets."""
    return float(np.mean(values(a) == values(b)))


def coverage(a: bytes, b: bytes) -> tuple[float, float]:
    """Share of ``a``'s shingles in paragraphs resembling one of ``b``'s, and the converse."""
    _, pa, wa = _parts(a)
    _, pb, wb = _parts(b)
    alike = (pa[:, None, :] == pb[None, :, :]).sum(axis=2) >= PARA_MATCH
    return float(wa @ alike.any(axis=1) / wa.sum()), float(wb @ alike.any(axis=0) / wb.sum())


def copy_of(a: bytes, candidates: Mapping[str, bytes]) -> str | None:
    """Of ``candidates`` (id → sketch), the one ``a``'s body is a copy of: among those sharing an
    LSH band with it, as the state store's index finds candidates, ``best_copy``. The band is
    required wherever the other body is (published or still in flight), so a decision does not hang
    on timing: paragraphs alone resemble in texts over a small vocabulary that share no shingles."""
    ids = list(candidates)
    if not ids:
        return None
    rows = values(a).reshape(BANDS, ROWS)
    others = np.stack([values(candidates[i]) for i in ids]).reshape(len(ids), BANDS, ROWS)
    banded = (others == rows[None]).all(axis=2).any(axis=1).tolist()
    return best_copy(a, {i: candidates[i] for i, b in zip(ids, banded, strict=True) if b})


def best_copy(a: bytes, candidates: Mapping[str, bytes]) -> str | None:
    """Of ``candidates`` that share an LSH band with ``a`` (``copy_of`` filters, the state store's
    index finds only such), the one with ``COVERAGE`` of both bodies in resembling paragraphs (the
    one covering most if several)."""
    ids = list(candidates)
    if not ids:
        return None
    scores = coverages(a, list(candidates.values())).tolist()
    best, at = max(zip(scores, range(len(ids)), strict=True))
    return ids[at] if best >= COVERAGE else None


_CHUNK = 256


def coverages(a: bytes, others: list[bytes]) -> np.ndarray:
    """``min(coverage(a, b))`` for every ``b`` of ``others`` (each with a paragraph), in one
    comparison of ``a``'s paragraphs with all of theirs: a look-up's candidates cost one numpy
    pass, not one each (the templated bench pages have dozens per page: 2.5 -> 0.64 ms CPU per
    look-up with 81 on average). In chunks, so a page with thousands stays within a few MB."""
    if len(others) > _CHUNK:
        return np.concatenate([coverages(a, others[i : i + _CHUNK]) for i in range(0, len(others), _CHUNK)])
    _, pa, wa = _parts(a)
    parts = [_parts(b) for b in others]
    pb = np.concatenate([p[1] for p in parts])
    wb = np.concatenate([p[2] for p in parts]).astype(np.int64)
    starts = np.cumsum([0] + [len(p[2]) for p in parts[:-1]])
    alike = (pa[:, None, :] == pb[None, :, :]).sum(axis=2) >= PARA_MATCH
    of_a = wa.astype(np.int64) @ np.logical_or.reduceat(alike, starts, axis=1) / wa.sum()
    of_b = np.add.reduceat(wb * alike.any(axis=0), starts) / np.add.reduceat(wb, starts)
    return np.minimum(of_a, of_b)


def bands(value: bytes) -> list[int]:
    """LSH band keys of a sketch (band i → a signed 64-bit mix of its ``ROWS`` values)."""
    rows = values(value).astype(_U64).reshape(BANDS, ROWS)
    keys = np.zeros(BANDS, _U64)
    for r in range(ROWS):
        keys = _mix(keys * _STEP + rows[:, r])
    return keys.view(np.int64).tolist()
