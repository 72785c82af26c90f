"""Where does the region decision go wrong? Region-only grouped cross-validation (both stages, as
`tradeties classifier train` fits them, on the folds of `tradeties classifier evaluate`) with the
gold relevance as the gate, and the out-of-fold errors counted by class: gold regions never a
candidate or under the cut (in articles with many gold regions: the long lists), wrong parties by
their relation to the gold ones (venue city of a gold province, province of a gold city, another
place of a gold region's country, elsewhere). Faster than `make evaluate` (no word, event, sector
or direction models) for comparing region features; its F1 is not the evaluation's (gold gate).

    .venv/bin/python scripts/region_errors.py [--folds 10] [--show N] [--errors FILE] [--per-article FILE]
        [--cache FILE]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from corpus_examples import add_cache_argument, load


def main() -> None:
    from sklearn.model_selection import GroupKFold

    from tradeties.classifier.model.features import ROW_FEATURES
    from tradeties.classifier.model.learned import decision_model
    from tradeties.classifier.model.region_stack import stage_rows
    from tradeties.classifier.training.evaluate import _F1, _answer, _key, _means
    from tradeties.classifier.training.train import region_models
    from tradeties.places import gazetteer

    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--show", type=int, default=0, help="print N random errors of each kind")
    ap.add_argument("--errors", type=Path, help="write every error (class, article, language, region) as JSON lines")
    ap.add_argument("--per-article", type=Path, help="write each relevant article's true/wrong/missed as JSON lines (bootstrap)")
    add_cache_argument(ap)
    args = ap.parse_args()
    gaz = gazetteer()
    exs = load(args.cache)
    p_of: dict[int, tuple[np.ndarray, float]] = {}
    for train, test in GroupKFold(n_splits=args.folds).split(exs, groups=[e.group for e in exs]):
        m = region_models([exs[i] for i in train], [], list(ROW_FEATURES), 5)
        first, second = decision_model(m["region"]), decision_model(m["region_stack"])
        for i in test:
            a = exs[i].analysis
            p = first.proba(a.region_x) if a.regions else np.zeros(0)
            x = stage_rows(gaz, a.regions, a.lists, a.cues, p, first.threshold, a.region_x)
            p_of[i] = (second.proba(x) if a.regions else p, second.threshold)
    f1, classes, samples = _F1(), Counter(), {}
    by_lang: dict[str, _F1] = {}
    lang_classes: dict[str, Counter[str]] = {}
    per_article: list[str] = []
    for i, e in enumerate(exs):
        g, a = e.gold, e.analysis
        if not g["relevant"]:
            continue
        p, cut = p_of[i]
        lang = e.article.get("lang") or "?"
        one = _F1()
        for scores in (f1, by_lang.setdefault(lang, _F1()), one):
            scores.add(
                {_key(x) for x in g["regions"]},
                _answer(g["regions"], [r.place.id for r, q in zip(a.regions, p, strict=True) if q >= cut]),
            )
        per_article.append(json.dumps({"id": e.article["id"], "lang": lang, "tp": one.tp, "fp": one.fp, "fn": one.fn}) + "\n")
        gold = [k for k, r in enumerate(a.regions) if any(_means(x, r.place.id) for x in g["regions"])]
        ancestors = [{x.id for x in gaz.ancestors(r.place)} for r in a.regions]
        for label in g["regions"]:
            found = [k for k in gold if _means(label, a.regions[k].place.id)]
            kind = (
                "missed: never a candidate" if not found else "" if max(p[k] for k in found) >= cut else "missed: under the cut"
            )
            if kind and found:
                kind += " (article with >= 6 gold)" if len(g["regions"]) >= 6 else " (article with < 6 gold)"
            if kind:
                classes[kind] += 1
                lang_classes.setdefault(lang, Counter())[kind] += 1
                samples.setdefault(kind, []).append((e, label))
        for k, r in enumerate(a.regions):
            if p[k] < cut or k in gold:
                continue
            if ancestors[k] & {a.regions[j].place.id for j in gold}:
                kind = "wrong: city or district of a gold region"
            elif any(r.place.id in ancestors[j] for j in gold):
                kind = "wrong: province of a gold region"
            elif r.place.country in {a.regions[j].place.country for j in gold}:
                kind = "wrong: another place of a gold country"
            else:
                kind = "wrong: elsewhere"
            classes[kind] += 1
            lang_classes.setdefault(lang, Counter())[kind] += 1
            samples.setdefault(kind, []).append((e, r.place.id))
    if args.errors:
        args.errors.write_text(
            "".join(
                json.dumps({"class": k, "id": e.article["id"], "lang": e.article.get("lang"), "region": w}) + "\n"
                for k, rows in sorted(samples.items())
                for e, w in rows
            )
        )
    if args.per_article:
        args.per_article.write_text("".join(per_article))
    print(f"regions micro-F1 (gold gate, out of fold): {f1.f1:.4f}  true {f1.tp}  wrong {f1.fp}  missed {f1.fn}")
    for kind, n in sorted(classes.items()):
        print(f"  {kind}: {n}")
        for e, what in random.Random(0).sample(samples[kind], min(args.show, len(samples[kind]))):
            print(f"      {e.article['id']} ({e.article.get('lang')}): {what}  gold {e.gold['regions']}")
    for lang, scores in sorted(by_lang.items()):
        counts = ", ".join(f"{k.split(':')[0]} {k.split(': ')[1]} {n}" for k, n in sorted(lang_classes.get(lang, {}).items()))
        print(f"  {lang}: F1 {scores.f1:.4f} (true {scores.tp}, wrong {scores.fp}, missed {scores.fn}); {counts}")


if __name__ == "__main__":
    main()
