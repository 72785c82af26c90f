"""Quality figures of the classifier on labelled corpora in the seeds schema (LABELS.md).

Principal regions (tags whose role is not "mention") answer a gold "CC:Name" label when they are
the place it resolves to through the gazetteer or a place of that country bearing that name or
alias (case, accents, ASCII spellings: "DE:Duesseldorf" = "DE:Düsseldorf"; "CN:Suzhou" = 苏州 or 宿州);
a gold delegation destination may be a list of equally right answers. Cluster agreement is
pairwise: over every pair of articles, do gold and prediction agree on "same event or not"
(F1 of the same-event pairs, and the Rand index over all pairs)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tradeties.common.events import Classification
from tradeties.places import gazetteer
from tradeties.places.text import fold

from ..model.classifier import Classifier
from ..model.document import Document

TARGETS = {
    "relevance_f1": 0.95,
    "regions_micro_f1": 0.85,
    "event_types_micro_f1": 0.85,  # issue 10
    "primary_accuracy": 0.85,
    "sectors_micro_f1": 0.75,
    "delegation_accuracy": 0.85,
}


def load(paths: Iterable[Path]) -> list[dict]:
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def heldout(article_id: str) -> bool:
    """The held-out split of corpus/dev.jsonl: every fourth article (numeric id divisible by 4)."""
    digits = "".join(ch for ch in article_id if ch.isdigit())
    return article_id.startswith("dev") and digits != "" and int(digits) % 4 == 0


def to_document(a: dict) -> Document:
    return Document(
        id=a["id"],
        title=a["title"],
        text="\n\n".join(a["paragraphs"]),
        lang=a.get("lang"),
        url=a.get("url_path"),
        published=a.get("published"),
    )


# both asked hundreds of thousands of times per training run about a few thousand ids (8 s of 64):
# answers fixed by the process-wide gazetteer
@lru_cache(maxsize=1 << 16)
def _key(region_id: str) -> tuple[str, str]:
    """A region reference → (country, id): the place's id when the gazetteer knows it."""
    place = gazetteer().lookup(region_id)
    if place is not None:
        return place.country, place.id
    cc, _, name = region_id.partition(":")
    return cc, fold(name)


@lru_cache(maxsize=1 << 16)
def _means(label: str, region_id: str) -> bool:
    """Does a predicted region id answer a gold "CC:Name" label? Its own key, or a place of that
    country bearing that name or alias (labels name places, the gazetteer may hold namesakes:
    "CA:Quebec" the province or the city, "CN:Suzhou" 苏州 or 宿州)."""
    if _key(label) == _key(region_id):
        return True
    place = gazetteer().get(region_id)
    cc, _, name = label.partition(":")
    return place is not None and place.country == cc and fold(name) in {fold(s) for s in (place.name, *place.surfaces)}


def _answer(labels: Iterable[str], region_ids: Iterable[str]) -> set:
    """Predicted ids as the gold labels they answer (else as their own keys)."""
    labels = list(labels)
    return {next((_key(g) for g in labels if _means(g, r)), _key(r)) for r in region_ids}


@dataclass
class _F1:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 1.0 if denom == 0 else 2 * self.tp / denom


def _gold_cluster(a: dict) -> str:
    """An article's event cluster; none written means a cluster of its own (LABELS.md: "unique
    otherwise"), not one shared by every article without one."""
    return a["labels"].get("event_cluster") or a["id"]


def evaluate(articles: list[dict], predictions: list[Classification]) -> dict[str, float]:
    rel, regions, events, sectors = _F1(), _F1(), _F1(), _F1()
    primary_ok = primary_n = 0
    deleg_slots_ok = deleg_slots = deleg_both = deleg_n = origin_ok = dest_ok = 0
    for a, p in zip(articles, predictions, strict=True):
        g = a["labels"]
        rel.add({1} if g["relevant"] else set(), {1} if p.relevant else set())
        regions.add({_key(r) for r in g["regions"]}, _answer(g["regions"], [t.id for t in p.regions if t.role != "mention"]))
        events.add(set(g["event_types"]), {e.id for e in p.event_types})
        sectors.add(set(g["sectors"]), {s.id for s in p.sectors})
        if g["relevant"]:
            primary_n += 1
            primary_ok += int(p.primary_event_type == g["primary_event_type"])
        if g.get("delegation"):
            deleg_n += 1
            gd = g["delegation"]
            dests = gd["destination"] if isinstance(gd["destination"], list) else [gd["destination"]]
            po = p.delegation.origin.id if p.delegation and p.delegation.origin else None
            pd = p.delegation.destination.id if p.delegation and p.delegation.destination else None
            o_ok = po is not None and _means(gd["origin"], po)
            d_ok = pd is not None and any(_means(d, pd) for d in dests)
            deleg_slots += 2
            deleg_slots_ok += int(o_ok) + int(d_ok)
            deleg_both += int(o_ok and d_ok)
            origin_ok += int(o_ok)
            dest_ok += int(d_ok)
    pair = _F1()
    agree = total = 0
    for (a1, p1), (a2, p2) in itertools.combinations(zip(articles, predictions, strict=True), 2):
        gsame = _gold_cluster(a1) == _gold_cluster(a2)
        psame = p1.cluster_id == p2.cluster_id
        pair.add({0} if gsame else set(), {0} if psame else set())
        agree += int(gsame == psame)
        total += 1
    return {
        "articles": len(articles),
        "relevance_f1": rel.f1,
        "regions_micro_f1": regions.f1,
        "event_types_micro_f1": events.f1,
        "primary_accuracy": primary_ok / primary_n if primary_n else 1.0,
        "sectors_micro_f1": sectors.f1,
        "delegation_accuracy": deleg_slots_ok / deleg_slots if deleg_slots else 1.0,
        "delegation_both_accuracy": deleg_both / deleg_n if deleg_n else 1.0,
        "delegation_origin_accuracy": origin_ok / deleg_n if deleg_n else 1.0,
        "delegation_destination_accuracy": dest_ok / deleg_n if deleg_n else 1.0,
        "cluster_pair_f1": pair.f1,
        "cluster_rand_index": agree / total if total else 1.0,
    }


def run(paths: Iterable[Path], split: str = "all", classifier: Classifier | None = None) -> dict[str, float]:
    articles = load(paths)
    if split == "heldout":
        articles = [a for a in articles if heldout(a["id"])]
    elif split == "tune":
        articles = [a for a in articles if not heldout(a["id"])]
    clf = classifier or Classifier()
    return evaluate(articles, [clf.classify(to_document(a)) for a in articles])
