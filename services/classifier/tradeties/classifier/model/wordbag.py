"""The words themselves as evidence: a hashed bag of words (headline words apart from body words)
and the linear text models learned over it (training.train), whose scores join the rule
features of the relevance, event and primary decisions (stacking). The lexicons name the words
someone thought of; the bag holds every word the labelled articles use ("inks", "Spatenstich",
"convenio", "調印"), and the headline bag what the news is. Applied with numpy only.

Words are accent- and case-folded (tradeties.places.text.fold_aligned), cut to their first seven
letters (a crude stem shared by en/de/fr/es/it inflections); Chinese and Japanese runs become
character bigrams; headline words hash into their own half and weigh double. Hashing is crc32,
stable across processes and platforms (word bigrams and 4,096 shared buckets scored lower in
grouped CV)."""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tradeties.places.text import fold_aligned

BUCKETS = 8192  # per part: the headline's words and the body's words hash into separate halves
TITLE_WEIGHT = 2.0  # between 1 and 3, which scored alike in grouped CV
_CJK_CHARS = "\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af"  # as tradeties.places.text.is_cjk
_CJK = re.compile(f"[{_CJK_CHARS}]+")
_LATIN = re.compile(f"[^\\W\\d_{_CJK_CHARS}]{{3,}}")  # words of three letters or more
STEM = 7
STACKED = ("relevance", "event", "primary", "sector")  # the decisions that read the word models


def _tokens(folded: str) -> list[str]:
    out = [w[:STEM] for w in _LATIN.findall(folded)]
    for run in _CJK.findall(folded):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    return out


def bag(title: str, body: str) -> np.ndarray:
    """Sorted distinct buckets of the body's words (0 … BUCKETS-1) and of the headline's words
    (BUCKETS … 2·BUCKETS-1)."""
    return folded_bag(fold_aligned(title), fold_aligned(body))


def folded_bag(title: str, body: str) -> np.ndarray:
    """bag() of a headline and body already folded by fold_aligned (the analysis folds the text once)."""
    idx = {zlib.crc32(t.encode()) % BUCKETS for t in set(_tokens(body))}
    idx |= {BUCKETS + zlib.crc32(t.encode()) % BUCKETS for t in set(_tokens(title))}
    return np.asarray(sorted(idx), dtype=np.int64)


def values(buckets: np.ndarray) -> np.ndarray:
    """A present word weighs 1, a headline word TITLE_WEIGHT (what the news is), the row scaled
    to unit length (long texts no louder)."""
    v = np.where(buckets >= BUCKETS, TITLE_WEIGHT, 1.0)
    return v / np.sqrt((v * v).sum()) if len(v) else v


@dataclass(frozen=True)
class TextModels:
    """One logistic model per target ("relevance", "event:agreement", "primary:trade_event" ...)
    over the bag: logit = Σ coef[bucket] · values(bag)[bucket] + intercept."""

    names: tuple[str, ...]
    coef: np.ndarray  # (targets, 2 * BUCKETS)
    intercept: np.ndarray

    def logits(self, buckets: np.ndarray, prefix: str) -> np.ndarray:
        block = _block(self.names, prefix)
        return self.coef[block, buckets] @ values(buckets) + self.intercept[block]

    def logit(self, buckets: np.ndarray, name: str) -> float:
        i = self.names.index(name)
        return float(self.coef[i].take(buckets) @ values(buckets) + self.intercept[i])

    def to_json(self) -> dict:
        """Coefficients as int8 steps of max|coef|/127, base64 (16 KB a target instead of 100 KB of
        decimals; a logit moves by about 0.01)."""
        targets = {n: quantize(c, b) for n, c, b in zip(self.names, self.coef, self.intercept, strict=True)}
        return {"buckets": BUCKETS, "stem": STEM, "title_weight": TITLE_WEIGHT, "targets": targets}

    @classmethod
    def from_json(cls, d: dict) -> TextModels:
        if (d.get("buckets"), d.get("stem"), d.get("title_weight")) != (BUCKETS, STEM, TITLE_WEIGHT):
            raise ValueError("text model built for another bag of words: retrain (make train)")
        names = tuple(d["targets"])
        coef, intercept = zip(*(dequantize(d["targets"][n]) for n in names), strict=True)
        return cls(names, np.vstack(coef), np.array(intercept, dtype=float))


@lru_cache(maxsize=64)
def _block(names: tuple[str, ...], prefix: str) -> slice:
    """The rows of the targets named ``prefix…`` (one block, in order)."""
    rows = [i for i, n in enumerate(names) if n.startswith(prefix)]
    return slice(rows[0], rows[-1] + 1)


def quantize(coef: np.ndarray, intercept: float) -> dict:
    """A linear model's coefficients as int8 steps of max|coef|/127, base64."""
    scale = float(np.abs(coef).max()) / 127 or 1.0
    q = np.round(coef / scale).astype(np.int8)
    return {"intercept": round(float(intercept), 6), "scale": scale, "coef": base64.b64encode(q.tobytes()).decode("ascii")}


def dequantize(d: dict) -> tuple[np.ndarray, float]:
    return np.frombuffer(base64.b64decode(d["coef"]), dtype=np.int8) * d["scale"], float(d["intercept"])


def stacked(x: np.ndarray, text: TextModels | None, words: np.ndarray, decision: str) -> np.ndarray:
    """A decision's rule features with the word models' logits appended: one column for the
    relevance row, label_columns for the label rows of "event" and "primary" (EVENT_TYPES order)
    and of "sector" (SECTORS order)."""
    if text is None or decision not in STACKED:
        return x
    if decision == "relevance":
        return np.append(x, text.logit(words, "relevance"))
    return np.column_stack([x, label_columns(text.logits(words, decision + ":"))])


def label_columns(logits: np.ndarray) -> np.ndarray:
    """Per label row, its word model's logit, shared and as the label's own column (each type
    learns how far its word model is to be trusted)."""
    return np.column_stack([logits, np.diag(logits)])
