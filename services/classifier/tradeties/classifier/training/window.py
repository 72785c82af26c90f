"""The window word models (model/window_words.py): learned on every candidate of the labelled
delegations, stacked into the direction decisions through their out-of-fold logits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..model.window_words import TARGETS, WINDOW_BUCKETS, WindowModels, unit, window_bag
from .evaluate import _means

if TYPE_CHECKING:
    from .train import Example

WINDOW_C = 10.0  # inverse L2 strength: 1, 3, 10 and 30 compared in grouped CV (docs/classifier.md)


def _window_targets(e: Example) -> np.ndarray | None:
    """Per candidate of a labelled delegation, is it the gold origin, a gold destination."""
    g = e.gold
    if not (g["relevant"] and g.get("delegation")):
        return None
    d = g["delegation"]
    dests = [w for w in (d["destination"] if isinstance(d["destination"], list) else [d["destination"]]) if w]
    return np.array(
        [
            [float(bool(d["origin"]) and _means(d["origin"], r.place.id)), float(any(_means(w, r.place.id) for w in dests))]
            for r in e.analysis.regions
        ]
    ).reshape(-1, len(TARGETS))


def window_models(exs: list[Example], folds: int) -> tuple[WindowModels, list[np.ndarray | None]]:
    """The window word models fitted on every candidate of the labelled delegations, and per such
    example its candidates' logits out of fold (None for the other examples)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    idx = [i for i, e in enumerate(exs) if _window_targets(e) is not None and len(e.analysis.regions)]
    rows = [(i, window_bag(exs[i].analysis.text, r)) for i in idx for r in exs[i].analysis.regions]
    bag = sparse.csr_matrix(
        (
            np.concatenate([unit(b) for _, b in rows]),
            np.concatenate([b for _, b in rows]),
            np.cumsum([0] + [len(b) for _, b in rows]),
        ),
        shape=(len(rows), WINDOW_BUCKETS),
    )
    y = np.vstack([tg for i in idx if (tg := _window_targets(exs[i])) is not None])  # idx holds only those
    groups = np.array([exs[i].group for i, _ in rows])
    owner = np.array([i for i, _ in rows])

    def fit(tr: np.ndarray, t: int) -> tuple[np.ndarray, float]:
        if len(set(y[tr, t])) < 2:
            return np.zeros(WINDOW_BUCKETS), 0.0
        lr = LogisticRegression(C=WINDOW_C, solver="liblinear").fit(bag[tr], y[tr, t])
        return lr.coef_[0], float(lr.intercept_[0])

    oof = np.zeros(y.shape)
    n = min(folds, len(set(groups)))
    for tr, te in GroupKFold(n_splits=n).split(owner, groups=groups) if n >= 2 else ():
        for t in range(len(TARGETS)):
            c, b = fit(tr, t)
            oof[te, t] = bag[te] @ c + b
    every = np.arange(len(rows))
    fitted = [fit(every, t) for t in range(len(TARGETS))]
    cols: list[np.ndarray | None] = [None] * len(exs)
    for i in idx:
        cols[i] = oof[owner == i]
    return WindowModels(np.vstack([c for c, _ in fitted]), np.array([b for _, b in fitted])), cols
