"""The event-type decision alone, out of fold: a replica of `make evaluate`'s grouped CV (its outer
`GroupKFold(10)`) in which, per outer fold, only the `event` decision is refitted — as `tradeties
classifier train` fits it (L2 logistic, C and cuts on inner grouped folds, the visit's own F1.5 cut)
or, with ``--trees``, as boosted trees (training/trees.py's settings, the cuts found the same way on
inner out-of-fold probabilities) — and decided as `Classifier.classify` decides: every type from
its cut, the visit also from its own, at least the best type. The word models' logits are stacked
out of fold once over all articles (as in training), and the gold relevance is the gate, so it reads
a little higher than the full pipeline: for comparing event models and features, not for reporting.
Prints micro-F1 overall, per type and per language.

    .venv/bin/python scripts/event_replica.py [--cache FILE] [--trees] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from corpus_examples import add_cache_argument, load


def main() -> None:
    from sklearn.model_selection import GroupKFold
    from threadpoolctl import threadpool_limits

    from tradeties.classifier.model.features import event_feature_names
    from tradeties.classifier.model.labels import EVENT_TYPES
    from tradeties.classifier.model.learned import decision_model as load_decision
    from tradeties.classifier.model.wordbag import label_columns
    from tradeties.classifier.training import trees
    from tradeties.classifier.training.evaluate import _F1
    from tradeties.classifier.training.fitting import RECALL_BETA, best_threshold, out_of_fold
    from tradeties.classifier.training.train import INNER_FOLDS, decision_model, matrices, text_models
    from tradeties.classifier.training.validate import OUTER_FOLDS

    ap = argparse.ArgumentParser()
    add_cache_argument(ap)
    ap.add_argument("--trees", action="store_true", help="boosted trees instead of the logistic event decision")
    ap.add_argument("--out", type=Path, help="write each relevant article's predicted types as JSON lines")
    args = ap.parse_args()
    exs = load(args.cache)
    visit = EVENT_TYPES.index("delegation_visit")
    n_types = len(EVENT_TYPES)
    with threadpool_limits(1):
        _, stack = text_models(exs, OUTER_FOLDS)
        relevant = [i for i, e in enumerate(exs) if e.gold["relevant"]]
        groups = [exs[i].group for i in relevant]
        pred: dict[int, list[str]] = {}
        for tr, te in GroupKFold(n_splits=OUTER_FOLDS).split(relevant, groups=groups):
            train = [exs[relevant[k]] for k in tr]
            train_stack = [stack[relevant[k]] for k in tr]
            if args.trees:
                x, y, g = matrices(train, "event", train_stack)
                p = out_of_fold(x, y, g, INNER_FOLDS, None)
                rows = np.arange(len(y)) % n_types == visit
                fitted = trees.fit(x, y)

                def proba(rx: np.ndarray, fitted: dict = fitted) -> np.ndarray:
                    return trees.proba(fitted, rx)

                cut, visit_cut = best_threshold(p, y), best_threshold(p[rows], y[rows], beta=RECALL_BETA)
            else:
                names = event_feature_names("event")
                model = load_decision(decision_model(train, train_stack, "event", names, INNER_FOLDS))
                proba, cut, visit_cut = model.proba, model.threshold, model.cut("delegation_visit")
            for k in te:
                i = relevant[k]
                a = exs[i].analysis
                rx = np.column_stack([a.event_x, label_columns(stack[i]["event"])])
                q = proba(rx)
                types = [t for t, v in zip(EVENT_TYPES, q, strict=True) if v >= cut] or [EVENT_TYPES[int(np.argmax(q))]]
                if "delegation_visit" not in types and q[visit] >= visit_cut:
                    types.append("delegation_visit")
                pred[i] = types
    total, by_lang, by_type = _F1(), {}, {t: _F1() for t in EVENT_TYPES}
    for i, types in sorted(pred.items()):
        gold = set(exs[i].gold["event_types"])
        lang = exs[i].article.get("lang") or "?"
        for scores in (total, by_lang.setdefault(lang, _F1())):
            scores.add(gold, set(types))
        for t in EVENT_TYPES:
            by_type[t].add(gold & {t}, set(types) & {t})
    print(f"event types micro-F1 ({'trees' if args.trees else 'logistic'}, gold gate, out of fold): {total.f1:.4f}")
    print("  " + "  ".join(f"{t} {s.f1:.3f}" for t, s in by_type.items()))
    print("  " + "  ".join(f"{lang} {s.f1:.4f}" for lang, s in sorted(by_lang.items())))
    if args.out:
        args.out.write_text("".join(json.dumps({"id": exs[i].article["id"], "types": t}) + "\n" for i, t in sorted(pred.items())))


if __name__ == "__main__":
    main()
