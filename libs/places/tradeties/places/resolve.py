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


# German writes every noun with a capital, so a town named like a German noun ("Wetter", "Namen",
# "Norden", "Lehre") cannot be told from the noun by its case. One sense per article: where German
# text writes the name after an article or a determiner ("das Wetter", "im Norden", "den Namen"),
# it is the noun throughout, unless its parent is beside it. Sentence adverbs ("Dabei", "Damit") are
# never places in German text. A share of German function words marks the text as German.
_GERMAN_FUNCTION = frozenset(
    "der die das und nicht mit ist ein eine einer auf für sich dem den des zu von im auch wird sind".split()
)
_GERMAN_ADVERBS = frozenset("dabei damit dann doch daher darum deshalb dennoch jedoch zudem trotzdem also sonst".split())
_DETERMINER_DE = (
    r"(?:der|die|das|dem|den|des|im|am|vom|zum|zur|beim|ins|ans|aufs|ein|eine|einem|einen|einer|eines|kein|keine|keinem|keinen"
    r"|diese[mnrs]?|jede[mnrs]?|seine[mnrs]?|ihre[mnrs]?|unsere[mnrs]?|welche[mnrs]?)"
)
# a lower-case word between the determiner and the noun ("das schöne Wetter"), not a preposition
# ("die über Elmshorn", "das in Köln") nor a region's adjective ("im sächsischen Chemnitz")
_ADJECTIVE_DE = (
    r"(?!\w*isch(?:e|en|er|em|es)?\b)"
    r"(?!(?:in|an|auf|aus|bei|bis|durch|für|gegen|hinter|mit|nach|neben|über|um|unter|von|vor|zu|zwischen|seit|ab)\b)"
    r"[a-zäöüß]\w*"
)
_WORD = re.compile(r"\w+")
_BEFORE_PLACE_DE = frozenset(
    "in aus nach bei von bis ab über gen nahe zwischen Stadt Gemeinde Landkreis Kreis Raum Region Ort Großraum Bezirk".split()
)
_ADJECTIVE_ENDINGS = ("isch", "ische", "ischen", "ischer", "isches", "ischem")  # "hessische": the region's adjective

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
    german = _is_german(text)
    worded = _german_words(gaz, text, hits) if german else [False] * len(hits)
    # a German word named as a lesser town needs its region or a word that introduces a place beside it
    nounish = [german and _unsupported_word(gaz, text, h) for h in hits]
    sure: set[str] = set()
    typed = {i: t for i, h in enumerate(hits) if (t := _typed_division(gaz, h))}
    # countries a name of the article may stand for by a prominent place (Gaza: Palestine), whose
    # towns named by an alternate name ("Jabalia") are borne out
    possible: Counter[str] = Counter()
    for i, (h, word, bare) in enumerate(zip(hits, worded, nounish, strict=True)):
        standing = [p for p in map(gaz.get, h.value) if p and (_prominent(p) or p.id == typed.get(i)) and not _noun(word, p)]
        possible.update({p.country for p in standing if not _weak_alternate(gaz, h, p)})
        towns = [
            p
            for p in map(gaz.get, h.value)
            if p is not None
            and (p.prior >= SMALL or _prominent(p))
            and not _weak_alternate(gaz, h, p)
            and not _misspelt(gaz, h, p)
            and not _sentence_word(text, h, sentences, lower)
            and not _noun(word, p)
            and not (bare and _lesser_town(p))
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
    for i, (h, cue, word, bare) in enumerate(zip(hits, cues, worded, nounish, strict=True)):
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
            if (_noun(word, p) or _sentence_word(text, h, sentences, lower)) and not (named_near or right_after):
                continue
            # a city under a million by an alternate name ("Ahmad" for Al Ahmadi) stands with its country or region
            weak = _weak_alternate(gaz, h, p)
            if weak and not (evidence[p.country] or possible[p.country] or in_context or named_near or right_after):
                continue
            if p.level in ("city", "district") and p.prior < SMALL and not (in_context or named_near or right_after):
                continue  # a small town needs its county or state in the article
            if bare and (weak or _lesser_town(p)) and not (in_context or named_near or right_after):
                continue  # "unter falschem Namen" (Namur's alternate), "existenzsichernde Löhne", "mit viel Mut"
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


def _is_german(text: str) -> bool:
    """German text: at least one word in twelve is a German function word."""
    words = _WORD.findall(text[:4000].lower())
    return len(words) >= 20 and sum(w in _GERMAN_FUNCTION for w in words) * 12 >= len(words)


def _german_words(gaz: Gazetteer, text: str, hits: list[Hit[tuple[str, ...]]]) -> list[bool]:
    """Per hit of German text: a German noun that the text writes after a determiner at least as
    often as not ("das Wetter", "im Norden", "die erste Halle": every "Wetter" of the article is the
    noun; "mit der Nürnberg seit 1997 verbunden ist" once among five bare "Nürnberg" is not), or a
    sentence adverb."""
    seen: dict[str, bool] = {}
    out = []
    for h in hits:
        low = h.surface.lower()
        if low in _GERMAN_ADVERBS:
            out.append(True)
        elif h.surface.isupper() or low not in gaz.nouns or low.endswith(_ADJECTIVE_ENDINGS):
            out.append(False)
        else:
            if h.surface not in seen:
                name = re.escape(h.surface) + r"\b"
                # not a modifier of the noun after it ("der Hannover Messe", "des Havanna-Syndroms"); a
                # genitive may follow ("im Norden Israels")
                after_determiner = rf"\b(?i:{_DETERMINER_DE})\s+(?:{_ADJECTIVE_DE}\s+)?{name}(?!-|\s+[A-ZÄÖÜ]\w*[^s\W]\b)"
                seen[h.surface] = 2 * len(re.findall(after_determiner, text)) >= len(re.findall(rf"\b{name}", text))
            out.append(seen[h.surface])
    return out


def _unsupported_word(gaz: Gazetteer, text: str, h: Hit) -> bool:
    """A German word ("Namen", "Mut", "Stein") not right after a word that introduces a place ("in",
    "aus", "Stadt") and not in capitals."""
    if h.surface.isupper() or h.surface.lower() not in gaz.nouns or h.surface.lower().endswith(_ADJECTIVE_ENDINGS):
        return False
    before = _WORD.findall(text[max(0, h.start - 25) : h.start])
    # "Leipzig/Halle", "Freiburg–Besançon": one of a pair of places
    paired = text[max(0, h.start - 1) : h.start] in "/–-" or text[h.end : h.end + 1] in ("/", "–")
    return not (paired or (before and before[-1] in _BEFORE_PLACE_DE))


def _lesser_town(p: Place) -> bool:
    """A town under 150,000 people and not prominent: a German word is no evidence for it."""
    return p.level in ("city", "district") and p.population < 150_000 and not _prominent(p)


def _noun(word: bool, p: Place) -> bool:
    """A town read from a German noun (``_german_words``); regions keep their article in German
    ("das Ruhrgebiet", "die Steiermark"), so the noun test is no evidence against them."""
    return word and p.level in ("city", "district")


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
    or, for a lesser place, an umlaut (letters of their own: "Campaña" is no Campana, "Mühe" no Muhe,
    "Löhne" no Lohne), or any accent on an alternate name
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
    if not _prominent(p) and any(ch in surface.lower() and not any(ch in s for s in spelt) for ch in "äöü"):
        return True  # a lesser place only: German names of regions and capitals lack many of their umlauts here
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
