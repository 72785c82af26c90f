"""Where the delegation direction goes wrong, out of fold: every labelled delegation predicted by
the grouped cross-validation of `make evaluate` (training.validate), each slot (origin,
destination) put in one class — ok, lost before the direction (not relevant, no
delegation_visit among the types, the gold place never a candidate), left empty, swapped sides,
the host province for a gold city, a city for a gold province, or another place — counted overall
and per language, and the wrong articles written as TSV.

    .venv/bin/python scripts/direction_errors.py [--tsv errors.tsv]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from tradeties.classifier.training.evaluate import _means
from tradeties.classifier.training.train import Sources, examples
from tradeties.classifier.training.validate import cross_validated
from tradeties.places import gazetteer


def slot_class(gold: list[str], other: list[str], pred: str | None, candidates: list[str], relevant: bool, visit: bool) -> str:
    gaz = gazetteer()
    if not gold:
        return "no gold"
    if pred is not None and any(_means(w, pred) for w in gold):
        return "ok"
    if not relevant:
        return "not relevant"
    if not visit:
        return "no delegation_visit"
    hits = [c for c in candidates if any(_means(w, c) for w in gold)]
    if not hits:
        return "never a candidate"
    if pred is None:
        return "empty"
    if any(_means(w, pred) for w in other):
        return "swapped"
    place = gaz.get(pred)
    if place is not None and any(h in {a.id for a in gaz.ancestors(place)} for h in hits):
        return "city for province"
    if any(pred in {a.id for a in gaz.ancestors(p)} for h in hits if (p := gaz.get(h)) is not None):
        return "province for city"
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tsv", type=Path, help="write the articles with a wrong slot here")
    args = ap.parse_args()
    exs = examples(Sources.default(Path.cwd()))
    preds = cross_validated(exs)
    counts: Counter[tuple[str, str, str]] = Counter()
    wrong = []
    for e, p in zip(exs, preds, strict=True):
        d = e.gold.get("delegation")
        if not d:
            continue
        dests = [w for w in (d["destination"] if isinstance(d["destination"], list) else [d["destination"]]) if w]
        origin = [d["origin"]] if d["origin"] else []
        po = p.delegation.origin.id if p.delegation and p.delegation.origin else None
        pd = p.delegation.destination.id if p.delegation and p.delegation.destination else None
        candidates = [r.place.id for r in e.analysis.regions]
        visit = "delegation_visit" in {t.id for t in p.event_types}
        o = slot_class(origin, dests, po, candidates, p.relevant, visit)
        t = slot_class(dests, origin, pd, candidates, p.relevant, visit)
        lang = e.article.get("lang") or "?"
        for slot, c in (("origin", o), ("destination", t)):
            counts[(slot, c, "all")] += 1
            counts[(slot, c, lang)] += 1
        if (o, t) != ("ok", "ok"):
            wrong.append("\t".join(map(str, (e.article["id"], lang, o, t, d, po, pd, e.article["title"]))))
    langs = sorted({k[2] for k in counts} - {"all"})
    print("slot | class | all | " + " | ".join(langs))
    for slot, c in sorted({(s, c) for s, c, _ in counts}):
        print(f"{slot} | {c} | {counts[(slot, c, 'all')]} | " + " | ".join(str(counts[(slot, c, g)]) for g in langs))
    if args.tsv:
        args.tsv.write_text("\n".join(wrong) + "\n", encoding="utf-8")
        print(f"{len(wrong)} articles with a wrong slot: {args.tsv}", file=sys.stderr)


if __name__ == "__main__":
    main()
