"""The rule layer as feature extractors: one pass over a document gives the evidence every learned
decision (relevance gate, region roles, event types and primary type, sectors) is taken from.

Gazetteer places, lexicon hits, sentence cues, the salience heuristic, official roles and the
delegation-direction words are kept as they are; their outputs become numbers here and the weights
that turn them into decisions are learned (..training.train, data/model.json). Change FEATURE_VERSION
with any change to what a feature means: the shipped model is then stale (a test says so)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tradeties.common.language import detect
from tradeties.places import Gazetteer
from tradeties.places.text import Hit, Sentence, fold_aligned, sentence_at, split_sentences

from .delegation import direction_evidence, find_delegation, nation_direction
from .document import Document
from .labels import LabelScore, headline_verbs, pick_events, pick_sectors, score_labels
from .lexicon import EVENT_TYPES, SECTORS, Lexicon
from .region_context import dateline
from .region_rows import HEURISTIC_PARTY, REGION_FEATURES, log1p_pos, place_lists, region_rows
from .regions import CAPITALS, Region, SentenceCues, from_parties, qualifiers, resolve, score_regions, sentence_cues
from .venue import act_share, fair_share, venue_share, visit_share
from .wordbag import folded_bag

FEATURE_VERSION = "20"

# a candidate's row: region_rows' features, then the direction words around its nation's name,
# its nation's share of the venues named, its share of mentions beside a trade fair, its share
# governed by a verb of visiting or stopping and its nation's share of the places where a signing or
# meeting is held or whose name hosts (venue.py)
ROW_FEATURES = REGION_FEATURES + (
    "nation_origin_evidence",
    "nation_destination_evidence",
    "venue_country_share",
    "fair_city",
    "visited",
    "act_country_share",
)

DOC_FEATURES = (
    [
        "rule_relevance",
        "best_salience",
        "n_parties",
        "cross_border",
        "foreign_cue",
        "national_only",
        "n_party_countries",
        "n_country_names",
        "event_total",
        "tie_sentences",
        "local_actors",
        "national_actors",
        "comparison_cues",
        "log_length",
        "place_in_title",
        "tie_share",
        "n_places",
        "n_place_countries",
        "capital_share",
        "best_non_capital_salience",
        "national_minus_local",
        "sport_cues",
        "domestic_share",
        "national_in_title",
        "foreign_countries_named",
        "best_supported_salience",
    ]
    + [f"event:{t}" for t in EVENT_TYPES]
    + [f"title:{t}" for t in EVENT_TYPES]
)


# direction evidence, on the delegation_visit row of the event rows only (zero elsewhere): a visit
# told beside a fair, an office opening or a signing has travellers and hosts even where its
# visit words are few
VISIT_FEATURES = (
    "visit:origin_words",
    "visit:destination_words",
    "visit:rule_pair",
    "visit:travel_sentences",
    "visit:nation_words",
)


# the headline's own predicate per event type (labels.headline_verbs), on the event and primary rows:
# the primary type is what the headline reports, and its verb says which of the types it names
# (shared columns: a per-type copy of the first verb scored lower in grouped CV)
VERB_FEATURES = ("verb:title", "verb:first", "verb:lead")


def label_feature_names(labels: tuple[str, ...]) -> list[str]:
    return (
        [
            "evidence",
            "title",
            "lead",
            "share_of_top",
            "is_top",
            "top2",
            "rule_chosen",
            "rule_primary",
            "title_first",
            "title_only",
        ]
        + [f"is:{k}" for k in labels]
        + [f"evidence:{k}" for k in labels]
        + [f"title:{k}" for k in labels]
    )


def event_feature_names(decision: str = "event") -> list[str]:
    """The event rows' columns a decision reads: the primary type (what the headline reports) reads
    the label evidence only; direction words say a visit happened, not that it is the news."""
    return label_feature_names(EVENT_TYPES) + list(VERB_FEATURES) + (list(VISIT_FEATURES) if decision == "event" else [])


def event_rows(a: Analysis, decision: str) -> np.ndarray:
    return a.event_x if decision == "event" else a.event_x[:, : len(event_feature_names("primary"))]


@dataclass
class Analysis:
    """Everything a decision needs about one document; ``*_x`` are the feature rows."""

    doc: Document
    text: str
    sentences: list[Sentence]
    language: str | None
    regions: list[Region]
    country_hits: list[Hit]
    cues: dict[int, SentenceCues]
    delegation_sentences: set[int]
    doc_x: np.ndarray
    region_x: np.ndarray
    event_x: np.ndarray
    sector_x: np.ndarray
    event_scores: dict[str, LabelScore] = field(default_factory=dict)
    sector_scores: dict[str, LabelScore] = field(default_factory=dict)
    words: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # wordbag.bag of the document
    lists: list[list[Region]] = field(default_factory=list)  # region_rows.place_lists of the candidates


def label_rows(
    scores: dict[str, LabelScore], labels: tuple[str, ...], chosen: set[str], primary: str | None = None
) -> np.ndarray:
    """One row per label: its evidence, where it stands, what the hand-set rules chose (``chosen``,
    ``primary``) and which label it is (so one model with shared weights serves all labels and
    still learns each one's own scale)."""
    values = {k: scores[k].score if k in scores else 0.0 for k in labels}
    top = max(values.values(), default=0.0)
    ranked = sorted(labels, key=lambda k: -values[k])
    in_title = sorted((scores[k].title_first, k) for k in labels if k in scores and scores[k].title_first < 10**6)
    rows = []
    for k in labels:
        s = scores.get(k)
        ev = log1p_pos(values[k])
        onehot = [1.0 if j == k else 0.0 for j in labels]
        title = log1p_pos(s.title_score) if s else 0.0
        rows.append(
            [
                ev,
                title,
                log1p_pos(s.lead_score) if s else 0.0,
                values[k] / top if top > 0 else 0.0,
                float(values[k] > 0 and values[k] == top),
                float(values[k] > 0 and k in ranked[:2]),
                float(k in chosen),
                float(k == primary),
                float(bool(in_title) and in_title[0][1] == k),
                float(len(in_title) == 1 and in_title[0][1] == k),
            ]
            + onehot
            + [ev * o for o in onehot]
            + [title * o for o in onehot]
        )
    return np.asarray(rows, dtype=float)


def _supported(r: Region, regions: list[Region], named: set[str]) -> bool:
    return r.place.country in named or any(x is not r and x.place.country == r.place.country for x in regions)


def _share_of_majority(countries: list[str]) -> float:
    return max(countries.count(c) for c in countries) / len(countries) if countries else 0.0


def _cross_border(mentions, country_hits: list[Hit], sentences: list[Sentence], tie_sentences: set[int]) -> bool:
    """One sentence about a tie names places or nations of two countries, one through a
    sub-national place (the title and the first body sentence count as one unit; the nation the
    headline names is in play in every tie sentence)."""
    first_body = next((s.index for s in sentences if not s.in_title), 0)

    def unit(i: int) -> int:
        return -1 if (sentences[i].in_title or i == first_body) else i

    places: dict[int, set[str]] = {}
    nations: dict[int, set[str]] = {}
    for m in mentions:
        places.setdefault(unit(m.sentence.index), set()).add(m.place.country)
    for h in country_hits:
        nations.setdefault(unit(sentence_at(sentences, h.start).index), set()).update(h.value)
    headline = {c for h in country_hits if sentence_at(sentences, h.start).in_title for c in h.value}
    return any(u in places and len(places[u] | nations.get(u, set()) | headline) >= 2 for u in {unit(i) for i in tie_sentences})


def _rule_relevance(best: float, cross: bool, foreign: bool, event_score: float, national_only: bool) -> float:
    """The hand-set relevance of model lexgaz-1.2, kept as one feature among others."""
    region = min(1.0, max(0.0, (best - 0.5) / 0.8)) * (0.1 if national_only else 1.0)
    intl = 1.0 if cross else (0.6 if foreign else 0.1)
    return region**0.5 * intl**0.5 * (1 - math.exp(-event_score / 6)) ** 0.25


def _travelling_officials(scores: dict[str, LabelScore], cues: dict[int, SentenceCues]) -> None:
    """A travel word beside a local official ("travelled to the fair with the region's governor")."""
    visit = scores.get("delegation_visit")
    if visit is not None:
        visit.score += min(2, sum(1 for c in cues.values() if c.travel and c.local))


def _visit_columns(
    direction: tuple[dict[str, float], dict[str, float]],
    rule_pair: object,
    cues: dict[int, SentenceCues],
    nation_origin: dict[str, float],
    nation_dest: dict[str, float],
) -> np.ndarray:
    """VISIT_FEATURES as columns of the event rows: the values on delegation_visit's row, 0 on the others."""
    origin, dest = direction
    values = [
        log1p_pos(max(origin.values(), default=0.0)),
        log1p_pos(max(dest.values(), default=0.0)),
        float(rule_pair is not None),
        log1p_pos(sum(1 for c in cues.values() if c.travel)),
        log1p_pos(max(nation_origin.values(), default=0.0) + max(nation_dest.values(), default=0.0)),
    ]
    out = np.zeros((len(EVENT_TYPES), len(VISIT_FEATURES)))
    out[EVENT_TYPES.index("delegation_visit")] = values
    return out


def analyse(gaz: Gazetteer, lex: Lexicon, doc: Document) -> Analysis:
    text, sentences = split_sentences(doc.title.strip(), doc.text)
    folded = fold_aligned(text)
    body_at = len(text) - len(doc.text)  # the headline, a blank line, then the body (split_sentences)
    language = (doc.lang.split("-")[0].split("_")[0].lower() or None) if doc.lang else detect(text)
    place_hits = gaz.place_matcher.find(text, folded)
    country_hits = gaz.country_matcher.find(text, folded)
    term_hits = lex.find(text, folded, language)
    cues = sentence_cues(term_hits, sentences)
    mentions, margins = resolve(gaz, text, place_hits, country_hits, sentences)
    qualifier = qualifiers(gaz, text, mentions)
    from_party = from_parties(text, mentions, cues)
    regions = score_regions(mentions, margins, cues, qualifier, from_party)
    parties = [r for r in regions if r.score >= HEURISTIC_PARTY]

    tie_sentences = {i for i, c in cues.items() if c.tie or c.event >= 3}
    event_scores = score_labels(term_hits.get("event", []), sentences, EVENT_TYPES, tie_sentences)
    _travelling_officials(event_scores, cues)
    sector_scores = score_labels(term_hits.get("sector", []), sentences, SECTORS, tie_sentences, enumerations=True)
    picked, rule_primary = pick_events(
        {k: LabelScore(v.id, v.score, v.evidence, v.title_score, v.lead_score) for k, v in event_scores.items()}
    )
    rule_events = [e.id for e in picked]
    delegation_sentences = {
        sentence_at(sentences, h.start).index
        for h in term_hits.get("event", [])
        if any(t.label == "delegation_visit" for t in h.value)
    }

    cross = _cross_border(mentions, country_hits, sentences, tie_sentences)
    place_sentences = {m.sentence.index for m in mentions}
    foreign = any(c.foreign for i, c in cues.items() if i in tie_sentences and i in place_sentences)
    national = sum(c.national for c in cues.values())
    local = sum(c.local for c in cues.values())
    national_only = national >= 2 and local == 0 and all(r.place.id in CAPITALS for r in parties)
    best = max((r.score for r in parties), default=0.0)
    named = {c for h in country_hits for c in h.value}
    event_total = sum(s.score for s in event_scores.values())
    n_tie = len(tie_sentences)
    doc_x = (
        [
            _rule_relevance(best, cross, foreign, event_total, national_only),
            max(-1.0, min(best, 2.0)),
            log1p_pos(len(parties)),
            float(cross),
            float(foreign),
            float(national_only),
            log1p_pos(len({r.place.country for r in parties})),
            log1p_pos(len(country_hits)),
            log1p_pos(event_total),
            log1p_pos(n_tie),
            log1p_pos(local),
            log1p_pos(national),
            log1p_pos(sum(c.mention for c in cues.values())),
            math.log(len(text) + 10),
            float(any(m.sentence.in_title for m in mentions)),
            n_tie / len(sentences),
            log1p_pos(len(regions)),
            log1p_pos(len({m.place.country for m in mentions})),
            # national framing: the "parties" are capitals and the actors ministers (a foreign-policy story)
            sum(r.place.id in CAPITALS for r in parties) / max(1, len(parties)),
            max(-1.0, min(2.0, max((r.score for r in parties if r.place.id not in CAPITALS), default=0.0))),
            math.copysign(log1p_pos(abs(national - local)), national - local),
            log1p_pos(len(term_hits.get("sport", []))),
            # a domestic story: the parties and the nations named all of one country
            _share_of_majority([r.place.country for r in parties]),
            float(any(cues.get(s.index, SentenceCues()).national for s in sentences if s.in_title)),
            log1p_pos(len({c for h in country_hits for c in h.value} - {r.place.country for r in parties})),
            # a party whose country the text names, or backs with another place of it ("San Isidro"
            # alone in a Madrid story is no Peruvian party)
            max(-1.0, min(2.0, max((r.score for r in parties if _supported(r, regions, named)), default=0.0))),
        ]
        + [log1p_pos(event_scores[t].score) if t in event_scores else 0.0 for t in EVENT_TYPES]
        + [log1p_pos(event_scores[t].title_score) if t in event_scores else 0.0 for t in EVENT_TYPES]
    )

    rule_origin = rule_dest = None
    if parties and delegation_sentences:
        rule_origin, rule_dest = find_delegation(text, parties, sentences, delegation_sentences)
    direction = direction_evidence(text, regions, sentences, delegation_sentences)
    lists = place_lists(text, regions, country_hits)  # read again by the region decision's second stage
    region_x = region_rows(
        gaz,
        text,
        regions,
        cues,
        {mentions[i].place.id for i in from_party},
        rule_origin,
        rule_dest,
        direction,
        named,
        dateline(gaz, text, sentences, mentions),
        lists,
    )
    nation_origin, nation_dest = nation_direction(text, country_hits, sentences, delegation_sentences)
    venues = venue_share(text, regions, country_hits, sentences, tie_sentences | delegation_sentences, language)
    acts = act_share(text, regions, country_hits, sentences, language)
    region_x = np.hstack(
        [
            region_x,
            np.asarray(
                [
                    [
                        log1p_pos(nation_origin.get(r.place.country, 0.0)),
                        log1p_pos(nation_dest.get(r.place.country, 0.0)),
                        venues.get(r.place.country, 0.0),
                        fair_share(text, r),
                        visit_share(text, r),
                        acts.get(r.place.country, 0.0),
                    ]
                    for r in regions
                ]
            ).reshape(-1, 6),
        ]
    )
    return Analysis(
        doc,
        text,
        sentences,
        language,
        regions,
        country_hits,
        cues,
        delegation_sentences,
        np.asarray(doc_x, dtype=float),
        region_x,
        np.hstack(
            [
                label_rows(event_scores, EVENT_TYPES, set(rule_events), rule_primary),
                headline_verbs(term_hits.get("headline", []), sentences, EVENT_TYPES),
                _visit_columns(direction, rule_origin or rule_dest, cues, nation_origin, nation_dest),
            ]
        ),
        label_rows(sector_scores, SECTORS, {s.id for s in pick_sectors(sector_scores)}),
        event_scores,
        sector_scores,
        folded_bag(folded[: max(0, body_at - 2)], folded[body_at:]),
        lists,
    )
