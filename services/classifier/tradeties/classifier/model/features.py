"""The rule layer as feature extractors: one pass over a document gives the evidence every learned
decision (relevance gate, region roles, event types and primary type, sectors) is taken from.

Gazetteer places, lexicon hits, sentence cues, the salience heuristic, official roles and the
delegation-direction words are kept as they are; their outputs become numbers here and the weights
that turn them into decisions are learned (..training.train, data/model.json). Change FEATURE_VERSION
with any change to what a feature means: the shipped model is then stale (a test says so)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from tradeties.common.language import detect
from tradeties.places import Gazetteer, Place
from tradeties.places.text import Hit, Sentence, fold_aligned, sentence_at, split_sentences

from .delegation import direction_evidence, find_delegation
from .document import Document
from .labels import LabelScore, pick_events, pick_sectors, score_labels
from .lexicon import EVENT_TYPES, SECTORS, Lexicon
from .officials import official_role
from .region_context import at_dateline, dateline, foreign_company, own_actor_share, person_share
from .regions import CAPITALS, Region, SentenceCues, from_parties, qualifiers, resolve, score_regions, sentence_cues
from .wordbag import bag

FEATURE_VERSION = "9"
HEURISTIC_PARTY = 0.3  # salience from which the rule layer calls a region a party

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
REGION_FEATURES = (
    "salience",
    "in_title",
    "in_lead",
    "mentions",
    "tie_sentences",
    "local_tie_sentences",
    "national_tie_sentences",
    "comparison_sentences",
    "travel_sentences",
    "capital",
    "province",
    "city",
    "district",
    "partnership",
    "prior",
    "margin",
    "qualifier_only",
    "from_party",
    "official_travels",
    "official_hosts",
    "has_child",
    "has_parent",
    "parent_more_salient",
    "rank",
    "first_position",
    "country_share",
    "majority_country",
    "alone_in_country",
    "rule_origin",
    "rule_destination",
    "rule_party",
    "n_regions",
    "locative",
    "based",
    "sentence_subject",
    "possessive",
    "one_sentence",
    "same_level_sibling",
    "in_list",
    "list_size",
    "list_best_salience",
    "origin_evidence",
    "destination_evidence",
    "origin_share",
    "destination_share",
    "word_elsewhere",
    "country_named",
    "dateline",
    "dateline_country",
    "venue_of_named_parent",
    "person_context",
    "foreign_company",
    "child_origin_evidence",
    "child_destination_evidence",
    "parent_destination_evidence",
    "own_actor",
    "parent_own_actor",
    "acting_with_child",
)

# the word right before a place that makes it a venue ("in Shenzhen", "à Lyon", "在上海"), and
# the words that make it a firm's home ("Jiangsu-based", "basée à")
_LOCATIVE = re.compile(r"(?:\b(?:in|at|à|en|im|in der|a|nel|nella|dans|au|aux)\s+(?:the\s+)?|在|于)$", re.IGNORECASE)
# what may stand between two members of a list of places ("Jilin, Liaoning and Shandong",
# "吉林省、黑龙江省", "Baviera e Lombardia")
_LIST_GAP = re.compile(
    r"^\s*(?:(?:province|state|prefecture|county|region|Provinz|région|provincia|regione|省|市|县|縣|州|"
    r"道|府|都|区|自治区|边疆区)\s*)?(?:,|、|，|;|/|and|und|et|y|e|o|or|oder|ou|和|及|与|以及|・|as well as|"
    r"sowie|ainsi que)?\s*(?:,\s*)?(?:and\s+|und\s+|et\s+)?(?:the\s+)?"
    # "les préfectures d'Ishikawa, de Kumamoto", "la provincia di Trento e di Bolzano"
    r"(?:(?:de|d['’]|di|del|della|des|du|von|of|la|le|les|los|las|il|lo)\s*)?$",
    re.IGNORECASE,
)
_BASED = re.compile(r"^(?:-based|\s+based|-born)|^(?:[\s-]*(?:basierte?n?|ansässige?n?))", re.IGNORECASE)
_BASED_BEFORE = re.compile(
    r"(?:based in|headquartered in|basée? à|siège (?:social )?(?:est )?à|Sitz in|总部位于|总部设在)\s*$", re.IGNORECASE
)


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


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


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
        ev = _log(values[k])
        onehot = [1.0 if j == k else 0.0 for j in labels]
        title = _log(s.title_score) if s else 0.0
        rows.append(
            [
                ev,
                title,
                _log(s.lead_score) if s else 0.0,
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


def analyse(gaz: Gazetteer, lex: Lexicon, doc: Document) -> Analysis:
    text, sentences = split_sentences(doc.title.strip(), doc.text)
    folded = fold_aligned(text)
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
            _log(len(parties)),
            float(cross),
            float(foreign),
            float(national_only),
            _log(len({r.place.country for r in parties})),
            _log(len(country_hits)),
            _log(event_total),
            _log(n_tie),
            _log(local),
            _log(national),
            _log(sum(c.mention for c in cues.values())),
            math.log(len(text) + 10),
            float(any(m.sentence.in_title for m in mentions)),
            n_tie / len(sentences),
            _log(len(regions)),
            _log(len({m.place.country for m in mentions})),
            # national framing: the "parties" are capitals and the actors ministers (a foreign-policy story)
            sum(r.place.id in CAPITALS for r in parties) / max(1, len(parties)),
            max(-1.0, min(2.0, max((r.score for r in parties if r.place.id not in CAPITALS), default=0.0))),
            math.copysign(_log(abs(national - local)), national - local),
            _log(len(term_hits.get("sport", []))),
            # a domestic story: the parties and the nations named all of one country
            _share_of_majority([r.place.country for r in parties]),
            float(any(cues.get(s.index, SentenceCues()).national for s in sentences if s.in_title)),
            _log(len({c for h in country_hits for c in h.value} - {r.place.country for r in parties})),
            # a party whose country the text names, or backs with another place of it ("San Isidro"
            # alone in a Madrid story is no Peruvian party)
            max(-1.0, min(2.0, max((r.score for r in parties if _supported(r, regions, named)), default=0.0))),
        ]
        + [_log(event_scores[t].score) if t in event_scores else 0.0 for t in EVENT_TYPES]
        + [_log(event_scores[t].title_score) if t in event_scores else 0.0 for t in EVENT_TYPES]
    )

    rule_origin = rule_dest = None
    if parties and delegation_sentences:
        rule_origin, rule_dest = find_delegation(text, parties, sentences, delegation_sentences)
    direction = direction_evidence(text, regions, sentences, delegation_sentences)
    region_x = _region_rows(
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
        country_hits,
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
        label_rows(event_scores, EVENT_TYPES, set(rule_events), rule_primary),
        label_rows(sector_scores, SECTORS, {s.id for s in pick_sectors(sector_scores)}),
        event_scores,
        sector_scores,
        bag(doc.title, doc.text),
    )


def _region_rows(
    gaz: Gazetteer,
    text: str,
    regions: list[Region],
    cues: dict[int, SentenceCues],
    from_party: set[str],
    rule_origin: Region | None,
    rule_dest: Region | None,
    direction: tuple[dict[str, float], dict[str, float]],
    named: set[str],
    dated: Place | None = None,
    countries_named: list[Hit] = (),
) -> np.ndarray:
    if not regions:
        return np.zeros((0, len(REGION_FEATURES)))
    ids = {r.place.id: r for r in regions}
    ancestors = {r.place.id: [a.id for a in gaz.ancestors(r.place)] for r in regions}
    countries = [r.place.country for r in regions for _ in r.mentions]
    majority = max(sorted(set(countries)), key=countries.count) if countries else None
    lists = _lists(text, regions, countries_named)
    # "Auch" the French town, or German "auch" (also) at a sentence start: the word written in
    # lower case elsewhere in the text
    words = set(re.findall(r"[^\W\d_]+", text))
    origin, dest = direction
    top_o, top_d = max(origin.values(), default=0.0), max(dest.values(), default=0.0)
    actors = {r.place.id: own_actor_share(text, r) for r in regions}
    rows = []
    for rank, r in enumerate(regions):
        mine = [chain for chain in lists if any(x is r for x in chain)]
        others = [x.score for chain in mine for x in chain if x is not r]
        sens = {m.sentence.index for m in r.mentions}
        cs = [cues.get(i, SentenceCues()) for i in sens]
        strong = [c for c in cs if c.tie or c.event >= 3]
        roles = [official_role(text, m.start, m.end, m.sentence.start, m.sentence.end) for m in r.mentions]
        parents = [a for a in ancestors[r.place.id] if a in ids]
        children = [k for k, anc in ancestors.items() if r.place.id in anc]
        level = r.place.level
        locative = sum(bool(_LOCATIVE.search(text[max(0, m.start - 12) : m.start])) for m in r.mentions) / len(r.mentions)
        rows.append(
            [
                max(-1.0, min(r.score, 2.0)),
                float(any(m.sentence.in_title for m in r.mentions)),
                float(any(m.sentence.paragraph <= 2 and not m.sentence.in_title for m in r.mentions)),
                _log(len(r.mentions)),
                _log(len(strong)),
                _log(sum(1 for c in strong if c.local)),
                _log(sum(1 for c in strong if c.national and not c.local)),
                _log(sum(1 for c in cs if c.mention)),
                _log(sum(1 for c in cs if c.travel)),
                float(r.place.id in CAPITALS),
                float(level == "province-or-state"),
                float(level == "city"),
                float(level == "district"),
                float(level not in ("province-or-state", "city", "district")),
                r.place.prior,
                r.margin,
                float(r.score == -1.0),
                float(r.place.id in from_party),
                float("origin" in roles),
                float("destination" in roles),
                float(bool(children)),
                float(bool(parents)),
                float(any(ids[p].score > r.score for p in parents)),
                math.log1p(rank),
                r.first.start / max(1, len(text)),
                countries.count(r.place.country) / max(1, len(countries)),
                float(r.place.country == majority),
                float(sum(x.place.country == r.place.country for x in regions) == 1),
                float(r is rule_origin),
                float(r is rule_dest),
                float(r.score >= HEURISTIC_PARTY),
                _log(len(regions)),
                locative,
                float(
                    any(
                        _BASED.match(text[m.end : m.end + 12]) or _BASED_BEFORE.search(text[max(0, m.start - 30) : m.start])
                        for m in r.mentions
                    )
                ),
                sum(m.start - m.sentence.start <= 4 for m in r.mentions) / len(r.mentions),
                float(any(text[m.end : m.end + 2] in ("'s", "’s") for m in r.mentions)),
                float(len(sens) == 1),
                float(any(x is not r and x.place.level == level and x.place.country == r.place.country for x in regions)),
                float(bool(mine)),
                _log(max((len(c) for c in mine), default=0)),
                max(-1.0, min(2.0, max(others, default=0.0))),
                _log(origin.get(r.place.id, 0.0)),
                _log(dest.get(r.place.id, 0.0)),
                origin.get(r.place.id, 0.0) / top_o if top_o else 0.0,
                dest.get(r.place.id, 0.0) / top_d if top_d else 0.0,
                float(any(m.surface.lower() in words and m.surface.lower() != m.surface for m in r.mentions)),
                float(r.place.country in named),
                float(at_dateline(gaz, r, dated)),
                float(dated is not None and dated.country == r.place.country),
                # a city named where things happen, inside a province the text also names: the venue of a host
                locative * float(bool(parents)),
                person_share(text, r),
                foreign_company(r, regions),
                # the host province of a venue city carries the city's direction words (LABELS.md)
                _log(max((origin.get(k, 0.0) for k in children), default=0.0)),
                _log(max((dest.get(k, 0.0) for k in children), default=0.0)),
                _log(max((dest.get(k, 0.0) for k in parents), default=0.0)),
                actors[r.place.id],
                max((actors[k] for k in parents), default=0.0),
                # a province whose own government acts hosts for the city it names; one that only
                # locates the city ("West Midlands businesses") does not
                actors[r.place.id] * float(bool(children)),
            ]
        )
    return np.asarray(rows, dtype=float)


def _lists(text: str, regions: list[Region], countries: list[Hit] = ()) -> list[list[Region]]:
    """Chains of places named one after the other with only separators between them: the members
    of a list share their role (the governors of ten prefectures at a summit, a tour's stops)."""
    owner = sorted(((m, r) for r in regions for m in r.mentions), key=lambda t: t[0].start)
    in_country = {k for h in countries for k in range(h.start, h.end)}
    chains: list[list[Region]] = []
    current: list[Region] = []
    for (a, ra), (b, rb) in zip(owner, owner[1:], strict=False):
        # a nation's name between two members does not end the list ("匈牙利佩斯州、捷克南摩拉维亚州")
        gap = "".join(ch for k, ch in enumerate(text[a.end : b.start], a.end) if k not in in_country)
        if a.sentence.index == b.sentence.index and b.start - a.end <= 32 and _LIST_GAP.match(gap):
            current = current or [ra]
            if rb not in current:
                current.append(rb)
        else:
            if len(current) >= 2:
                chains.append(current)
            current = []
    if len(current) >= 2:
        chains.append(current)
    return chains
