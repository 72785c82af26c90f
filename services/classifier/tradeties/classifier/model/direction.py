"""The delegation's direction among an article's candidate parties, from the learned models of
data/model.json (training.train, training.direction):

1. ``origin`` ranks the candidates (the travellers' home), ``destination`` scores those of the
   other nations (the host).
2. ``swap``: a ranking over the two chosen places alone, learned on the gold (origin, destination)
   pairs — which of the two travels. Articles that open with the host ("Euskadi y Querétaro
   firman", "Greater Manchester and Aichi sign") otherwise lose both slots at once; when it says
   the other side travels, the sides swap and each is re-chosen within its nation.
3. ``nest``: a ranking over the chosen destination and its ancestors and descendants among the
   candidates, learned on the gold destinations beside their relatives — the venue city against
   the host province ("heads to Bengaluru" vs Karnataka, "Hannover Messe" vs Lower Saxony).

With parties of one nation only, the ``side`` model says whether that nation travels or hosts (the
travellers are then often named only by their nation: "a Chinese delegation")."""

from __future__ import annotations

import numpy as np

from tradeties.places import Gazetteer

from .learned import Weights
from .regions import Region


def relatives(gaz: Gazetteer, regions: list[Region], k: int) -> list[int]:
    """Indexes of the candidates above or below ``regions[k]`` in the place hierarchy."""
    place = regions[k].place
    above = {a.id for a in gaz.ancestors(place)}
    return [
        j for j, r in enumerate(regions) if j != k and (r.place.id in above or place.id in {a.id for a in gaz.ancestors(r.place)})
    ]


def choose(gaz: Gazetteer, w: Weights, x: np.ndarray, pool: list[Region]) -> tuple[Region | None, Region | None]:
    """Origin and destination among ``pool`` (candidate rows ``x``, window columns included)."""
    score, p_dest = w["origin"].logit(x), w["destination"].proba(x)
    best = int(np.argmax(score))
    country = [r.place.country for r in pool]
    if all(c == country[best] for c in country):
        side = w["side"]
        if float(side.proba(x[best])[0]) < side.threshold:
            return None, pool[int(np.argmax(p_dest))]
        return pool[best], None

    def dest_for(home: str) -> int:
        return max((k for k in range(len(pool)) if country[k] != home), key=lambda k: p_dest[k])

    o = best
    d = dest_for(country[o])
    swap = w["swap"].logit(x[[o, d]])
    if swap[1] > swap[0]:  # the host was ranked first: the other nation travels
        o = max((k for k in range(len(pool)) if country[k] == country[d]), key=lambda k: score[k])
        d = dest_for(country[o])
    family = [d] + [j for j in relatives(gaz, pool, d) if country[j] != country[o]]
    if len(family) > 1:
        nest = w["nest"].logit(x[family])
        d = family[int(np.argmax(nest))]
    return pool[o], pool[d]
