"""Learning the classifier's decisions: logistic regression (scikit-learn) over the rule layer's
features (features.py), one model per decision, thresholds chosen on grouped validation folds.

Data: the labelled corpus in the repo (`corpus/*.jsonl`, `corpus/batches/*.jsonl`, the blind batches
of earlier sessions `corpus/blind/*.jsonl`), the seeds and the real general-news negatives read from
../shared at train time (never copied into the repo). One writer's batches (corpus/batches/<writer>-N
and corpus/blind/<writer>), any other corpus file, or one publisher of real negatives is a group:
out-of-fold predictions, from which each threshold is chosen, never come from a model that saw the
group. Deterministic: same files and feature code, same artifact (the solver has no randomness;
folds are not shuffled)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

from tradeties.places import gazetteer

from ..model.features import (
    DOC_FEATURES,
    FEATURE_VERSION,
    ROW_FEATURES,
    Analysis,
    analyse,
    event_feature_names,
    event_rows,
    label_feature_names,
)
from ..model.learned import DECISIONS
from ..model.lexicon import EVENT_TYPES, SECTORS, lexicon
from ..model.region_stack import CONTEXT_FEATURES, stage_rows
from ..model.window_words import TARGETS as WINDOW_TARGETS
from ..model.wordbag import BUCKETS, STACKED, TextModels, label_columns, values
from . import ranking, trees
from .direction import pair_models
from .evaluate import _means, load, to_document
from .fitting import best_threshold, logistic_decision, out_of_fold
from .window import window_models

# the word models' C: compared at 10, 30 and 100 in grouped CV (docs/classifier.md), fixed so that
# one training run stays within a minute
TEXT_C = 30.0
DIRECTION = ("origin", "destination", "side")  # the decisions that also read the window word models
INNER_FOLDS = 5
# decisions that pick one of an article's rows (the travellers' home among its regions, the
# primary type among its event types): conditional logits (ranking.py), C by top-1 accuracy
RANKED = ("origin", "primary")
VISIT = "delegation_visit"
# a real general-news negative weighs this many labelled articles in the relevance fits (word
# model and gate): 125 such articles are the only text of the feed's kind among 6,000 written for
# the corpus. 2 to 20 gave the same labelled F1 in the grouped CV and none of them called relevant;
# unweighted, one or two sit near the cut (docs/classifier.md, session 14)
REAL_NEGATIVE_WEIGHT = 5.0
PUBLISHER = "publisher:"  # a real negative's source and group: one publisher is one validation group
_WRITER_BATCH = re.compile(r"corpus/(?:batches/([a-z]+)-\w+|blind/([a-z]+))\.jsonl")
NEGATIVE_LABELS = {
    "relevant": False,
    "event_types": [],
    "primary_event_type": None,
    "regions": [],
    "countries": [],
    "sectors": [],
    "event_cluster": None,
    "delegation": None,
}


def is_real_negative(group: str) -> bool:
    """A real general-news article's source or group ("publisher:<name>"), as against a labelled one."""
    return group.startswith(PUBLISHER)


@dataclass
class Example:
    source: str  # the corpus file, or "publisher:<name>" for a real negative
    article: dict  # in the seeds schema (LABELS.md)
    analysis: Analysis

    @property
    def real_negative(self) -> bool:
        return is_real_negative(self.source)

    @property
    def group(self) -> str:
        """The cross-validation group: one writer's batches ("corpus/batches/s-2.jsonl" and the blind
        batch "corpus/blind/s.jsonl" -> "writer:s") share a style and sometimes an event told twice,
        so they are held out together."""
        m = _WRITER_BATCH.fullmatch(self.source)
        return f"writer:{m.group(1) or m.group(2)}" if m else self.source

    @property
    def gold(self) -> dict:
        return self.article["labels"]


@dataclass(frozen=True)
class Sources:
    """Training files: labelled batches (repo corpus + shared seeds) and real negatives."""

    root: Path
    batches: tuple[Path, ...]
    negatives: tuple[Path, ...]

    @classmethod
    def default(cls, root: Path) -> Sources:
        shared = root.parent / "shared" / "corpus"
        # blind batches join training once scored: the next session's blind batch is new
        batches = [p for d in ("", "batches", "blind") for p in sorted((root / "corpus" / d).glob("*.jsonl"))]
        seeds = [shared / "seeds.jsonl"] if (shared / "seeds.jsonl").is_file() else []
        negatives = shared / "real-news" / "negatives.jsonl"
        return cls(root, tuple(batches + seeds), (negatives,) if negatives.is_file() else ())

    def name(self, path: Path) -> str:
        path = path.resolve()
        for base, prefix in ((self.root.resolve(), ""), (self.root.resolve().parent, "../")):
            if path.is_relative_to(base):
                return prefix + str(path.relative_to(base))
        return path.name

    def training_hash(self) -> str:
        """What the shipped model was trained from: every training file, the feature code version,
        the lexicon the features read and the places they resolve (the gazetteer's own fingerprint
        and its resolution code)."""
        from tradeties.places.build import fingerprint

        h = hashlib.sha256(f"features={FEATURE_VERSION}\nplaces={fingerprint()}\n".encode())
        h.update((files("tradeties.classifier.model") / "data" / "lexicon.yaml").read_bytes())
        for module in ("resolve.py", "people.py", "capitals.py"):  # the resolution the features rest on
            h.update((files("tradeties.places") / module).read_bytes())
        for p in sorted(self.batches + self.negatives, key=self.name):
            h.update(self.name(p).encode() + b"\n" + p.read_bytes())
        return h.hexdigest()


def examples(sources: Sources) -> list[Example]:
    gaz, lex = gazetteer(), lexicon()
    out: list[Example] = []
    for path in sources.batches:
        out += [Example(sources.name(path), a, analyse(gaz, lex, to_document(a))) for a in load([path])]
    for a in load(sources.negatives):
        article = {
            "id": a["id"],
            "title": a["title"],
            "paragraphs": [a["text"]],
            "lang": a.get("lang"),
            "labels": dict(NEGATIVE_LABELS, event_cluster=a["id"]),
        }
        out.append(Example(f"{PUBLISHER}{a.get('publisher', a['id'])}", article, analyse(gaz, lex, to_document(article))))
    return out


def matrices(exs: list[Example], decision: str, stack: list | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Rows, targets and group of each row for one decision. Region, event, primary and sector
    models learn from the relevant articles (they decide only once the gate says relevant).
    ``stack``: per example, the word models' out-of-fold logits appended to the rows."""
    xs, ys, gs = [], [], []
    for i, e in enumerate(exs):
        g, a = e.gold, e.analysis
        if decision == "relevance":
            xs.append(np.append(a.doc_x, stack[i]["relevance"])[None, :] if stack else a.doc_x[None, :])
            ys.append([float(g["relevant"])])
        elif not g["relevant"]:
            continue
        elif decision == "region":  # a candidate is a party when it answers a gold label (as evaluation counts)
            xs.append(a.region_x)
            ys.append([float(any(_means(gr, r.place.id) for gr in g["regions"])) for r in a.regions])
        elif decision == "side":  # the gold origin's and destinations' rows: is it the travellers' home?
            if not g.get("delegation"):
                continue
            rx = _direction_rows(a, stack[i] if stack else None)
            d = g["delegation"]
            dests = [w for w in (d["destination"] if isinstance(d["destination"], list) else [d["destination"]]) if w]
            travels = [i for i, r in enumerate(a.regions) if d["origin"] and _means(d["origin"], r.place.id)]
            hosts = [i for i, r in enumerate(a.regions) if i not in travels and any(_means(w, r.place.id) for w in dests)]
            xs.append(rx[travels + hosts])
            ys.append([1.0] * len(travels) + [0.0] * len(hosts))
        elif decision in ("origin", "destination"):
            if not g.get("delegation"):
                continue
            want = g["delegation"]["origin" if decision == "origin" else "destination"]
            gold = [w for w in (want if isinstance(want, list) else [want]) if w]
            # the destination is chosen among the other nations' parties once the origin is known:
            # it learns to tell the host from the venue and the passing stops, not from the home side
            home = g["delegation"]["origin"].partition(":")[0] if decision == "destination" and g["delegation"]["origin"] else ""
            keep = [k for k, r in enumerate(a.regions) if r.place.country != home]
            xs.append(_direction_rows(a, stack[i] if stack else None)[keep])
            ys.append([float(any(_means(w, a.regions[k].place.id) for w in gold)) for k in keep])
        elif decision in ("event", "primary"):
            rows = event_rows(a, decision)
            xs.append(np.column_stack([rows, label_columns(stack[i][decision])]) if stack else rows)
            ys.append(
                [float(t in g["event_types"] if decision == "event" else t == g["primary_event_type"]) for t in EVENT_TYPES]
            )
        else:
            xs.append(np.column_stack([a.sector_x, label_columns(stack[i]["sector"])]) if stack else a.sector_x)
            ys.append([float(s in g["sectors"]) for s in SECTORS])
        gs += [e.group] * len(ys[-1])
    width = {
        "relevance": len(DOC_FEATURES),
        "region": len(ROW_FEATURES),
        "origin": len(ROW_FEATURES),
        "destination": len(ROW_FEATURES),
        "side": len(ROW_FEATURES),
        "event": len(event_feature_names("event")),
        "primary": len(event_feature_names("primary")),
        "sector": len(label_feature_names(SECTORS)),
    }[decision]
    if stack and decision in STACKED:
        width += {"relevance": 1, "sector": 1 + len(SECTORS)}.get(decision, 1 + len(EVENT_TYPES))
    if stack and decision in DIRECTION:
        width += len(WINDOW_TARGETS)
    x = np.vstack([m for m in xs if len(m)]) if any(len(m) for m in xs) else np.zeros((0, width))
    return x, np.concatenate([np.asarray(y, dtype=float) for y in ys]) if ys else np.zeros(0), gs


def _direction_rows(a: Analysis, stack: dict | None) -> np.ndarray:
    """The candidates' rows with the window word models' out-of-fold logits appended."""
    return np.hstack([a.region_x, stack["window"]]) if stack else a.region_x


def train(exs: list[Example], folds: int = INNER_FOLDS) -> dict:
    """The artifact: per decision, standardisation, coefficients and a threshold chosen on
    out-of-fold predictions over groups."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # hundreds of tiny fits: BLAS threads only contend (30 s → 2 s on 2 cores)
        return _train(exs, folds)


def _text_targets(exs: list[Example]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per word model, the examples it learns from and their targets: relevance from all, event
    and primary types from the relevant articles."""
    rel = np.flatnonzero([e.gold["relevant"] for e in exs])
    out = {"relevance": (np.arange(len(exs)), np.array([float(e.gold["relevant"]) for e in exs]))}
    for t in EVENT_TYPES:
        out[f"event:{t}"] = (rel, np.array([float(t in exs[i].gold["event_types"]) for i in rel]))
    for t in EVENT_TYPES:
        out[f"primary:{t}"] = (rel, np.array([float(t == exs[i].gold["primary_event_type"]) for i in rel]))
    for s in SECTORS:
        out[f"sector:{s}"] = (rel, np.array([float(s in exs[i].gold["sectors"]) for i in rel]))
    return out


def text_models(exs: list[Example], folds: int) -> tuple[TextModels, list[dict]]:
    """The word models fitted on all of ``exs``, and per example their logits out of fold (from
    a model that never saw the example's group), the inputs the stacked decisions learn from."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows = [e.analysis.words for e in exs]
    bag = sparse.csr_matrix(
        (np.concatenate([values(r) for r in rows]), np.concatenate(rows), np.cumsum([0] + [len(r) for r in rows])),
        shape=(len(exs), 2 * BUCKETS),
    )
    groups = np.array([e.group for e in exs])
    weights = _real_negative_weights(groups)

    def fit(idx: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        if len(set(y)) < 2:
            return np.zeros(2 * BUCKETS), float(np.log((y.mean() + 1e-3) / (1 - y.mean() + 1e-3))) if len(y) else 0.0
        w = weights[idx]  # only the relevance model reads real negatives
        lr = LogisticRegression(C=TEXT_C, solver="liblinear").fit(bag[idx], y, sample_weight=w if (w != 1).any() else None)
        return lr.coef_[0], float(lr.intercept_[0])

    names, coefs, intercepts = [], [], []
    oof = [dict.fromkeys(STACKED, None) for _ in exs]
    for name, (idx, y) in _text_targets(exs).items():
        out = np.zeros(len(idx))
        n = min(folds, len(set(groups[idx])))
        for tr, te in GroupKFold(n_splits=n).split(idx, y, groups[idx]) if n >= 2 else ():
            c, b = fit(idx[tr], y[tr])
            out[te] = bag[idx[te]] @ c + b
        decision, _, label = name.partition(":")
        for i, v in zip(idx, out, strict=True):
            if decision == "relevance":
                oof[i]["relevance"] = v
            else:
                oof[i][decision] = (oof[i][decision] or {}) | {label: v}
        c, b = fit(idx, y)
        names.append(name)
        coefs.append(c)
        intercepts.append(b)
    for o in oof:
        for d, labels in (("event", EVENT_TYPES), ("primary", EVENT_TYPES), ("sector", SECTORS)):
            scores = o[d]
            if scores is not None:
                o[d] = np.array([scores[t] for t in labels])
    return TextModels(tuple(names), np.vstack(coefs), np.array(intercepts)), oof


def decision_model(exs: list[Example], stack: list[dict], decision: str, features: list[str], folds: int) -> dict:
    """One decision's model as the artifact stores it, learned from ``exs`` with the stacked columns."""
    if decision in RANKED:
        blocks = [
            (x, y, e.group) for e, s in zip(exs, stack, strict=True) for x, y, _ in [matrices([e], decision, [s])] if len(y)
        ]
        return ranking.decision(blocks, features, folds)
    x, y, groups = matrices(exs, decision, stack)
    # the visit decides whether the direction runs at all (classifier.py): its own cut
    recall = {VISIT: np.arange(len(y)) % len(EVENT_TYPES) == EVENT_TYPES.index(VISIT)} if decision == "event" else None
    weight = _real_negative_weights(groups) if decision == "relevance" else None
    return logistic_decision(x, y, groups, folds, decision, features, recall, weight)


def _real_negative_weights(groups: list[str] | np.ndarray) -> np.ndarray:
    return np.array([REAL_NEGATIVE_WEIGHT if is_real_negative(g) else 1.0 for g in groups])


def region_models(exs: list[Example], stack: list[dict], features: list[str], folds: int) -> dict:
    """The region decision's two stages, both boosted trees (training/trees.py) with their
    threshold from inner grouped folds: the first over each candidate's row, the second over the
    first's out-of-fold probabilities in their article and the row again (region_stack.py)."""
    x, y, groups = matrices(exs, "region", stack)
    first = out_of_fold(x, y, groups, folds, None)
    threshold = best_threshold(first, y)
    region = {"features": features, "threshold": threshold, "trees": trees.fit(x, y)}
    second = stack_rows(exs, first, threshold)
    return {
        "region": region,
        "region_stack": {
            "features": list(CONTEXT_FEATURES) + features,
            "threshold": best_threshold(out_of_fold(second, y, groups, folds, None, trees.STACK_PARAMS), y),
            "trees": trees.fit(second, y, trees.STACK_PARAMS),
        },
    }


def stack_rows(exs: list[Example], first: np.ndarray, threshold: float) -> np.ndarray:
    """The second stage's rows (region_stack.py) over the first stage's probabilities ``first``,
    in the order of matrices(exs, "region")."""
    gaz, out, k = gazetteer(), [np.zeros((0, len(CONTEXT_FEATURES) + len(ROW_FEATURES)))], 0
    for e in exs:
        a = e.analysis
        if e.gold["relevant"] and a.regions:
            p = first[k : k + len(a.regions)]
            out.append(stage_rows(gaz, a.regions, a.lists, a.cues, p, threshold, a.region_x))
            k += len(a.regions)
    return np.vstack(out)


def _train(exs: list[Example], folds: int) -> dict:
    models = {}
    words = ["text"] + [f"text:{t}" for t in EVENT_TYPES]
    names = {
        "relevance": list(DOC_FEATURES) + ["text"],
        "region": list(ROW_FEATURES),
        "origin": list(ROW_FEATURES) + [f"window:{t}" for t in WINDOW_TARGETS],
        "destination": list(ROW_FEATURES) + [f"window:{t}" for t in WINDOW_TARGETS],
        "side": list(ROW_FEATURES) + [f"window:{t}" for t in WINDOW_TARGETS],
        "event": event_feature_names("event") + words,
        "primary": event_feature_names("primary") + words,
        "sector": label_feature_names(SECTORS) + ["text"] + [f"text:{s}" for s in SECTORS],
    }
    text, stack = text_models(exs, folds)
    window, window_cols = window_models(exs, folds)
    for s, w in zip(stack, window_cols, strict=True):
        s["window"] = w
    models.update(region_models(exs, stack, names["region"], folds))
    models.update(pair_models(exs, window_cols, names["origin"], folds))
    for decision in DECISIONS:
        if decision not in models:
            models[decision] = decision_model(exs, stack, decision, names[decision], folds)
    return {
        "format": 1,
        "feature_version": FEATURE_VERSION,
        "models": models,
        "text": text.to_json(),
        "window": window.to_json(),
    }


def write_artifact(sources: Sources, out: Path) -> dict:
    exs = examples(sources)
    artifact = train(exs)
    artifact["training_hash"] = sources.training_hash()
    artifact["training_files"] = {sources.name(p): sum(1 for e in exs if e.source == sources.name(p)) for p in sources.batches}
    artifact["training_files"]["real negatives"] = sum(1 for e in exs if e.real_negative)
    text = json.dumps(artifact, indent=1, ensure_ascii=False)
    # a list of numbers on one line: the trees' node arrays would otherwise take a line a number
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    out.write_text(text + "\n", encoding="utf-8")
    return artifact


_NUMBER_LIST = re.compile(r"\[\s*([-+0-9.eE,\s]+?)\s*\]")
