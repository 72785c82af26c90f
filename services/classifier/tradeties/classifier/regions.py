"""Place mentions → resolved regions with a salience score: which of them are parties to the tie.

Ambiguous names are resolved against the document's other evidence (countries named, other
places of a candidate's country, its parent region nearby: "Birmingham, Alabama"). A region's
salience grows with title/lead position, with tie and event cues and local actors in the
sentences naming it, and with repetition; comparisons ("eclipsed by Shanghai") and national
actors around a capital lower it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Place
from .text import Hit, Sentence, fold, sentence_at

CAPITALS = {"CN:Beijing", "GB:London", "US:Washington, D.C.", "DE:Berlin", "FR:Paris", "JP:Tokyo", "KR:Seoul",
            "IT:Rome", "ES:Madrid", "IN:New Delhi", "RU:Moscow", "CA:Ottawa", "AU:Canberra"}


@dataclass
class SentenceCues:
    tie: int = 0
    event: float = 0.0
    mention: int = 0
    local: int = 0
    national: int = 0
    foreign: int = 0
    travel: int = 0  # delegation/visit terms: a capital named here is a stop of the trip


@dataclass
class Mention:
    place: Place
    start: int
    end: int
    surface: str
    sentence: Sentence


@dataclass
class Region:
    place: Place
    mentions: list[Mention] = field(default_factory=list)
    score: float = 0.0
    margin: float = 1.0  # how clearly the name resolved to this place rather than another

    @property
    def first(self) -> Mention:
        return self.mentions[0]


HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "dame", "mayor", "councillor", "governor", "professor", "prof", "lord",
              "lady", "herr", "frau", "m", "mme", "president", "chairman", "director", "minister", "secretary"}
NOT_NAMES = {"the", "in", "from", "and", "to", "of", "at", "for", "with", "by", "on", "a", "an", "as", "new", "greater",
             "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "der", "die",
             "das", "le", "la", "les", "du", "de", "des", "city", "province", "state", "county", "china", "chinese",
             "british", "german", "french", "uk", "us", "while", "but", "when", "after", "before", "since", "both"}
_TOKEN = re.compile(r"([A-Za-zÀ-ÿ][\w'’.-]*)\W*$")


# Capitalised words that may follow a place name ("Birmingham City Council", "Hong Kong Trade
# Development Council"); any other capitalised word after a town's name makes it a first name
# ("Vladimir Putin", "Lawrence Summers").
INSTITUTION_WORDS = {"city", "council", "university", "airport", "port", "province", "provincial", "county", "state",
                     "mayor", "chamber", "science", "trade", "business", "international", "metropolitan", "municipal",
                     "region", "regional", "capital", "economic", "development", "bay", "area", "district", "new",
                     "free", "high", "hi-tech", "industrial", "technology", "innovation", "stock", "group",
                     "center", "centre", "office", "government", "expo", "fair", "summit", "forum", "festival", "park",
                     "zone", "and", "or", "the", "in", "to", "of", "on", "for", "at", "ltd", "co", "plc", "gmbh", "ag",
                     "sa", "inc", "corp", "corporation", "company", "holdings", "hospital", "school", "college",
                     "institute", "academy", "museum", "station", "road", "street", "line", "railway", "harbour",
                     "delegation", "mission", "consulate", "embassy", "bureau", "commission", "authority",
                     "partnership", "alliance", "network", "cluster", "valley", "engine", "powerhouse", "delta"}
_NEXT = re.compile(r"^[ ]+([A-Z][\w'’-]*)")


def looks_like_person(text: str, start: int, place: Place, end: int | None = None) -> bool:
    """'Mayor Joe Anderson', 'Chris Allen', 'ZF Friedrichshafen AG': a small place's name right
    after a first name or honorific is a person's or company's name, not the place; so is a
    town's name followed by a surname ('Vladimir Putin')."""
    if place.prior >= 0.85 or place.level not in ("city", "district") or place.id in CAPITALS:
        return False
    if end is not None:
        nxt = _NEXT.match(text[end:end + 30])
        if nxt and nxt.group(1).lower() not in INSTITUTION_WORDS and not nxt.group(1).isupper():
            return True
    before = text[max(0, start - 25):start]
    m = _TOKEN.search(before)
    if not m or before[m.end(1):].strip(" ") != "":
        return False
    tok = m.group(1).rstrip(".")
    if tok.lower() in HONORIFICS:
        return True
    return tok[0].isupper() and not tok.isupper() and tok.lower() not in NOT_NAMES


def resolve(gaz: Gazetteer, text: str, hits: list[Hit[tuple[str, ...]]], country_hits: list[Hit[tuple[str, ...]]],
            sentences: list[Sentence]) -> tuple[list[Mention], dict[int, float]]:
    """Pick one place per hit. Returns the mentions and, per mention index, the resolution margin."""
    country_spans = [(h.start, h.end) for h in country_hits]
    hits = [h for h in hits if not any(s <= h.start and h.end <= e for s, e in country_spans)]
    evidence: Counter[str] = Counter(v for h in country_hits for v in h.value)
    unambiguous = {h.value[0] for h in hits if len(h.value) == 1}
    # Countries the text is clearly about: named, or holding a prominent place it names. A small
    # town counts only where its country is in play ("George", "David", "Auch" are not places in
    # a story about Washington politics).
    in_play: Counter[str] = Counter(evidence)
    for pid in unambiguous:
        p = gaz.get(pid)
        if p:
            evidence[p.country] += 1
            if _prominent(p):
                in_play[p.country] += 1
    context_ids = set(unambiguous)
    for pid in list(unambiguous):
        p = gaz.get(pid)
        if p:
            context_ids |= {a.id for a in gaz.ancestors(p)}
    mentions: list[Mention] = []
    margins: dict[int, float] = {}
    for h in hits:
        cands = [p for p in (gaz.get(v) for v in h.value)
                 if p is not None and not looks_like_person(text, h.start, p, h.end)]
        if cands:
            # a foreign city's name inside the story's own region: "Lagos" in a Chilean story is
            # Los Lagos, not Nigeria's Lagos (a country better evidenced than the city's own)
            top = max(evidence[p.country] for p in cands)
            cands += [p for p in map(gaz.get, gaz.shadowing.get(fold(h.surface), ())) if p and evidence[p.country] > top]
        after = text[h.end:h.end + 40]
        before = text[max(0, h.start - 40):h.start]
        cands = [p for p in cands if _prominent(p) or in_play[p.country] > 0
                 or any(a.id in context_ids or a.name in after or a.name in before for a in gaz.ancestors(p))]
        if not cands:
            continue
        scored = []
        for p in cands:
            s = p.prior + 0.35 * min(evidence[p.country], 3)
            anc = gaz.ancestors(p)
            if any(a.id in context_ids for a in anc):
                s += 0.6
            if any(a.name in after or a.name in before for a in anc[:2]):
                s += 1.0
            scored.append((s, p))
        scored.sort(key=lambda t: -t[0])
        best = scored[0][1]
        margins[len(mentions)] = 1.0 if len(scored) == 1 else min(1.0, 0.5 + (scored[0][0] - scored[1][0]))
        mentions.append(Mention(best, h.start, h.end, h.surface, sentence_at(sentences, h.start)))
    return mentions, margins


def _prominent(p: Place) -> bool:
    """Provinces, partnerships, capitals and cities of ~400,000+ people stand on their own."""
    return p.level not in ("city", "district") or p.prior >= 0.6 or p.id in CAPITALS


def qualifiers(gaz: Gazetteer, text: str, mentions: list[Mention]) -> set[int]:
    """Indexes of mentions that only locate a neighbouring mention: the province in "Dalian,
    Liaoning" / "辽宁省大连市" / "Erfurt, the capital of Thuringia"."""
    out: set[int] = set()
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if a.sentence.index != b.sentence.index or b.start - a.end > 30:
            continue
        gap = text[a.end:b.start]
        if any(ch in gap for ch in ".;:!?()"):
            continue
        if b.place.id in {p.id for p in gaz.ancestors(a.place)}:
            out.add(i + 1)
        elif a.place.id in {p.id for p in gaz.ancestors(b.place)} and (len(gap.strip(" ,")) <= 9 or _LOCATING.match(gap)):
            out.add(i)
    return out


# "Jiangsu province, where Suzhou is located", "Liaoning province, of which Shenyang is the capital"
_LOCATING = re.compile(r"^\s*(?:province|state|region|prefecture|Provinz|Bundesland|région|province)?\s*,?\s*"
                       r"(?:where|of which|whose capital(?: is)?|in which|with (?:its|the) capital|wo|dont|où|"
                       r"mit der Hauptstadt|avec (?:sa|pour) capitale)\b", re.IGNORECASE)
_FROM = re.compile(r"(?:\bfrom|\baus|venus? de|venues? de|originaires? de|来自)\s*(?:the\s+|der\s+|la\s+)?$", re.IGNORECASE)
_LIST_SEP = re.compile(r"^\s*(?:,|and|und|et|和|、|与)\s*$")


def from_parties(text: str, mentions: list[Mention], cues: dict[int, SentenceCues]) -> set[int]:
    """Mentions introduced as where the travellers or firms come from ("companies from Nottingham,
    Leicester and Coventry", "Unternehmen aus Dresden") in or next to a sentence about the tie."""
    out: set[int] = set()
    for i, m in enumerate(mentions):
        c = cues.get(m.sentence.index, SentenceCues())
        prev = cues.get(m.sentence.index - 1, SentenceCues())
        if not (c.tie or c.event >= 3 or prev.tie or prev.event >= 3):
            continue
        if _FROM.search(text[max(m.sentence.start, m.start - 12):m.start]):
            out.add(i)
        elif i - 1 in out and mentions[i - 1].sentence.index == m.sentence.index \
                and _LIST_SEP.match(text[mentions[i - 1].end:m.start]):
            out.add(i)
    return out


def score_regions(mentions: list[Mention], margins: dict[int, float], cues: dict[int, SentenceCues],
                  qualifier: set[int] = frozenset(), from_party: set[int] = frozenset()) -> list[Region]:
    by_id: dict[str, Region] = {}
    boosted = {mentions[i].place.id for i in from_party}
    for i, m in enumerate(mentions):
        if i in qualifier:
            q = by_id.setdefault(m.place.id, Region(m.place))
            q.margin = min(q.margin, margins.get(i, 1.0))
            continue
        r = by_id.setdefault(m.place.id, Region(m.place))
        r.mentions.append(m)
        r.margin = min(r.margin, margins.get(i, 1.0))
    for r in list(by_id.values()):
        if not r.mentions:
            # named only as the province of a city: kept as a mention with the city's evidence
            r.mentions = [m for i, m in enumerate(mentions) if i in qualifier and m.place.id == r.place.id]
            r.score = -1.0
            continue
        s = 0.0
        sentences = {m.sentence.index: m.sentence for m in r.mentions}
        if any(sen.in_title for sen in sentences.values()):
            s += 0.5
        if any(sen.paragraph <= 2 and not sen.in_title for sen in sentences.values()):
            s += 0.2
        cue_hits = 0.0
        for sen in sentences.values():
            c = cues.get(sen.index, SentenceCues())
            strong = c.tie > 0 or c.event >= 3
            if strong and c.national and not c.local:
                cue_hits += 0.1  # an ambassador's or minister's framing, not the tie itself
            elif strong:
                cue_hits += 0.3 + (0.1 if c.local else 0.0)
            elif c.event > 0:
                cue_hits += 0.15
            if c.mention and not strong:
                cue_hits -= 0.15
        if any(cues.get(i, SentenceCues()).mention for i in sentences) and not any(sen.in_title for sen in sentences.values()):
            cue_hits -= 0.15  # named in a comparison somewhere: background more than party
        s += max(-0.3, min(cue_hits, 0.8))
        s += min(0.3, 0.1 * (len(r.mentions) - 1))
        if r.place.id in boosted:
            s += 0.2
        if r.place.id in CAPITALS and not any(cues.get(i, SentenceCues()).travel for i in sentences):
            # a national capital is a sub-national party only when local actors speak for it or a
            # delegation travels there
            nat = sum(cues.get(i, SentenceCues()).national for i in sentences)
            loc = sum(cues.get(i, SentenceCues()).local for i in sentences)
            if nat > loc:
                s -= 0.6
            elif nat == loc:
                s -= 0.3
        if r.place.level == "province-or-state" and r.place.prior < 0.5:
            s -= 0.2  # England, Scotland, Washington state without "state": usually national shorthand
        r.score = s
    return sorted(by_id.values(), key=lambda r: (-r.score, r.first.start))


def sentence_cues(term_hits: dict[str, list[Hit]], sentences: list[Sentence]) -> dict[int, SentenceCues]:
    cues: dict[int, SentenceCues] = defaultdict(SentenceCues)
    for kind, hits in term_hits.items():
        for h in hits:
            c = cues[sentence_at(sentences, h.start).index]
            if kind == "event":
                c.event += max(t.weight for t in h.value)
                c.travel += any(t.label == "delegation_visit" for t in h.value)
            elif kind in ("tie", "mention", "local", "national", "foreign"):
                setattr(c, kind, getattr(c, kind) + 1)
    return cues
