"""Katakana spellings of one foreign name. Japanese writes a foreign place several ways and the
sources give one: with or without the long-vowel mark and the word separators (マハーラーシュトラ,
マハラシュトラ; タミル・ナードゥ, タミル・ナドゥ; バーデン＝ヴュルテンベルク, バーデン・ビュルテンベルク:
＝ is also written ・), ドゥ and トゥ as ド and ト (タミルナド州), ヴ or the B row (ヴュ, ビュ), a
small or a full vowel after フ (グアナフアト, グアナファト), ティ or チ
(ボルチモア, ボルティモア). A build step adds these spellings to the divisions' and the bigger cities'
katakana names where no other place bears them; and a Japanese prefecture's hiragana name (やまなしけん)
also without its suffix's reading (やまなし: prefectures write their names in hiragana for brands and
events, "やまなし水素・燃料電池ネットワーク")."""

from __future__ import annotations

from collections.abc import Iterable

from .build import add_unless_taken
from .naming import everyday_word
from .place import Place

# (from, to, both ways): each rule applied to the whole name at once, the rules one after another
_RULES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("＝", "・"), ("=", "・")),
    (("・", ""), ("＝", ""), ("=", "")),
    (("ー", ""),),
    (("ドゥ", "ド"), ("トゥ", "ト")),
    (("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴュ", "ビュ"), ("ヴ", "ブ")),
    (("ファ", "フア"), ("フィ", "フイ"), ("フェ", "フエ"), ("フォ", "フオ")),
    (("ティ", "チ"), ("ディ", "ジ")),
)
_BOTH_WAYS = frozenset({5, 6})  # フア and ティ are also written for ファ and チ
MIN_CITY = 100_000  # a smaller town's katakana name is rare in the news, and its variants a risk


def _katakana(s: str) -> bool:
    return all("\u30a0" <= ch <= "\u30ff" or ch in "＝=" for ch in s)


def spellings(name: str) -> set[str]:
    """The katakana name ``name`` (its kanji suffix kept: タミル・ナードゥ州) in the other spellings."""
    i = len(name)
    while i and not _katakana(name[i - 1]):
        i -= 1
    stem, suffix = name[:i], name[i:]
    if not stem or not _katakana(stem):
        return set()
    forms = {stem}
    for k, rule in enumerate(_RULES):
        for f in list(forms):
            g = h = f
            for a, b in rule:
                g = g.replace(a, b)
            if k in _BOTH_WAYS:
                for a, b in rule:
                    h = h.replace(b, a) if b not in a else h
            forms |= {g, h}
    return {f + suffix for f in forms if len(f) >= 4} - {name}


def add_kana_spellings(places: Iterable[Place]) -> None:
    """Every division's, and every city's of MIN_CITY people or more, katakana names in their other
    spellings, unless the spelling names another place or is an everyday Japanese word."""
    places = list(places)
    new: dict[str, set[str]] = {}
    for p in places:
        if p.level != "city" or p.population >= MIN_CITY:
            vs = {v for s in p.surfaces if s[:1] and "\u30a0" <= s[0] <= "\u30ff" for v in spellings(s)}
            if vs := {v for v in vs if not everyday_word(v)}:
                new[p.id] = vs
    add_unless_taken(places, new)


# the readings of 県, 府, 都 after a prefecture's hiragana name (北海道's ほっかいどう is one word)
_SUFFIX_READINGS = ("けん", "ふ", "と")
MIN_HIRAGANA = 4  # a shorter one is part of too many words (なら "if", さが, みえ "visible")


def _hiragana(s: str) -> bool:
    return all("\u3041" <= ch <= "\u309f" for ch in s)


def add_hiragana_names(places: Iterable[Place]) -> None:
    """Each Japanese prefecture's hiragana name without the reading of its suffix, when it is
    MIN_HIRAGANA characters or more, no everyday Japanese word and no other place's name."""
    places = list(places)
    new: dict[str, set[str]] = {}
    for p in places:
        if p.country == "JP" and p.level == "province-or-state":
            bare = {s[: -len(r)] for s in p.surfaces if _hiragana(s) for r in _SUFFIX_READINGS if s.endswith(r)}
            if bare := {b for b in bare if len(b) >= MIN_HIRAGANA and not everyday_word(b)}:
                new[p.id] = bare
    add_unless_taken(places, new)
