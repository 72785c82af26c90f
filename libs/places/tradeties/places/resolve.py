"""Resolution: each name the automaton finds → one place, from the text's own evidence.

Countries named and places of a candidate's country weigh for it; a parent named nearby
("Birmingham, Alabama", "Columbus, Ohio") or in the article (a place of the same state or county)
decides between namesakes, then the population prior. A town below ~15,000 people is taken only
with such a parent in the article. Names that are a person's or an organisation's ("Mayor Joe
Anderson", "Chris Allen") are rejected."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .capitals import CAPITALS
from .gazetteer import Gazetteer, gazetteer
from .naming import GENERIC_WORDS
from .people import NameCues
from .place import Place
from .text import Hit, Sentence, fold, sentence_at

SMALL = 0.2  # prior of a town of ~15,000 people


@dataclass
class Mention:
    place: Place
    start: int
    end: int
    surface: str
    sentence: Sentence


# A division's type word in the name written ("Chonburi Province", "Moravian-Silesian Region",
# "Province of Treviso", "Capital Region of Denmark", "Región de Murcia")
_TYPE_WORD = re.compile(
    r"\b(?:Region|Province|County|Prefecture|Governorate|Oblast|Voivodeship|Voivodship|Krai|Canton|"
    r"Department|Division|Emirate|Autonomous Okrug|Región|Région|Regione|Provincia|Provinz|Département|"
    r"Departamento|Regierungsbezirk|Kanton)\b",
    re.IGNORECASE,
)
_GENERIC_CORE = re.compile(r"^(?:(?:the|of|de|du|del|di|la|le)\s+)*|\s+(?:of|de|du|del|di)$", re.IGNORECASE)


_DIVISIONS = ("province-or-state", "prefecture-or-county")


def _typed_division(gaz: Gazetteer, h: Hit) -> str | None:
    """The one division a name written with its type word names ("Chonburi Province", "Moravian-Silesian
    Region", "Province of Treviso", "Capital Region of Denmark"): named for sure, as a prominent place
    is, even where its bare name is weak (a Czech region, a Thai province). Not where the rest is a
    generic word ("Western Province", "Région du Nord": several countries' divisions, read with their
    country) or several divisions bear the name."""
    if _TYPE_WORD.search(h.surface) is None or _generic_typed(h.surface):
        return None
    divisions = [v for v in h.value if (p := gaz.get(v)) is not None and p.level in _DIVISIONS]
    return divisions[0] if len(divisions) == 1 else None


def _generic_typed(surface: str) -> bool:
    """A type word after a generic word or none ("Western Province", "Région du Nord", "Region")."""
    core = _TYPE_WORD.sub(" ", surface)
    return core != surface and fold(_GENERIC_CORE.sub("", " ".join(core.split()))) in GENERIC_WORDS | {""}


_STATE_CUE = re.compile(r"\b(?:statewide|the state\b|state's|governor|Gov\.|legislature|upstate|counties)", re.IGNORECASE)


def resolve(
    gaz: Gazetteer,
    text: str,
    hits: list[Hit[tuple[str, ...]]],
    country_hits: list[Hit[tuple[str, ...]]],
    sentences: list[Sentence],
) -> tuple[list[Mention], dict[int, float]]:
    """Pick one place per hit. Returns the mentions and, per mention index, the resolution margin."""
    country_spans = [(h.start, h.end) for h in country_hits]
    hits = [h for h in hits if not any(s <= h.start and h.end <= e for s, e in country_spans)]
    evidence: Counter[str] = Counter(v for h in country_hits for v in h.value)
    # Places the text names for sure: a hit's only candidate of a town's size or more (its
    # namesakes, if any, all villages); they and their parents are the article's context.
    lower = _lowercase_words(text)
    sure: set[str] = set()
    typed = {i: t for i, h in enumerate(hits) if (t := _typed_division(gaz, h))}
    # countries a name of the article may stand for by a prominent place (Gaza: Palestine), whose
    # towns named by an alternate name ("Jabalia") are borne out
    possible: Counter[str] = Counter()
    for i, h in enumerate(hits):
        standing = [p for p in map(gaz.get, h.value) if p and (_prominent(p) or p.id == typed.get(i))]
        possible.update({p.country for p in standing if not _weak_alternate(gaz, h, p)})
        towns = [
            p
            for p in map(gaz.get, h.value)
            if p is not None
            and (p.prior >= SMALL or _prominent(p))
            and not _weak_alternate(gaz, h, p)
            and not _misspelt(gaz, h, p)
            and not _sentence_word(text, h, sentences, lower)
        ]
        # a division and its city of one name (暹粒省, Zagreb) are one reading here
        above = {a.id for p in towns for a in gaz.ancestors(p)}
        towns = [p for p in towns if p.id not in above]
        if len(towns) == 1:
            sure.add(towns[0].id)
    # Countries the text is clearly about: named, or holding a prominent place it names. A small
    # town counts only where its country is in play ("George", "David", "Auch" are not places in
    # a story about Washington politics).
    in_play: Counter[str] = Counter(evidence)
    context_ids = set(sure)
    for pid in sure:
        p = gaz.get(pid)
        if p:
            evidence[p.country] += 1
            # (a division named with its type word puts its country in play, as a prominent place does)
            in_play[p.country] += _prominent(p) or pid in typed.values()
            context_ids |= {a.id for a in gaz.ancestors(p)}
    # coherence: the first-level divisions that several names could lie in are the article's region
    # ("Madison County" and "Richmond" both have a Kentucky reading)
    states: Counter[str] = Counter()
    for h in hits:
        states.update({_state(gaz, p) for p in map(gaz.get, h.value) if p is not None} - {None})
    # one sense per article: a name that is a person's somewhere ("Bob Moore", "Moore said") is
    # that person's wherever a lesser place would be read ("Moore added")
    cues = [NameCues(text, h.start, h.end, gaz.nouns) for h in hits]
    people: set[str] = set()
    for h, c in zip(hits, cues, strict=True):
        # an alternate name followed somewhere by a surname ("Ahmad Abu Hilal") is a person's throughout
        alternate = any(v in h.value for v in gaz.alternates.get(fold(h.surface), ()))
        if c.titled_or_speaking or alternate and c.surname_after:
            people.add(fold(h.surface))
    mentions: list[Mention] = []
    margins: dict[int, float] = {}
    for i, (h, cue) in enumerate(zip(hits, cues, strict=True)):
        person = fold(h.surface) in people
        cands = [
            p
            for p in (gaz.get(v) for v in h.value)
            if p is not None
            and (
                p.id == typed.get(i)  # "the Moravian-Silesian Region, whose capital": no person
                or not (person and (not _prominent(p) or p.id in gaz.alternates.get(fold(h.surface), ())))
                and not cue.person(p)
            )
        ]
        if h.surface.isupper() and len(h.surface) <= 3:
            # an abbreviation in capitals reads only the places that have it ("WA" is Western
            # Australia or Washington, never the town Wa in Ghana)
            cands = [p for p in cands if h.surface in p.surfaces]
        if cands:
            # a foreign city's name inside the story's own region: "Lagos" in a Chilean story is
            # Los Lagos, not Nigeria's Lagos (a country better evidenced than the city's own)
            top = max(evidence[p.country] for p in cands)
            cands += [p for p in map(gaz.get, gaz.shadowing.get(fold(h.surface), ())) if p and evidence[p.country] > top]
        near = text[max(0, h.start - 40) : h.start] + " " + text[h.end : h.end + 40]
        after = text[h.end : h.end + 30].lstrip(" ,")
        scored = []
        name = fold(h.surface)
        # a state and a city of one name (New York, Washington): the state where the words around
        # speak of a state ("the state", "Gov.", "legislature", "upstate", "counties")
        levels = {p.level for p in cands if fold(p.name).startswith(name)}
        clash = "province-or-state" in levels and bool(levels & {"city", "district"})
        state_cue = _STATE_CUE.search(text[max(0, h.start - 60) : h.end + 60]) if clash else None
        for p in cands:
            # a parent of the same name is no evidence for its namesake town (the Maule region's
            # town Maule, the state of New York's city)
            parents = gaz.ancestors(p)
            anc = [a for a in parents if name not in gaz.folded_names(a)]
            in_context = any(a.id in context_ids for a in anc)
            # a sure place under a division of its own name (暹粒省) stands as if its parent were context
            own_parent = p.id in sure and len(anc) < len(parents)
            named_near = any(a.name in near for a in anc[:2])
            # "Portland, Maine", "Columbus, Ga.": the parent right after the name decides
            right_after = any(after.startswith(gaz.written_names(a)) for a in anc[:2])
            if _misspelt(gaz, h, p):
                continue  # "Hamás" is no "Hamas" (Hamm), "Campaña" no Campana
            if _sentence_word(text, h, sentences, lower) and not (named_near or right_after):
                continue
            # a city under a million by an alternate name ("Ahmad" for Al Ahmadi) stands with its country or region
            weak = _weak_alternate(gaz, h, p)
            if weak and not (evidence[p.country] or possible[p.country] or in_context or named_near or right_after):
                continue
            if p.level in ("city", "district") and p.prior < SMALL and not (in_context or named_near or right_after):
                continue  # a small town needs its county or state in the article
            named_typed = p.id == typed.get(i)
            if not (_prominent(p) or named_typed) and fold(p.name) in gaz.common_names and not (named_near or right_after):
                continue  # "We", "Michael", "Still": a word or first name unless its state is beside it
            if not (
                _prominent(p)
                or named_typed
                or weak
                or in_play[p.country] > 0
                or in_context
                or own_parent
                or named_near
                or (
                    not in_play
                    and p.prior >= SMALL
                    and p.population == max(c.population for c in cands)
                    and not _generic_typed(h.surface)  # "Western Province" alone: whose?
                )
            ):
                continue  # with no country in play at all, a name's biggest town of ~15,000+ stands
            stated = p.level == "province-or-state" and clash and bool(state_cue)
            scored.append(
                (
                    p.prior
                    + 0.35 * min(evidence[p.country], 3)
                    + 0.6 * in_context
                    + 1.0 * named_near
                    + 1.0 * stated
                    + 0.15 * min(states[_state(gaz, p)] - 1, 4)
                    + 0.8 * right_after,
                    p,
                )
            )
        if not scored:
            continue
        scored.sort(key=lambda t: (-t[0], -t[1].population))
        best = scored[0][1]
        margins[len(mentions)] = 1.0 if len(scored) == 1 else min(1.0, 0.5 + (scored[0][0] - scored[1][0]))
        mentions.append(Mention(best, h.start, h.end, h.surface, sentence_at(sentences, h.start)))
    return mentions, margins


_PUNCT = "\"'“”‘’«»„¿¡()[]-–—.,;:!?…"


def _lowercase_words(text: str) -> set[str]:
    """The words the text writes in lower case (not inside an address: "www.birmingham.gov.uk")."""
    return {w for w in (t.strip(_PUNCT) for t in text.split()) if w.isalpha() and w.islower()}


def _sentence_word(text: str, h: Hit, sentences: list[Sentence], lower: set[str]) -> bool:
    """A capitalised word opening a sentence that the text also writes in lower case: the word ("Para
    ello", "Dabei wurde", "Pueblo"), not a place of that name (Pará, Dubai, Puebla)."""
    if h.surface.lower() not in lower:
        return False
    s = sentence_at(sentences, h.start)
    return not text[s.start : h.start].strip(" \t\n" + _PUNCT)


def _weak_alternate(gaz: Gazetteer, h: Hit, p: Place) -> bool:
    """A city under ~400,000 people read through one of its GeoNames alternate names (build_cities),
    which are often a word or a name elsewhere ("Hamas" for Hamm, "Gente" for Gent): no evidence for
    itself. A prominent city's stand ("Torino", "Firenze")."""
    return not _prominent(p) and p.id in gaz.alternates.get(fold(h.surface), ())


def _misspelt(gaz: Gazetteer, h: Hit, p: Place) -> bool:
    """The text spells the name with a letter that none of the place's names of that fold has: an ñ
    (a letter of its own in Spanish: "Campaña" is no Campana), or any accent on an alternate name
    ("Hamás" is no "Hamas", Hamm's); its own names are read without their accents ("Zurich", "Malaga")."""
    surface = h.surface.replace("’", "'")
    if surface.isascii():
        return False
    key = fold(surface)
    spelt = {s.lower() for s in p.surfaces if fold(s) == key}
    if surface.lower() in spelt:
        return False
    if "ñ" in surface.lower() and not any("ñ" in s for s in spelt):
        return True
    return p.id in gaz.alternates.get(key, ())


def _state(gaz: Gazetteer, p: Place) -> str | None:
    """The first-level division a place lies in (itself for one)."""
    if p.level == "province-or-state":
        return p.id
    top = next((a for a in reversed(gaz.ancestors(p)) if a.level == "province-or-state"), None)
    return top.id if top else None


def _prominent(p: Place) -> bool:
    """Provinces, partnerships, capitals and cities of ~400,000+ people stand on their own."""
    return p.prior >= 0.6 or (p.level not in ("city", "district") and p.prior >= 0.45) or p.id in CAPITALS


def recognise(text: str, title: str = "") -> list[Mention]:
    """Every place named in a text, resolved (offsets index ``title + "\n\n" + text`` when a
    title is given, else ``text``)."""
    from .text import fold_aligned, split_sentences

    gaz = gazetteer()
    full, sentences = split_sentences(title, text)
    folded = fold_aligned(full)
    mentions, _ = resolve(gaz, full, gaz.place_matcher.find(full, folded), gaz.country_matcher.find(full, folded), sentences)
    return mentions
