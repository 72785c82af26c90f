"""The direction's second look at the pair it chose (model/direction.py): two ranking models over
the candidates' direction rows (region row and window word logits, out of fold), learned on the
labelled delegations.

- ``swap``: of the gold origin and the gold destinations of another nation, which travels.
- ``nest``: of a gold destination and its candidate ancestors and descendants that are not gold
  themselves, which one the writers name as the destination (venue city or host province)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tradeties.places import gazetteer

from ..model.direction import relatives
from . import ranking
from .evaluate import _means

if TYPE_CHECKING:
    from .train import Example


def pair_blocks(exs: list[Example], window: list[np.ndarray | None]) -> tuple[list[ranking.Block], list[ranking.Block]]:
    """The swap and nest models' blocks (rows, targets, group), from the labelled delegations."""
    gaz = gazetteer()
    swap: list[ranking.Block] = []
    nest: list[ranking.Block] = []
    for e, cols in zip(exs, window, strict=True):
        d = e.gold.get("delegation") if e.gold["relevant"] else None
        if not d or cols is None:
            continue
        regions = e.analysis.regions
        x = np.hstack([e.analysis.region_x, cols])
        dests = [w for w in (d["destination"] if isinstance(d["destination"], list) else [d["destination"]]) if w]
        home = [k for k, r in enumerate(regions) if d["origin"] and _means(d["origin"], r.place.id)]
        hosts = [k for k, r in enumerate(regions) if k not in home and any(_means(w, r.place.id) for w in dests)]
        abroad = [k for k in hosts if home and regions[k].place.country != regions[home[0]].place.country]
        if home and abroad:
            swap.append((x[home + abroad], np.array([1.0] * len(home) + [0.0] * len(abroad)), e.group))
        for k in hosts:
            others = [j for j in relatives(gaz, regions, k) if j not in hosts]
            if others:
                nest.append((x[[k] + others], np.array([1.0] + [0.0] * len(others)), e.group))
    return swap, nest


def pair_models(exs: list[Example], window: list[np.ndarray | None], features: list[str], folds: int) -> dict:
    swap, nest = pair_blocks(exs, window)
    return {"swap": ranking.decision(swap, features, folds), "nest": ranking.decision(nest, features, folds)}
