"""Place mentions → regions with a salience score: which of them are parties to the tie.

Names are resolved to places by tradeties.places.resolve (re-exported here). A region's
salience grows with title/lead position, with tie and event cues and local actors in the
sentences naming it, and with repetition; comparisons ("eclipsed by Shanghai") and national
actors around a capital lower it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tradeties.places import Gazetteer, Place
from tradeties.places.resolve import CAPITALS, SMALL, Mention, resolve
from tradeties.places.text import Hit, Sentence, sentence_at

__all__ = [
    "CAPITALS",
    "Mention",
    "Region",
    "SentenceCues",
    "from_parties",
    "qualifiers",
    "resolve",
    "score_regions",
    "sentence_cues",
]


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
class Region:
    place: Place
    mentions: list[Mention] = field(default_factory=list)
    score: float = 0.0
    margin: float = 1.0  # how clearly the name resolved to this place rather than another

    @property
    def first(self) -> Mention:
        return self.mentions[0]


def qualifiers(gaz: Gazetteer, text: str, mentions: list[Mention]) -> set[int]:
    """Indexes of mentions that only locate a neighbouring mention: the province in "Dalian,
    Liaoning" / "辽宁省大连市" / "Erfurt, the capital of Thuringia"."""
    out: set[int] = set()
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if a.sentence.index != b.sentence.index or b.start - a.end > 30:
            continue
        gap = text[a.end : b.start]
        if any(ch in gap for ch in ".;:!?()"):
            continue
        if b.place.id in {p.id for p in gaz.ancestors(a.place)}:
            if not _ITS_GOVERNMENT.search(text[b.end : b.sentence.end]):
                out.add(i + 1)
        elif a.place.id in {p.id for p in gaz.ancestors(b.place)} and (len(gap.strip(" ,")) <= 9 or _LOCATING.match(gap)):
            out.add(i)
    return out


# "Jiangsu province, where Suzhou is located", "Liaoning province, of which Shenyang is the capital"
_LOCATING = re.compile(
    r"^\s*(?:province|state|region|prefecture|Provinz|Bundesland|région|province)?\s*,?\s*"
    r"(?:where|of which|whose capital(?: is)?|in which|with (?:its|the) capital|wo|dont|où|"
    r"mit der Hauptstadt|avec (?:sa|pour) capitale)\b",
    re.IGNORECASE,
)
# the located province's own government acting later in its sentence, named only by its rank ("A Nagoya,
# nella prefettura di Aichi, la delegazione incontrerà il governatore", "Monterrey, capital de Nuevo León,
# con el gobierno estatal"): the writers list such a province as a party, so it is no mere qualifier
_ITS_GOVERNMENT = re.compile(
    r"\b(?:(?:state|provincial|prefectural|regional) (?:government|officials|authorities)|governor|premier|"
    r"gobierno (?:estatal|provincial|regional|autonómico)|gobernador|"
    r"governo (?:statale|regionale|provinciale)|governatore|presidente della (?:Regione|Provincia)|"
    r"Landesregierung|Provinzregierung|Staatsregierung|Regierungschef|Ministerpräsident|Gouverneur|"
    r"gouvernement (?:provincial|régional)|gouverneur|conseil régional|président de (?:la )?région)|"
    r"(?:省政府|省长|省委|州政府|州长|大区政府|大区主席|大区官员|県庁|知事)",
    re.IGNORECASE,
)
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
        if _FROM.search(text[max(m.sentence.start, m.start - 12) : m.start]):
            out.add(i)
        elif (
            i - 1 in out
            and mentions[i - 1].sentence.index == m.sentence.index
            and _LIST_SEP.match(text[mentions[i - 1].end : m.start])
        ):
            out.add(i)
    return out


def score_regions(
    mentions: list[Mention],
    margins: dict[int, float],
    cues: dict[int, SentenceCues],
    qualifier: AbstractSet[int] = frozenset(),
    from_party: AbstractSet[int] = frozenset(),
) -> list[Region]:
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
        if r.place.level in ("city", "district") and r.place.prior < SMALL and not r.place.members:
            s -= 0.3  # a town under ~15,000 people is where a plant stands, rarely a party to a tie
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
