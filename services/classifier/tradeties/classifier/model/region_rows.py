"""The feature rows of a document's candidate regions (``REGION_FEATURES``, one row a region): what
the region, origin and destination decisions are learned from. ``features.analyse`` builds them;
FEATURE_VERSION there changes with any change to what a feature here means."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from tradeties.places import Gazetteer, Place
from tradeties.places.text import Hit

from .officials import official_role
from .region_context import at_dateline, foreign_company, own_actor_share, person_share
from .regions import CAPITALS, Region, SentenceCues

HEURISTIC_PARTY = 0.3  # salience from which the rule layer calls a region a party

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


def log1p_pos(x: float) -> float:
    return math.log1p(max(0.0, x))


def region_rows(
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
    lists: Sequence[list[Region]] = (),
) -> np.ndarray:
    if not regions:
        return np.zeros((0, len(REGION_FEATURES)))
    ids = {r.place.id: r for r in regions}
    ancestors = {r.place.id: [a.id for a in gaz.ancestors(r.place)] for r in regions}
    countries = [r.place.country for r in regions for _ in r.mentions]
    majority = max(sorted(set(countries)), key=countries.count) if countries else None
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
                log1p_pos(len(r.mentions)),
                log1p_pos(len(strong)),
                log1p_pos(sum(1 for c in strong if c.local)),
                log1p_pos(sum(1 for c in strong if c.national and not c.local)),
                log1p_pos(sum(1 for c in cs if c.mention)),
                log1p_pos(sum(1 for c in cs if c.travel)),
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
                log1p_pos(len(regions)),
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
                log1p_pos(max((len(c) for c in mine), default=0)),
                max(-1.0, min(2.0, max(others, default=0.0))),
                log1p_pos(origin.get(r.place.id, 0.0)),
                log1p_pos(dest.get(r.place.id, 0.0)),
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
                log1p_pos(max((origin.get(k, 0.0) for k in children), default=0.0)),
                log1p_pos(max((dest.get(k, 0.0) for k in children), default=0.0)),
                log1p_pos(max((dest.get(k, 0.0) for k in parents), default=0.0)),
                actors[r.place.id],
                max((actors[k] for k in parents), default=0.0),
                # a province whose own government acts hosts for the city it names; one that only
                # locates the city ("West Midlands businesses") does not
                actors[r.place.id] * float(bool(children)),
            ]
        )
    return np.asarray(rows, dtype=float)


def place_lists(text: str, regions: list[Region], countries: Sequence[Hit] = ()) -> list[list[Region]]:
    """Chains of places named one after the other with only separators between them: the members
    of a list share their role (the governors of ten prefectures at a summit, a tour's stops)."""
    owner = sorted(((m, r) for r in regions for m in r.mentions), key=lambda t: t[0].start)
    in_country = {k for h in countries for k in range(h.start, h.end)}
    chains: list[list[Region]] = []
    current: list[Region] = []
    for (a, ra), (b, rb) in zip(owner, owner[1:], strict=False):
        # a nation's name between two members does not end the list ("匈牙利佩斯州、捷克南摩拉维亚州")
        near = a.sentence.index == b.sentence.index and b.start - a.end <= 32
        if near and _LIST_GAP.match("".join(ch for k, ch in enumerate(text[a.end : b.start], a.end) if k not in in_country)):
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
