"""Inflected forms of names that the sources give in their base form only: the German genitive
without an apostrophe ("Niedersachsens Ministerpräsident", "Baden-Württembergs Partnerstaat") and the English adjective of a division named in -ia ("a Western
Australian delegation", "Tasmanian exporters")."""

from __future__ import annotations

from collections.abc import Iterable

from .build import add_unless_taken
from .naming import everyday_word, zipf
from .place import Place

GERMAN = ("DE", "AT", "CH")
DIVISION = "province-or-state"
# an adjective English writes for something else as well (an era, a style: "Victorian" 4.1,
# "Georgian" 3.5) names no division; "Tasmanian" 3.2, "Californian" 3.1 stay
ADJECTIVE_ZIPF = 3.5


def _word(x: str) -> bool:
    """One word, or hyphenated words, with a capital ("Sachsen-Anhalt", not "Nova Scotia")."""
    return x[:1].isupper() and x.replace("-", "").isalpha()


def genitive(x: str) -> str | None:
    """The German genitive of a name ("Bayerns", "Sachsen-Anhalts"); none after s, ß, x, z."""
    return x + "s" if _word(x) and len(x) > 3 and x[-1] not in "sßxz" else None


def adjective(x: str) -> str | None:
    """The English adjective of a division's English name in -ia: "Tasmanian", a several-word
    name's last word too ("Western Australian", "British Columbian"). (A name in -a takes other
    endings, or none: "North Carolinian", "Gunma".)"""
    if not x.isascii() or not x[:1].isupper() or not x.replace(" ", "").replace("-", "").isalpha():
        return None
    return x + "n" if x.endswith("ia") else None


def add_name_forms(places: Iterable[Place]) -> None:
    """German genitives of the German-speaking countries' places of a town's size or more, hyphenated
    names too; the English adjective of every first-level division's English name in -ia, unless
    another place bears it or it is a word of its own. (Genitives of every country's divisions —
    "Ontarios", "Kaliforniens" — were tried: the forms that are no word of English, French, Spanish
    or Italian still read LGL's "Kumamotos", an oyster, as Kumamoto.)"""
    places = list(places)
    new: dict[str, set[str]] = {}
    for p in places:
        if p.country in GERMAN and p.prior >= 0.2:
            p.surfaces |= {g for x in p.surfaces if (g := genitive(x))}
        a = adjective(p.name) if p.level == DIVISION else None
        # (a name of several words is no word: wordfreq's figure for it is its words')
        if a and (" " in a or (zipf(a, "en") < ADJECTIVE_ZIPF and not everyday_word(a))):
            new[p.id] = {a}
    add_unless_taken(places, new)
