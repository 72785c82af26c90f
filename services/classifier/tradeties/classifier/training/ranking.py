"""The delegation's origin as a ranking: one of the article's candidates is the travellers' home,
so each candidate is compared with the other candidates of its own article rather than with every
candidate of the corpus. A conditional logit fitted as a logistic regression without intercept on
paired differences (gold minus other, and the reverse) of standardised rows; the artifact keeps the
pointwise form (mean, scale, coef, intercept 0), and the runtime takes the argmax as before."""

from __future__ import annotations

import numpy as np

from .fitting import C_GRID

Block = tuple[np.ndarray, np.ndarray, str]  # one article's candidate rows, their targets, its CV group


def _pairs(blocks: list[Block], mean: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for x, y, _ in blocks:
        if y.sum() == 0 or y.sum() == len(y):
            continue  # nothing to compare
        z = (x - mean) / scale
        diff = (z[y == 1][:, None, :] - z[y == 0][None, :, :]).reshape(-1, z.shape[1])
        xs += [diff, -diff]
        ys += [np.ones(len(diff)), np.zeros(len(diff))]
    return np.vstack(xs), np.concatenate(ys)


def fit(blocks: list[Block], c: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([b[0] for b in blocks])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    if not any(0 < y.sum() < len(y) for _, y, _ in blocks):
        return {"mean": mean, "scale": scale, "coef": np.zeros(x.shape[1]), "intercept": 0.0}
    px, py = _pairs(blocks, mean, scale)
    lr = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(px, py)
    return {"mean": mean, "scale": scale, "coef": lr.coef_[0], "intercept": 0.0}


def top1(m: dict, blocks: list[Block]) -> float:
    """Share of articles whose best-scored candidate is a gold one."""
    hits = [y[int(np.argmax(((x - m["mean"]) / m["scale"]) @ m["coef"]))] == 1 for x, y, _ in blocks]
    return float(np.mean(hits)) if hits else 0.0


def choose_c(blocks: list[Block], folds: int, grid: tuple[float, ...]) -> float:
    """The C whose rankings put a gold candidate first most often on inner grouped folds."""
    from sklearn.model_selection import GroupKFold

    groups = [b[2] for b in blocks]
    n = min(folds, len(set(groups)))
    if n < 2:
        return grid[len(grid) // 2]
    splits = list(GroupKFold(n_splits=n).split(blocks, groups=groups))
    score = {c: np.mean([top1(fit([blocks[i] for i in tr], c), [blocks[i] for i in te]) for tr, te in splits]) for c in grid}
    return max(grid, key=lambda c: (score[c], -abs(np.log(c))))


def decision(blocks: list[Block], features: list[str], folds: int) -> dict:
    """A ranking decision as the artifact stores it: C chosen on the inner grouped folds."""
    c = choose_c(blocks, folds, C_GRID)
    m = fit(blocks, c)
    return {
        "features": features,
        "threshold": 0.5,
        "C": c,
        "ranking": True,
        "intercept": 0.0,
        **{k: [round(float(v), 6) for v in m[k]] for k in ("mean", "scale", "coef")},
    }
