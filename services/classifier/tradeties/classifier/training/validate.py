"""Honest figures: k-fold cross-validation grouped by batch, real negatives judged by models that
never saw their publisher, and the 181 real pages of ../shared/benchmarks/article-extraction as a
pure test set (never used to train, tune or choose a threshold).

Every labelled article is predicted by a model trained (and its thresholds chosen) without the
article's group: one writer's batches, any other corpus file, or one real-news publisher. The folds are
GroupKFold over those groups; inside each fold, training.train chooses the thresholds on its own
inner grouped folds."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from tradeties.common.events import Classification

from ..model.classifier import Classifier
from ..model.document import Document
from ..model.learned import Weights
from ..model.lexicon import EVENT_TYPES, SECTORS
from .evaluate import _F1, evaluate
from .train import Example, Sources, examples, train

OUTER_FOLDS = 10
HEADLINE = (
    "relevance_f1",
    "regions_micro_f1",
    "event_types_micro_f1",
    "primary_accuracy",
    "sectors_micro_f1",
    "delegation_origin_accuracy",
    "delegation_destination_accuracy",
)


def cross_validated(exs: list[Example], folds: int = OUTER_FOLDS) -> list[Classification]:
    from sklearn.model_selection import GroupKFold

    groups = [e.group for e in exs]
    preds: list[Classification | None] = [None] * len(exs)
    for train_idx, test_idx in GroupKFold(n_splits=min(folds, len(set(groups)))).split(exs, groups=groups):
        clf = Classifier(weights=Weights.from_json(train([exs[i] for i in train_idx])))
        for i in test_idx:
            preds[i] = clf.decide(exs[i].analysis)
    return preds  # type: ignore[return-value]


def per_label(articles: list[dict], preds: list[Classification]) -> dict[str, float]:
    out: dict[str, float] = {}
    for field, labels in (("event_types", EVENT_TYPES), ("sectors", SECTORS)):
        for label in labels:
            f = _F1()
            for a, p in zip(articles, preds, strict=True):
                f.add({1} if label in a["labels"][field] else set(), {1} if label in {x.id for x in getattr(p, field)} else set())
            out[f"{field}:{label}"] = round(f.f1, 3)
    return out


def pages_relevant(clf: Classifier, ground_truth: Path) -> tuple[int, list[str]]:
    """Real news pages (ground-truth article bodies, the text extraction should yield) called relevant."""
    pages = json.loads(ground_truth.read_text(encoding="utf-8"))
    hits = [
        k
        for k, v in sorted(pages.items())
        if (v.get("articleBody") or "").strip() and clf.classify(Document(id=k, title="", text=v["articleBody"])).relevant
    ]
    return len(pages), hits


def write_predictions(path: Path, exs: list[Example], preds: list[Classification]) -> None:
    """Each labelled article's gold labels beside its out-of-fold verdict, a JSON line each (for
    reading the errors behind the figures)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for e, p in zip(exs, preds, strict=True):
            verdict = p.model_dump(
                mode="json",
                include={"relevant", "relevance", "regions", "event_types", "primary_event_type", "sectors", "delegation"},
            )
            row = {
                "id": e.article["id"],
                "lang": e.article.get("lang"),
                "group": e.group,
                "gold": e.article.get("labels"),
                "predicted": verdict,
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def report(sources: Sources, folds: int = OUTER_FOLDS, predictions: Path | None = None) -> dict:
    exs = examples(sources)
    preds = cross_validated(exs, folds)
    if predictions is not None:
        write_predictions(predictions, exs, preds)
    corpus = [(e, p) for e, p in zip(exs, preds, strict=True) if not e.real_negative]
    negatives = [(e, p) for e, p in zip(exs, preds, strict=True) if e.real_negative]
    arts, cps = [e.article for e, _ in corpus], [p for _, p in corpus]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(arts):
        by_lang[a.get("lang") or "?"].append(i)
    out = {
        "method": f"GroupKFold({min(folds, len({e.group for e in exs}))}) over batches and publishers",
        "groups": sorted({e.group for e in exs if not e.real_negative}),
        "overall": evaluate(arts, cps),
        "per_language": {lang: evaluate([arts[i] for i in idx], [cps[i] for i in idx]) for lang, idx in sorted(by_lang.items())},
        "per_label": per_label(arts, cps),
        "real_negatives": {
            "articles": len(negatives),
            "false_positives": [e.article["id"] for e, p in negatives if p.relevant],
            "false_alerts": [e.article["id"] for e, p in negatives if p.delegation is not None],
        },
    }
    truth = sources.root.parent / "shared" / "benchmarks" / "article-extraction" / "ground-truth.json"
    if truth.is_file():
        n, hits = pages_relevant(Classifier(weights=Weights.from_json(train(exs))), truth)
        out["benchmark_pages"] = {"pages": n, "relevant": hits}
    return out


def table(rep: dict) -> str:
    cols = ("articles",) + HEADLINE
    head = ["data"] + ["n", "relevance", "regions", "events", "primary", "sectors", "origin", "destination"]
    rows = [["all (grouped CV)"] + [rep["overall"][c] for c in cols]]
    rows += [[f"lang {k}"] + [v[c] for c in cols] for k, v in rep["per_language"].items()]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in rows:
        lines.append(" | ".join([r[0], str(r[1])] + [f"{x:.3f}" for x in r[2:]]))
    neg = rep["real_negatives"]
    lines.append(
        f"\nreal negatives called relevant (model without the publisher): {len(neg['false_positives'])} "
        f"of {neg['articles']} {neg['false_positives']}; delegation alerts: {len(neg['false_alerts'])}"
    )
    if "benchmark_pages" in rep:
        b = rep["benchmark_pages"]
        lines.append(
            f"benchmark pages called relevant (test set, final model): {len(b['relevant'])} of {b['pages']} {b['relevant']}"
        )
    lines.append("per label F1: " + ", ".join(f"{k.split(':')[1]} {v:.2f}" for k, v in rep["per_label"].items()))
    return "\n".join(lines)
