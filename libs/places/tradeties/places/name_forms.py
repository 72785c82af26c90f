"""Forms of names that the sources give in one form only: the German genitive without an
apostrophe ("Niedersachsens Ministerpräsident", "Baden-Württembergs Partnerstaat") and the English
adjective of a division named in -ia ("a Western Australian delegation", "Tasmanian exporters"), the
Spanish, Italian and French adjectives of divisions in all their forms ("empresas andaluzas",
"imprese piemontesi", "la Communauté valencienne"), and Chinese transliterations written with
another character of the same sound (克卢日 for 克鲁日)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from itertools import combinations

from .build import HAN_COUNTRIES, add_unless_taken
from .naming import HAN_NAME, _converters, everyday_word, zipf
from .place import Place
from .text import fold

GERMAN = ("DE", "AT", "CH")
MIN_HAN_CITY = 100_000  # a smaller town's Chinese name is rare in the news, and its spellings a risk
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


# masculine singular ending → the other forms (feminine, plurals), per language; the longest
# ending that fits is taken ("" fits every word: "balear" → baleares, "lombard" → lombarde)
_INFLECTIONS = {
    "es": {
        "": ("es",),
        "o": ("a", "os", "as"),
        "a": ("as",),
        "e": ("es",),
        "z": ("za", "ces", "zas"),
        "án": ("ana", "anes", "anas"),
        "és": ("esa", "eses", "esas"),
    },
    "it": {"": (), "o": ("a", "i", "e"), "e": ("i",), "a": ("i", "e")},
    "fr": {
        "ais": ("aise", "aises"),
        "ois": ("oise", "oises"),
        "ien": ("ienne", "iens", "iennes"),
        "on": ("onne", "ons", "onnes"),
        "an": ("ane", "ans", "anes"),
        "ou": ("ouse", "ous", "ouses"),
        "al": ("ale", "aux", "ales"),
        "e": ("es",),
        "": ("e", "s", "es"),
    },
}
NEWS_LANGUAGES = ("en", "de", "fr", "es", "it")
# a form this frequent in another news language is a word of its own there ("sarde", sardines;
# "vasca", a tub) or a surname ("Lombardi"), unless that language writes it for the division too
OTHER_LANGUAGE_ZIPF = 2.5


def inflect(word: str, lang: str) -> set[str]:
    """A Romance adjective's forms from its masculine singular ("andaluz" → andaluza, andaluces,
    andaluzas); a hyphenated one inflects its last part ("emiliano-romagnoli")."""
    rules = _INFLECTIONS[lang]
    end = max((e for e in rules if word.endswith(e)), key=len)
    return {word} | {word[: len(word) - len(end)] + e for e in rules[end]}


def add_adjectives(places: Iterable[Place], curated: dict[str, dict[str, list[str]]]) -> None:
    """Each division's curated adjectives (names.yaml `subdivision_adjectives`) in all their forms,
    written in lower case so that they match in running text as the German and French ones do
    ("bayerische", "bretonne"); not a form another news language writes often for something else
    (OTHER_LANGUAGE_ZIPF), nor one another place bears."""
    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for lang, table in curated.items():
        for code, words in table.items():
            forms[code][lang] = {f for w in words for f in inflect(w, lang)}
    places = list(places)
    new: dict[str, set[str]] = {}
    for p in places:
        if p.iso3166_2 not in forms:
            continue
        by_lang = forms[p.iso3166_2]
        mine = set().union(*by_lang.values())
        new[p.id] = {
            f
            for f in mine
            if not everyday_word(f) and all(f in by_lang.get(o, ()) or zipf(f, o) < OTHER_LANGUAGE_ZIPF for o in NEWS_LANGUAGES)
        }
    # the matcher folds case and accents: "valenciennes" is the town Valenciennes
    taken = _folded_names(places, {fold(f) for fs in new.values() for f in fs})
    for pid, fs in new.items():
        new[pid] = {f for f in fs if not taken.get(fold(f), set()) - {pid}}
    add_unless_taken(places, new)


def _folded_names(places: list[Place], wanted: set[str]) -> dict[str, set[str]]:
    """The places bearing each of ``wanted`` (folded) names, folding only the names that may be one
    (same first letters, or an accent among them): folding all ~400,000 names would cost a second."""
    prefixes = {w[:4] for w in wanted}
    out: dict[str, set[str]] = defaultdict(set)
    for p in places:
        for s in p.surfaces:
            head = s[:4].lower()
            if (head in prefixes or not head.isascii()) and (f := fold(s)) in wanted:
                out[f].add(p.id)
    return out


def _simplified_han(surfaces: Iterable[str]) -> list[str]:
    """The names of three Han characters or more written in simplified Chinese. opencc is asked
    last, and a place whose names are all ASCII (most) not at all: most of the ~480,000 names it
    was asked about were Latin."""
    if "".join(surfaces).isascii():
        return []
    t2s = _converters()[1]
    return [x for x in surfaces if len(x) >= 3 and HAN_NAME.fullmatch(x) and t2s.convert(x) == x]


@cache  # a transliteration's few hundred characters, compared ~23,000 times
def _pinyin(ch: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(ch))


def _distance(a: str, b: str) -> list[int]:
    """The positions where two names of one length differ."""
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y] if len(a) == len(b) else []


def homophones(places: list[Place]) -> dict[str, set[str]]:
    """Characters Chinese transliteration writes for one syllable (卢 and 鲁 lu, 德 and 得 de, 迪 and
    蒂 di), learnt from the sources: two simplified Chinese names of one foreign place that differ in
    one character of the same pinyin (图卢兹, 图鲁兹), in two places or more."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in places:
        if p.country in HAN_COUNTRIES:
            continue
        han = sorted(_simplified_han(p.surfaces))
        for a, b in combinations(han, 2):
            if len(d := _distance(a, b)) == 1:
                x, y = a[d[0]], b[d[0]]
                if _pinyin(x) == _pinyin(y):
                    seen[(x, y)].add(p.id)
    out: dict[str, set[str]] = defaultdict(set)
    for (x, y), ids in seen.items():
        if len(ids) >= 2:
            out[x].add(y)
            out[y].add(x)
    return out


def add_han_spellings(places: Iterable[Place]) -> None:
    """A foreign division's, and a foreign city's of MIN_HAN_CITY people or more, simplified Chinese
    names with one character written as its homophone in transliteration (克鲁日县 → 克卢日县, Cluj),
    unless another place bears the spelling or it is an everyday word."""
    places = list(places)
    table = homophones(places)
    new: dict[str, set[str]] = {}
    for p in places:
        if p.country in HAN_COUNTRIES or not (p.level == DIVISION or p.level == "city" and p.population >= MIN_HAN_CITY):
            continue
        han = _simplified_han(p.surfaces)
        vs = {x[:i] + y + x[i + 1 :] for x in han for i, ch in enumerate(x) for y in table.get(ch, ())}
        if vs := {v for v in vs if not everyday_word(v)} - set(p.surfaces):
            new[p.id] = vs
    add_unless_taken(places, new)
