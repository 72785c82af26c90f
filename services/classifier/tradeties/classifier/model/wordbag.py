"""The words themselves as evidence: a hashed bag of words (headline words apart from body words)
and the linear text models learned over it (training.train), whose scores join the rule
features of the relevance, event and primary decisions (stacking). The lexicons name the words
someone thought of; the bag holds every word the labelled articles use ("inks", "Spatenstich",
"convenio", "調印"), and the headline bag what the news is. Applied with numpy only.

Words are accent- and case-folded (tradeties.places.text.fold), cut to their first seven
letters (a crude stem shared by en/de/fr/es/it inflections); Chinese and Japanese runs become
character bigrams. Hashing is crc32, stable across processes and platforms."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from tradeties.places.text import fold, is_cjk

BUCKETS = 4096
_WORD = re.compile(r"[^\W\d_]+")
STEM = 7
STACKED = ("relevance", "event", "primary")  # the decisions that read the word models


def _tokens(s: str) -> list[str]:
    out: list[str] = []
    for w in _WORD.findall(fold(s)):
        if any(is_cjk(c) for c in w):
            out += [w[i:i + 2] for i in range(len(w) - 1)] or [w]
        elif len(w) >= 3:
            out.append(w[:STEM])
    return out


def bag(title: str, body: str) -> np.ndarray:
    """Sorted distinct buckets of the headline's words ("T" apart) and the body's words."""
    idx = {zlib.crc32(b"T" + t.encode()) % BUCKETS for t in _tokens(title)}
    idx |= {zlib.crc32(t.encode()) % BUCKETS for t in _tokens(body)}
    return np.asarray(sorted(idx), dtype=np.int64)


def weight(bucket_ids: np.ndarray) -> float:
    """Every present bucket weighs 1/sqrt(n): rows of unit length, long texts no louder."""
    return 1.0 / np.sqrt(len(bucket_ids)) if len(bucket_ids) else 0.0


@dataclass(frozen=True)
class TextModels:
    """One logistic model per target ("relevance", "event:agreement", "primary:trade_event" ...)
    over the bag: logit = weight · Σ coef[bucket] + intercept."""

    names: tuple[str, ...]
    coef: np.ndarray  # (targets, BUCKETS)
    intercept: np.ndarray

    def logits(self, buckets: np.ndarray, prefix: str) -> np.ndarray:
        rows = [i for i, n in enumerate(self.names) if n.startswith(prefix)]
        return self.coef[rows][:, buckets].sum(axis=1) * weight(buckets) + self.intercept[rows]

    def logit(self, buckets: np.ndarray, name: str) -> float:
        i = self.names.index(name)
        return float(self.coef[i, buckets].sum() * weight(buckets) + self.intercept[i])

    def to_json(self) -> dict:
        return {"buckets": BUCKETS, "stem": STEM,
                "targets": {n: {"intercept": round(float(b), 6), "coef": " ".join(f"{v:.4g}" for v in c)}
                            for n, c, b in zip(self.names, self.coef, self.intercept, strict=True)}}

    @classmethod
    def from_json(cls, d: dict) -> TextModels:
        if d.get("buckets") != BUCKETS or d.get("stem") != STEM:
            raise ValueError("text model built for another bag of words: retrain (make train)")
        names = tuple(d["targets"])
        return cls(names, np.vstack([np.array(d["targets"][n]["coef"].split(), dtype=float) for n in names]),
                   np.array([d["targets"][n]["intercept"] for n in names], dtype=float))


def stacked(x: np.ndarray, text: TextModels | None, words: np.ndarray, decision: str) -> np.ndarray:
    """A decision's rule features with the word models' logits appended: one column for the
    relevance row, one per label row for "event" and "primary" (labels in EVENT_TYPES order)."""
    if text is None or decision not in STACKED:
        return x
    if decision == "relevance":
        return np.append(x, text.logit(words, "relevance"))
    return np.column_stack([x, text.logits(words, decision + ":")])
