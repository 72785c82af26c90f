"""The learned weights of the classifier's decisions: logistic models and boosted trees stored as
plain JSON (data/model.json, written by `tradeties classifier train`), applied with numpy, so the
runtime needs neither scikit-learn nor a pickle. Loaded once per process."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import numpy as np

from .window_words import WindowModels
from .wordbag import TextModels

MODEL_FILE = "model.json"
# region_stack: the second stage of the region decision (region_stack.py); swap and nest: the
# direction's second look at the pair it chose (direction.py)
DECISIONS = (
    "relevance",
    "region",
    "region_stack",
    "event",
    "primary",
    "sector",
    "origin",
    "destination",
    "side",
    "swap",
    "nest",
)


class _Decision:
    """A probability per row from the model's logit (``_logit`` sees at least one row); yes from
    ``threshold`` on (a label's own ``cut`` where a model has one)."""

    threshold: float

    def cut(self, label: str) -> float:
        return self.threshold

    def _logit(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def logit(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(x)
        return self._logit(x) if x.shape[0] else np.zeros(0)

    def proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


@dataclass(frozen=True)
class LinearModel(_Decision):
    """Standardise, then logistic: p = σ(((x − mean) / scale) · coef + intercept). ``threshold``
    is the probability from which the decision is yes, chosen on validation folds; ``thresholds``
    a label's own cut where it has one (the delegation visit's, training.fitting.RECALL_BETA)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    thresholds: dict[str, float] = field(default_factory=dict)

    def cut(self, label: str) -> float:
        return self.thresholds.get(label, self.threshold)

    def _logit(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        return cls(
            tuple(d["features"]),
            np.asarray(d["mean"], dtype=float),
            np.asarray(d["scale"], dtype=float),
            np.asarray(d["coef"], dtype=float),
            float(d["intercept"]),
            float(d["threshold"]),
            {k: float(v) for k, v in d.get("thresholds", {}).items()},
        )


_ROWS = 128  # rows per block of TreeModel._logit


@dataclass(frozen=True)
class TreeModel(_Decision):
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, exported by
    training.trees): p = σ(baseline + Σ leaf values). Stored as each tree's node arrays (padded to
    one node count, a leaf points to itself); loaded into complete trees of ``depth`` levels in heap
    order (node k's children 2k+1 and 2k+2, a shallow leaf copied down to the last level), so one
    gather compares every split of every tree with a row, and ``depth`` gathers of those
    comparisons walk all trees of all rows down to their leaves."""

    features: tuple[str, ...]
    feature: np.ndarray  # (trees · 2^depth−1) flat: feature index of each heap split
    split: np.ndarray  # (trees · 2^depth−1) flat: x <= split goes left
    leaf: np.ndarray  # (trees · 2^depth) flat: the leaves' contributions to the logit
    baseline: float
    depth: int
    threshold: float

    def _logit(self, x: np.ndarray) -> np.ndarray:
        # rows in blocks: the gather below holds rows × every split of every tree (3,000 training rows
        # × 9,000 splits: 200 MB), so a whole matrix at once leaves the cache (20× slower than blocks)
        if x.shape[0] > _ROWS:
            return np.concatenate([self._logit(x[i : i + _ROWS]) for i in range(0, x.shape[0], _ROWS)])
        n_split, n_leaf = 2**self.depth - 1, 2**self.depth
        n_trees = len(self.leaf) // n_leaf
        # (.take: a plain gather, several times faster than fancy indexing on these small arrays)
        right = (x.take(self.feature, axis=1) > self.split).view(np.int8).ravel()  # 1: goes right
        at = (np.arange(x.shape[0], dtype=np.intp) * len(self.split))[:, None] + np.arange(n_trees, dtype=np.intp) * n_split
        node = np.zeros((x.shape[0], n_trees), dtype=np.intp)
        for _ in range(self.depth):
            node = 2 * node + 1 + right.take(at + node)
        return self.baseline + self.leaf.take(np.arange(n_trees, dtype=np.intp) * n_leaf - n_split + node).sum(axis=1)

    @classmethod
    def from_json(cls, d: dict) -> TreeModel:
        t = d["trees"]
        depth = int(t["depth"])
        n_split, n_leaf = 2**depth - 1, 2**depth
        trees = [np.asarray(t[k]) for k in ("feature", "split", "left", "right", "value")]
        feature = np.zeros((len(trees[0]), n_split), dtype=np.intp)
        split = np.zeros((len(trees[0]), n_split))
        leaf = np.zeros((len(trees[0]), n_leaf))
        for i, (f, s, left, right, value) in enumerate(zip(*trees, strict=True)):
            todo = [(0, 0)]  # (stored node, heap node)
            while todo:
                node, heap = todo.pop()
                if heap >= n_split:
                    leaf[i, heap - n_split] = value[node]
                elif left[node] == node:  # a leaf above the last level: both children are itself
                    todo += [(node, 2 * heap + 1), (node, 2 * heap + 2)]
                else:
                    feature[i, heap], split[i, heap] = f[node], s[node]
                    todo += [(int(left[node]), 2 * heap + 1), (int(right[node]), 2 * heap + 2)]
        return cls(
            tuple(d["features"]), feature.ravel(), split.ravel(), leaf.ravel(), float(t["baseline"]), depth, float(d["threshold"])
        )


def decision_model(d: dict) -> LinearModel | TreeModel:
    return TreeModel.from_json(d) if "trees" in d else LinearModel.from_json(d)


@dataclass(frozen=True)
class Weights:
    models: dict[str, LinearModel | TreeModel]
    version: str
    training_hash: str
    text: TextModels | None = None  # the word models whose logits join the rule features (wordbag.py)
    window: WindowModels | None = None  # the words around a candidate, for the direction (window_words.py)

    def __getitem__(self, decision: str) -> LinearModel | TreeModel:
        return self.models[decision]

    @classmethod
    def from_json(cls, artifact: dict) -> Weights:
        return cls(
            {k: decision_model(artifact["models"][k]) for k in DECISIONS},
            model_version(artifact),
            artifact.get("training_hash", ""),
            TextModels.from_json(artifact["text"]) if "text" in artifact else None,
            WindowModels.from_json(artifact["window"]) if "window" in artifact else None,
        )


def model_version(artifact: dict) -> str:
    """ "lexgaz-2-<12 hex>": the hash of the weights themselves, so two artifacts that decide
    alike carry one version and any retraining that changes a number changes it."""
    parts = [artifact["models"], artifact.get("text")] + ([artifact["window"]] if "window" in artifact else [])
    raw = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()
    return "lexgaz-2-" + hashlib.sha256(raw).hexdigest()[:12]


def artifact_text() -> str:
    return (files(__package__) / "data" / MODEL_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    return Weights.from_json(json.loads(artifact_text()))
