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
    """A probability per row from the model's logit (``_logit`` sees at least one row)."""

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


@dataclass(frozen=True)
class TreeModel(_Decision):
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, exported by
    training.trees): p = σ(baseline + Σ leaf values). Every tree is padded to one node count, a
    leaf points to itself, so all trees of all rows descend together in ``depth`` numpy steps."""

    features: tuple[str, ...]
    feature: np.ndarray  # (trees, nodes) feature index of each split
    split: np.ndarray  # (trees, nodes) x <= split goes left
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray  # (trees, nodes) a leaf's contribution to the logit
    baseline: float
    depth: int
    threshold: float

    def _logit(self, x: np.ndarray) -> np.ndarray:
        # nodes indexed in the flattened arrays (tree · nodes + node): one gather per step, not two
        n_trees, n_nodes = self.feature.shape
        first = np.arange(n_trees, dtype=np.int64) * n_nodes
        feature, split, left, right = (a.ravel() for a in (self.feature, self.split, self.left, self.right))
        node = np.broadcast_to(first, (x.shape[0], n_trees))
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            go_left = x[rows, feature[node]] <= split[node]
            node = first + np.where(go_left, left[node], right[node])
        return self.baseline + self.value.ravel()[node].sum(axis=1)

    @classmethod
    def from_json(cls, d: dict) -> TreeModel:
        t = d["trees"]
        return cls(
            tuple(d["features"]),
            np.asarray(t["feature"], dtype=np.int64),
            np.asarray(t["split"], dtype=float),
            np.asarray(t["left"], dtype=np.int64),
            np.asarray(t["right"], dtype=np.int64),
            np.asarray(t["value"], dtype=float),
            float(t["baseline"]),
            int(t["depth"]),
            float(d["threshold"]),
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
