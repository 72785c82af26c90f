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
_CLUB_WORDS = ("AC", "FC", "SC", "AS", "Inter", "Real", "Olympique", "State")  # one is in every match of _CLUB
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
# The word right before a name: the run of word characters (and ' ’ . -) that only spaces
# separate from the name, from its first Latin letter. Read on the reversed text, anchored, so one
# pass finds it (a search for "([A-Za-zÀ-ÿ][\w'’.-]*)\W*$" from every offset found the same word).
_RUN_REVERSED = re.compile(r" *([\w'’.-]+)")
_LATIN = re.compile("[A-Za-zÀ-ÿ]")


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


class NameCues:
    """What the words around one name found in a text say of it: a club's or a university's name,
    a first name or honorific before it, a surname or a speech verb after it. Read once per name,
    however many places it may be (resolution asks for every namesake)."""

    __slots__ = ("club", "end", "nouns", "speaks", "text", "word_before", "_surname_after")

    def __init__(self, text: str, start: int, end: int, nouns: frozenset[str] = frozenset()) -> None:
        self.text, self.end, self.nouns = text, end, nouns
        # "AC Milan"'s or "Michigan State"'s place is not one named (a university's city is: "RWTH
        # Aachen University" ties Aachen, as the labelled corpus has it)
        around = text[max(0, start - 12) : start] + "|" + text[end : end + 24]
        self.club = any(w in around for w in _CLUB_WORDS) and bool(_CLUB.search(around))
        # a speech verb, an age or "who" right after it ("Wright said", "Moore, 45,", "Parker, who")
        self.speaks = bool(_SPEAKS.match(text[end : end + 30]))
        # the word right before it (only spaces between), without a trailing full stop
        run = _RUN_REVERSED.match(text[max(0, start - 25) : start][::-1])
        word = run.group(1)[::-1] if run else ""
        first = _LATIN.search(word)
        self.word_before = word[first.start() :].rstrip(".") if first else None
        self._surname_after: bool | None = None  # read only for a small place: see surname_after

    @property
    def surname_after(self) -> bool:
        if self._surname_after is None:
            nxt = _NEXT.match(self.text[self.end : self.end + 30])
            name = nxt.group(1) if nxt else ""
            word = name.lower()
            self._surname_after = bool(nxt) and word not in INSTITUTION_WORDS and word not in self.nouns and not name.isupper()
        return self._surname_after

    @property
    def titled(self) -> bool:
        return self.word_before is not None and self.word_before.lower() in HONORIFICS

    @property
    def titled_or_speaking(self) -> bool:
        """The strong person cues: a title before the name ("Sen. Moore"), a speech verb, an age or
        "who" after it ("Moore said", "Moore, 45,")."""
        return self.speaks or self.titled

    def person(self, place: Place) -> bool:
        """'Mayor Joe Anderson', 'Chris Allen', 'ZF Friedrichshafen AG': a small place's name right
        after a first name or honorific is a person's or company's name, not the place; so is a
        town's name followed by a surname ('Vladimir Putin'). A German noun (``nouns``) is neither
        ("Hannover Messe", "Region Stuttgart"). A club's name is no place's."""
        if self.club:
            return True
        if place.prior >= 0.85 or place.level not in ("city", "district") or place.id in CAPITALS:
            return False
        if self.surname_after or (place.prior < 0.6 and self.speaks):
            return True
        tok = self.word_before
        if tok is None:
            return False
        low = tok.lower()
        return low in HONORIFICS or (tok[0].isupper() and not tok.isupper() and low not in NOT_NAMES and low not in self.nouns)
