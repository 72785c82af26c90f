"""The delegation direction alone, out of fold: a replica of `make evaluate`'s grouped CV (its outer
`GroupKFold(10)` over the same examples) in which, per outer fold, only the direction's models —
window words, origin, destination, side, swap, nest — are refitted as `tradeties classifier train`
fits them, and every labelled delegation is decided with every candidate in the pool and the gold
relevance and visit. It reads higher than the full pipeline (nothing is lost upstream) and takes a
few minutes instead of `make evaluate`'s quarter of an hour: for comparing direction features and
models, not for reporting the classifier. Prints origin and destination accuracy overall and per
language; ``--out`` writes each delegation's predicted pair as JSON lines (to diff two runs).

    .venv/bin/python scripts/direction_replica.py [--cache FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from corpus_examples import add_cache_argument, load


def main() -> None:
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    from tradeties.classifier.model.direction import choose
    from tradeties.classifier.model.features import ROW_FEATURES
    from tradeties.classifier.model.learned import decision_model as load_decision
    from tradeties.classifier.model.window_words import TARGETS
    from tradeties.classifier.training.direction import pair_models
    from tradeties.classifier.training.evaluate import _means
    from tradeties.classifier.training.train import INNER_FOLDS, decision_model
    from tradeties.classifier.training.validate import OUTER_FOLDS
    from tradeties.classifier.training.window import window_models
    from tradeties.places import gazetteer

    ap = argparse.ArgumentParser()
    add_cache_argument(ap)
    ap.add_argument("--out", type=Path, help="write each delegation's predicted (origin, destination) as JSON lines")
    args = ap.parse_args()
    gaz = gazetteer()
    exs = load(args.cache)
    names = list(ROW_FEATURES) + [f"window:{t}" for t in TARGETS]
    deleg = {i for i, e in enumerate(exs) if e.gold["relevant"] and e.gold.get("delegation")}
    pred: dict[int, tuple[str | None, str | None]] = {}
    groups = [e.group for e in exs]
    with threadpool_limits(1):
        for tr, te in GroupKFold(n_splits=min(OUTER_FOLDS, len(set(groups)))).split(exs, groups=groups):
            train = [exs[i] for i in tr]
            window, cols = window_models(train, INNER_FOLDS)
            stack = [{"window": c} for c in cols]
            m = pair_models(train, cols, names, INNER_FOLDS)
            for d in ("origin", "destination", "side"):
                m[d] = decision_model(train, stack, d, names, INNER_FOLDS)
            w = {k: load_decision(v) for k, v in m.items()}
            for i in te:
                a = exs[i].analysis
                if i not in deleg or not a.regions:
                    continue
                x = np.hstack([a.region_x, window.columns(a.text, a.regions)])
                o, d = choose(gaz, w, x, a.regions)  # type: ignore[arg-type]
                pred[i] = (o.place.id if o else None, d.place.id if d else None)
    ok: Counter[tuple[str, str]] = Counter()
    rows = []
    for i in sorted(deleg):
        e, gd = exs[i], exs[i].gold["delegation"]
        dests = gd["destination"] if isinstance(gd["destination"], list) else [gd["destination"]]
        po, pd = pred.get(i, (None, None))
        lang = e.article.get("lang") or "?"
        for key in ("all", lang):
            ok[(key, "n")] += 1
            ok[(key, "origin")] += int(po is not None and _means(gd["origin"], po))
            ok[(key, "destination")] += int(pd is not None and any(_means(t, pd) for t in dests if t))
        rows.append({"id": e.article["id"], "lang": lang, "origin": po, "destination": pd, "gold": gd})
    for key in ["all"] + sorted({k for k, _ in ok} - {"all"}):
        n = ok[(key, "n")]
        print(
            f"{key}\t{n}\torigin {ok[(key, 'origin')] / n:.4f} ({ok[(key, 'origin')]})\t"
            f"destination {ok[(key, 'destination')] / n:.4f} ({ok[(key, 'destination')]})"
        )
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
