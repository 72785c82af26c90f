"""The words around each mention of a candidate region, as a small hashed bag, and the linear
models learned over it (training.train) that say how much those words make the region the
travellers' home or their host. The direction lexicons (direction_words.py) hold the words someone
thought of; the bag holds every word the labelled delegations put beside their places ("partió
rumbo a", "in arrivo da", "一行は", "empfing"). Applied with numpy only, and only to the candidates
of an article the classifier calls a delegation visit.

Per mention: the nearest word on each side (its own bucket: "from |X", "X| delegation",
"X|から"), and the words up to SIDE tokens before and after it in its sentence, all folded and
stemmed as in wordbag; words of a headline mention apart. A region's row is the union over its
mentions, of unit length."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from tradeties.places.text import fold_aligned

from .regions import Region
from .wordbag import _tokens, dequantize, quantize

WINDOW_BUCKETS = 4096
SIDE = 6  # tokens on each side of a mention (CJK: character bigrams)
REACH = 60  # characters looked at on each side, within the sentence
TARGETS = ("origin", "destination")


def window_bag(text: str, r: Region) -> np.ndarray:
    """Sorted distinct buckets of the words around the region's mentions."""
    keys: set[str] = set()
    for m in r.mentions:
        s = m.sentence
        before = _tokens(fold_aligned(text[max(s.start, m.start - REACH) : m.start]))[-SIDE:]
        after = _tokens(fold_aligned(text[m.end : min(s.end, m.end + REACH)]))[:SIDE]
        head = "t" if s.in_title else ""
        keys |= {f"b:{w}" for w in before} | {f"a:{w}" for w in after}
        if before:
            keys.add(f"{head}b1:{before[-1]}")
        if after:
            keys.add(f"{head}a1:{after[0]}")
    return np.asarray(sorted({zlib.crc32(k.encode()) % WINDOW_BUCKETS for k in keys}), dtype=np.int64)


def unit(buckets: np.ndarray) -> np.ndarray:
    return np.full(len(buckets), 1 / np.sqrt(len(buckets))) if len(buckets) else np.zeros(0)


@dataclass(frozen=True)
class WindowModels:
    """One logistic model per TARGETS over the window bag: logit = Σ coef[bucket] · unit + intercept."""

    coef: np.ndarray  # (len(TARGETS), WINDOW_BUCKETS)
    intercept: np.ndarray

    def columns(self, text: str, regions: list[Region]) -> np.ndarray:
        """Per region, the origin and destination logits of its window words."""
        out = np.zeros((len(regions), len(TARGETS)))
        for i, r in enumerate(regions):
            b = window_bag(text, r)
            out[i] = self.coef[:, b] @ unit(b) + self.intercept
        return out

    def to_json(self) -> dict:
        return {
            "buckets": WINDOW_BUCKETS,
            "side": SIDE,
            "targets": {t: quantize(c, b) for t, c, b in zip(TARGETS, self.coef, self.intercept, strict=True)},
        }

    @classmethod
    def from_json(cls, d: dict) -> WindowModels:
        if (d.get("buckets"), d.get("side")) != (WINDOW_BUCKETS, SIDE):
            raise ValueError("window model built for another bag: retrain (make train)")
        coef, intercept = zip(*(dequantize(d["targets"][t]) for t in TARGETS), strict=True)
        return cls(np.vstack(coef), np.array(intercept, dtype=float))
