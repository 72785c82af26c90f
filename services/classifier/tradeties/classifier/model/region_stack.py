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


def _mean(values: list[float]) -> float:
    """numpy's mean of the values, bit for bit: below eight values numpy adds them in order, as
    sum() does; from eight on it adds in eight interleaved partial sums, so numpy is asked."""
    return sum(values) / len(values) if len(values) < 8 else float(np.mean(values))


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
    # plain floats: per candidate these are a few numbers each, where numpy's per-call cost dominates
    # (the means as numpy's, _mean; maxima and counts are exact either way)
    pl = p.tolist()
    above = [q >= threshold for q in pl]
    best, total, n_all_above = max(pl), float(p.sum()), sum(above)
    by_country: dict[str, list[int]] = {}
    for k, r in enumerate(regions):
        by_country.setdefault(r.place.country, []).append(k)
    rows = []
    for i, r in enumerate(regions):
        pi = pl[i]
        lp = [pl[ids[x.place.id]] for chain in member[id(r)] for x in chain]
        lp_mean = _mean(lp) if lp else 0.0
        size = math.log1p(max((len(chain) + 1 for chain in member[id(r)]), default=0))
        parent = max((pl[k] for k in parents[i]), default=0.0)
        n_above = math.log1p(n_all_above - above[i])
        mine = sentences[i]
        near = sorted(set().union(*(in_sentence[s] for s in mine)) - {i})
        n_near = math.log1p(max(len(in_sentence[s]) - 1 for s in mine))
        near_mean = _mean([pl[k] for k in near]) if near else 0.0
        top_parent = max(parents[i], key=lambda k: pl[k], default=None)
        top_child = max(children[i], key=lambda k: pl[k], default=None)
        with_parent = set().union(*(sentences[k] for k in parents[i]))
        level = [k for k in by_country[r.place.country] if k != i and regions[k].place.level == r.place.level]
        rows.append(
            [
                _logit(pi),
                pi - best,
                math.log1p(sum(q > pi for q in pl)),
                n_above,
                math.log1p(total - pi),
                max(lp) if lp else 0.0,
                lp_mean,
                sum(q >= threshold for q in lp) / len(lp) if lp else 0.0,
                parent,
                max((pl[k] for k in children[i]), default=0.0),
                max((pl[k] for k in by_country[r.place.country] if k != i), default=0.0),
                len(strong[i]) / len(all_strong) if all_strong else 0.0,
                # a list's members share their role; a venue city under a party province is not one
                size,
                size * lp_mean,
                parent * float(locative[i]),
                n_above * float(bool(lp)),
                # the others named in its sentences: a roll of participants, a tour's stops
                n_near,
                near_mean,
                sum(pl[k] >= threshold for k in near) / len(near) if near else 0.0,
                n_near * near_mean,
                # a venue city beside its host province: how far the province stands above it, how
                # each is worded (located "in X" or acting), and whether they are named together
                parent - pi if parents[i] else 0.0,
                float(locative[top_parent]) if top_parent is not None else 0.0,
                parent * (1.0 - float(locative[i])),
                float(locative[top_child]) if top_child is not None else 0.0,
                len(mine & with_parent) / len(mine),
                # where it stands among its same-level siblings of its country (a summit's provinces)
                math.log1p(sum(pl[k] > pi for k in level)),
                sum(pl[k] >= threshold for k in level) / len(level) if level else 0.0,
                pi / best if best > 0 else 0.0,
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
