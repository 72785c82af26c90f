"""Fitting helpers shared by the decisions: standardised L2 logistic models, out-of-fold
predictions on grouped folds (logistic or boosted trees), and the F1-maximising threshold."""

from __future__ import annotations

import numpy as np

from . import trees

C_GRID = (0.1, 0.3, 1.0, 3.0)  # inverse L2 strength (sklearn's C), chosen per decision on the inner folds
# a missed delegation visit loses the alert and both slots of its direction; a false one on an
# article the gate passed costs one wrong alert: its own cut maximises F1.5 (a miss weighs 2.25 false alarms)
RECALL_BETA = 1.5


def _fit(x: np.ndarray, y: np.ndarray, c: float, weight: np.ndarray | None = None) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    lr = LogisticRegression(C=c, max_iter=5000).fit((x - scaler.mean_) / scale, y, sample_weight=weight)
    return {"mean": scaler.mean_, "scale": scale, "coef": lr.coef_[0], "intercept": float(lr.intercept_[0])}


def _proba(m: dict, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(((x - m["mean"]) / m["scale"]) @ m["coef"] + m["intercept"])))


def _log_loss(p: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=weight))


def best_threshold(p: np.ndarray, y: np.ndarray, beta: float = 1.0) -> float:
    """The F1-maximising cut on out-of-fold probabilities (ties: the one nearest 0.5); with
    ``beta`` > 1 the F-beta one, a miss weighing beta² false alarms."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    tp = np.array([((p >= t) & (y == 1)).sum() for t in grid])
    fp = np.array([((p >= t) & (y == 0)).sum() for t in grid])
    fn = np.array([((p < t) & (y == 1)).sum() for t in grid])
    b2 = beta * beta
    f1 = (1 + b2) * tp / np.maximum(1, (1 + b2) * tp + fp + b2 * fn)
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(grid[best[np.argmin(np.abs(grid[best] - 0.5))]])


def out_of_fold(
    x: np.ndarray,
    y: np.ndarray,
    groups: list[str],
    folds: int,
    c: float | None,
    params: dict | None = None,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Predictions of a logistic model of strength ``c`` (None: boosted trees of ``params``) from models that
    never saw the row's group; ``weight``: the logistic fits' sample weights."""
    from sklearn.model_selection import GroupKFold

    p = np.full(len(y), np.nan)
    n = min(folds, len(set(groups)))
    for train, test in GroupKFold(n_splits=n).split(x, y, groups):
        if len(set(y[train])) < 2:
            p[test] = y[train].mean() if len(train) else 0.5
            continue
        if c is not None:
            p[test] = _proba(_fit(x[train], y[train], c, None if weight is None else weight[train]), x[test])
        else:
            p[test] = trees.proba(trees.fit(x[train], y[train], params), x[test])
    return p


def logistic_decision(
    x: np.ndarray,
    y: np.ndarray,
    groups: list[str],
    folds: int,
    decision: str,
    names: list[str],
    recall: dict[str, np.ndarray] | None = None,
    weight: np.ndarray | None = None,
) -> dict:
    """An L2 logistic decision: C by log-loss on the inner grouped folds, the threshold the
    F1-maximising cut on the same out-of-fold predictions. ``recall``: labels whose rows (a mask)
    get their own cut, the F-beta-maximising one on those rows (RECALL_BETA: a miss costs more).
    ``weight``: per row, its weight in the fits and the log-loss (the cut counts articles)."""
    oof = {c: out_of_fold(x, y, groups, folds, c, weight=weight) for c in C_GRID}
    c = min(C_GRID, key=lambda c: _log_loss(oof[c], y, weight))
    # the destination is an argmax over the article's candidates, the side a calibrated choice
    # between two answers: no threshold
    threshold = 0.5 if decision in ("destination", "side") else best_threshold(oof[c], y)
    m = _fit(x, y, c, weight)
    own = {k: best_threshold(oof[c][rows], y[rows], beta=RECALL_BETA) for k, rows in (recall or {}).items()}
    return {
        "features": names,
        "threshold": threshold,
        **({"thresholds": own} if own else {}),
        "C": c,
        "intercept": round(m["intercept"], 6),
        **{k: [round(float(v), 6) for v in m[k]] for k in ("mean", "scale", "coef")},
    }
