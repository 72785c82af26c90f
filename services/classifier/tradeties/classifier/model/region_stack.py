"""The second stage of the region decision: each candidate re-scored given the first stage's
probabilities of the article's other candidates.

Whether a place is a party depends on the others: a member of a list is one when the list's other
members are ("the governors of ten prefectures"), a venue city is not when its province is one, a
place named in passing is not when the article already has its parties. The first stage
(boosted trees over ``features.ROW_FEATURES``) sees each candidate alone; these columns give the
second stage (learned on the first stage's out-of-fold probabilities, ``training.train``) the
article around it.

Besides the lists the separators find, the others named in the same sentence count: a sentence that
names many places whose first-stage probabilities are high is the article's roll of participants
("the Canadian province of Saskatchewan, the UAE emirate of Abu Dhabi, …", a tour's stops), which
separators alone do not always join. The second stage reads these columns and the candidate's own
first-stage row (``stage_rows``): boosted trees (``training.train``) weigh the context against the
kind of place (a venue city under a party province, a dateline)."""

from __future__ import annotations

import math

import numpy as np

from tradeties.places import Gazetteer

from .region_rows import REGION_FEATURES
from .regions import Region, SentenceCues

CONTEXT_FEATURES = (
    "stage1_logit",
    "gap_to_best",
    "rank",
    "others_above",
    "others_sum",
    "list_best",
    "list_mean",
    "list_share_above",
    "parent_best",
    "child_best",
    "country_best",
    "tie_share",
    "list_size",
    "list_size_x_mean",
    "venue_of_party",
    "list_x_others_above",
    "sentence_others",
    "sentence_mean",
    "sentence_share_above",
    "sentence_others_x_mean",
    "parent_gap",
    "parent_locative",
    "actor_under_party",
    "child_locative",
    "shared_with_parent",
    "level_rank",
    "level_share_above",
    "share_of_best",
)

LOCATIVE = REGION_FEATURES.index("locative")


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def context_rows(
    gaz: Gazetteer,
    regions: list[Region],
    lists: list[list[Region]],
    cues: dict[int, SentenceCues],
    p: np.ndarray,
    threshold: float,
    locative: np.ndarray,
) -> np.ndarray:
    """One row of ``CONTEXT_FEATURES`` per candidate, from the first stage's probabilities ``p``
    (their cut ``threshold``); ``lists``: the candidates' lists (``region_rows.place_lists``, kept on
    the analysis); ``locative``: each one's share of mentions after "in", "à", "在"… ."""
    if not regions:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    ids = {r.place.id: i for i, r in enumerate(regions)}
    parents = [[ids[a.id] for a in gaz.ancestors(r.place) if a.id in ids] for r in regions]
    children: list[list[int]] = [[] for _ in regions]
    for k, ps in enumerate(parents):
        for j in ps:
            children[j].append(k)
    member = {id(r): [[x for x in chain if x is not r] for chain in lists if any(x is r for x in chain)] for r in regions}
    tie = {i for i, c in cues.items() if c.tie or c.event >= 3}
    sentences = [{m.sentence.index for m in r.mentions} for r in regions]
    in_sentence: dict[int, set[int]] = {}
    for k, named in enumerate(sentences):
        for s in named:
            in_sentence.setdefault(s, set()).add(k)
    strong = [mine & tie for mine in sentences]
    all_strong = set().union(*strong)
    above = p >= threshold
    best, total, n_all_above = float(p.max()), p.sum(), int(above.sum())
    rows = []
    for i, r in enumerate(regions):
        others = [ids[x.place.id] for chain in member[id(r)] for x in chain]
        lp = p[others] if others else np.zeros(0)
        same = [k for k, x in enumerate(regions) if k != i and x.place.country == r.place.country]
        size = math.log1p(max((len(chain) + 1 for chain in member[id(r)]), default=0))
        parent = max((float(p[k]) for k in parents[i]), default=0.0)
        n_above = math.log1p(n_all_above - int(above[i]))
        mine = sentences[i]
        near = sorted(set().union(*(in_sentence[s] for s in mine)) - {i})
        n_near = math.log1p(max(len(in_sentence[s]) - 1 for s in mine))
        near_mean = float(p[near].mean()) if near else 0.0
        top_parent = max(parents[i], key=lambda k: p[k], default=None)
        top_child = max(children[i], key=lambda k: p[k], default=None)
        with_parent = set().union(*(sentences[k] for k in parents[i]))
        level = [k for k in same if regions[k].place.level == r.place.level]
        rows.append(
            [
                _logit(float(p[i])),
                float(p[i]) - best,
                math.log1p(int((p > p[i]).sum())),
                n_above,
                math.log1p(float(total - p[i])),
                float(lp.max()) if others else 0.0,
                float(lp.mean()) if others else 0.0,
                float((lp >= threshold).mean()) if others else 0.0,
                parent,
                max((float(p[k]) for k in children[i]), default=0.0),
                max((float(p[k]) for k in same), default=0.0),
                len(strong[i]) / len(all_strong) if all_strong else 0.0,
                # a list's members share their role; a venue city under a party province is not one
                size,
                size * (float(lp.mean()) if others else 0.0),
                parent * float(locative[i]),
                n_above * float(bool(others)),
                # the others named in its sentences: a roll of participants, a tour's stops
                n_near,
                near_mean,
                float((p[near] >= threshold).mean()) if near else 0.0,
                n_near * near_mean,
                # a venue city beside its host province: how far the province stands above it, how
                # each is worded (located "in X" or acting), and whether they are named together
                parent - float(p[i]) if parents[i] else 0.0,
                float(locative[top_parent]) if top_parent is not None else 0.0,
                parent * (1.0 - float(locative[i])),
                float(locative[top_child]) if top_child is not None else 0.0,
                len(mine & with_parent) / len(mine),
                # where it stands among its same-level siblings of its country (a summit's provinces)
                math.log1p(sum(p[k] > p[i] for k in level)),
                float((p[level] >= threshold).mean()) if level else 0.0,
                float(p[i]) / best if best > 0 else 0.0,
            ]
        )
    return np.asarray(rows, dtype=float)


def stage_rows(
    gaz: Gazetteer,
    regions: list[Region],
    lists: list[list[Region]],
    cues: dict[int, SentenceCues],
    p: np.ndarray,
    threshold: float,
    region_x: np.ndarray,
) -> np.ndarray:
    """The second stage's rows: ``CONTEXT_FEATURES``, then the candidate's own first-stage row
    ``region_x`` (``features.ROW_FEATURES``)."""
    if not regions:
        return np.zeros((0, len(CONTEXT_FEATURES) + region_x.shape[1]))
    return np.hstack([context_rows(gaz, regions, lists, cues, p, threshold, region_x[:, LOCATIVE]), region_x])
