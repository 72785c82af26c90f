"""The learned weights of the classifier's decisions: logistic models stored as plain JSON
(data/model.json, written by `tradeties classifier train`), applied with numpy, so the runtime
needs neither scikit-learn nor a pickle. Loaded once per process."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from .wordbag import TextModels

MODEL_FILE = "model.json"
DECISIONS = ("relevance", "region", "event", "primary", "sector", "origin", "destination", "side")


@dataclass(frozen=True)
class LinearModel:
    """Standardise, then logistic: p = σ(((x − mean) / scale) · coef + intercept). ``threshold``
    is the probability from which the decision is yes, chosen on validation folds."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(x)
        if x.shape[0] == 0:
            return np.zeros(0)
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        return cls(
            tuple(d["features"]),
            np.asarray(d["mean"], dtype=float),
            np.asarray(d["scale"], dtype=float),
            np.asarray(d["coef"], dtype=float),
            float(d["intercept"]),
            float(d["threshold"]),
        )


@dataclass(frozen=True)
class Weights:
    models: dict[str, LinearModel]
    version: str
    training_hash: str
    text: TextModels | None = None  # the word models whose logits join the rule features (wordbag.py)

    def __getitem__(self, decision: str) -> LinearModel:
        return self.models[decision]

    @classmethod
    def from_json(cls, artifact: dict) -> Weights:
        return cls(
            {k: LinearModel.from_json(artifact["models"][k]) for k in DECISIONS},
            model_version(artifact),
            artifact.get("training_hash", ""),
            TextModels.from_json(artifact["text"]) if "text" in artifact else None,
        )


def model_version(artifact: dict) -> str:
    """ "lexgaz-2-<12 hex>": the hash of the weights themselves, so two artifacts that decide
    alike carry one version and any retraining that changes a number changes it."""
    raw = json.dumps([artifact["models"], artifact.get("text")], sort_keys=True, separators=(",", ":")).encode()
    return "lexgaz-2-" + hashlib.sha256(raw).hexdigest()[:12]


def artifact_text() -> str:
    return (files(__package__) / "data" / MODEL_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    return Weights.from_json(json.loads(artifact_text()))
