"""Names that are a person's or an organisation's, not a place's: "Mayor Joe Anderson", "Chris
Allen", "Wright said", "AC Milan", "Michigan State Spartans"; `resolve` rejects such readings."""

from __future__ import annotations

import re

from .capitals import CAPITALS
from .place import Place

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "dame",
    "mayor",
    "councillor",
    "governor",
    "professor",
    "prof",
    "lord",
    "lady",
    "herr",
    "frau",
    "m",
    "mme",
    "president",
    "chairman",
    "director",
    "minister",
    "secretary",
    "sen",
    "senator",
    "rep",
    "gov",
    "coach",
    "officer",
    "sgt",
    "lt",
    "capt",
    "det",
    "detective",
    "judge",
    "pastor",
    "rev",
    "deputy",
    "sheriff",
    "attorney",
    "commissioner",
    "superintendent",
    "trooper",
    "cpl",
    "gen",
    "col",
    "maj",
    "miss",
    "father",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "son",
    "daughter",
    "wife",
    "husband",
    "mother",
    "chief",
    "councilman",
    "councilwoman",
    "spokesman",
    "spokeswoman",
}
# Sports clubs and state universities named after a place ("AC Milan", "FC Dallas", "Michigan State
# Spartans"); the place is then no place the text names.
_CLUB = re.compile(
    r"(?:\b(?:AC|FC|SC|AS|Inter|Real|Olympique)\s+\|)|(?:^|\|)\s+(?:FC\b|State\s+(?:University|"
    r"Spartans|Buckeyes|Wildcats|Bulldogs|Tigers|Cowboys|Cougars|Sun Devils|Beavers|Aggies)\b)"
)
# A speech verb, an age or a relative clause right after a name: a person ("Wright said", "Moore, 45,")
_SPEAKS = re.compile(
    r"^(?:\s+(?:said|says|told|added|explained|noted|asked|wrote|testified|argued|stated|replied|"
    r"announced|recalled|insisted|agreed|admitted)\b|,\s+(?:\d{1,3},|who\b|whose\b))"
)
NOT_NAMES = {
    "the",
    "in",
    "from",
    "and",
    "to",
    "of",
    "at",
    "for",
    "with",
    "by",
    "on",
    "a",
    "an",
    "as",
    "new",
    "greater",
    "north",
    "south",
    "east",
    "west",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "der",
    "die",
    "das",
    "le",
    "la",
    "les",
    "du",
    "de",
    "des",
    "city",
    "province",
    "region",
    "state",
    "county",
    "china",
    "chinese",
    "british",
    "german",
    "french",
    "uk",
    "us",
    "while",
    "but",
    "when",
    "after",
    "before",
    "since",
    "both",
}
_TOKEN = re.compile(r"([A-Za-zÀ-ÿ][\w'’.-]*)\W*$")


# Capitalised words that may follow a place name ("Birmingham City Council", "Hong Kong Trade
# Development Council"); any other capitalised word after a town's name makes it a first name
# ("Vladimir Putin", "Lawrence Summers").
INSTITUTION_WORDS = {
    "city",
    "council",
    "university",
    "airport",
    "port",
    "province",
    "provincial",
    "county",
    "state",
    "mayor",
    "chamber",
    "science",
    "trade",
    "business",
    "international",
    "metropolitan",
    "municipal",
    "region",
    "regional",
    "capital",
    "economic",
    "development",
    "bay",
    "area",
    "district",
    "new",
    "free",
    "high",
    "hi-tech",
    "industrial",
    "technology",
    "innovation",
    "stock",
    "group",
    "center",
    "centre",
    "office",
    "government",
    "expo",
    "fair",
    "summit",
    "forum",
    "festival",
    "park",
    "zone",
    "and",
    "or",
    "the",
    "in",
    "to",
    "of",
    "on",
    "for",
    "at",
    "ltd",
    "co",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "inc",
    "corp",
    "corporation",
    "company",
    "holdings",
    "hospital",
    "school",
    "college",
    "institute",
    "academy",
    "museum",
    "station",
    "road",
    "street",
    "line",
    "railway",
    "harbour",
    "delegation",
    "mission",
    "consulate",
    "embassy",
    "bureau",
    "commission",
    "authority",
    "partnership",
    "alliance",
    "network",
    "cluster",
    "valley",
    "engine",
    "powerhouse",
    "delta",
}
_NEXT = re.compile(r"^[ ]+([A-Z][\w'’-]*)")


def looks_like_person(text: str, start: int, place: Place, end: int | None = None, nouns: frozenset[str] = frozenset()) -> bool:
    """'Mayor Joe Anderson', 'Chris Allen', 'ZF Friedrichshafen AG': a small place's name right
    after a first name or honorific is a person's or company's name, not the place; so is a
    town's name followed by a surname ('Vladimir Putin'). A German noun (``nouns``) is neither
    ("Hannover Messe", "Region Stuttgart")."""
    if end is not None:
        around = text[max(0, start - 12) : start] + "|" + text[end : end + 24]
        if _CLUB.search(around):
            return True  # "AC Milan"'s or "Michigan State"'s place is not one named (a university's city
            # is: "RWTH Aachen University" ties Aachen, as the labelled corpus has it)
    if place.prior >= 0.85 or place.level not in ("city", "district") or place.id in CAPITALS:
        return False
    if end is not None:
        if followed_by_surname(text, end, nouns):
            return True
        if place.prior < 0.6 and _SPEAKS.match(text[end : end + 30]):
            return True  # "Wright said", "Moore, 45,", "Parker, who": a person
    before = text[max(0, start - 25) : start]
    m = _TOKEN.search(before)
    if not m or before[m.end(1) :].strip(" ") != "":
        return False
    tok = m.group(1).rstrip(".")
    if tok.lower() in HONORIFICS:
        return True
    return tok[0].isupper() and not tok.isupper() and tok.lower() not in NOT_NAMES and tok.lower() not in nouns


def followed_by_surname(text: str, end: int, nouns: frozenset[str] = frozenset()) -> bool:
    """A capitalised word after the name that is no institution, German noun or acronym: "Ahmad Abu
    Hilal", "Vladimir Putin"."""
    nxt = _NEXT.match(text[end : end + 30])
    if nxt is None:
        return False
    word = nxt.group(1)
    return word.lower() not in INSTITUTION_WORDS and word.lower() not in nouns and not word.isupper()


def titled_or_speaking(text: str, start: int, end: int) -> bool:
    """The strong person cues: a title before the name ("Sen. Moore"), a speech verb, an age or
    "who" after it ("Moore said", "Moore, 45,")."""
    if _SPEAKS.match(text[end : end + 30]):
        return True
    m = _TOKEN.search(text[max(0, start - 25) : start])
    return (
        bool(m) and text[max(0, start - 25) : start][m.end(1) :].strip(" ") == "" and m.group(1).rstrip(".").lower() in HONORIFICS
    )
