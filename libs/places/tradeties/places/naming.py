"""Name rules shared by the build: which words are generic, which names are everyday words, and
the English and ASCII spellings of a name."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from .text import fold, is_cjk

# Generic words around a subdivision's name, in ISO or in the news ("Región del Maule", "Maule
# Region", "Lagos State", "Moscow Oblast", "Aichi Prefecture"): the core name is what is matched.
GENERIC = re.compile(
    r"^(?:Región|Region|Provincia|Province|Departamento|Estado|State|Prefecture)\s+(?:de\s+la\s+|"
    r"de\s+los\s+|del\s+|de\s+|of\s+)?|\s+(?:Region|Province|Oblast|oblast'|Prefecture|State|"
    r"Governorate|Metropolitan Region)$"
)
SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR)$")
# Subdivision names that are everyday words or a country in English news (Nigeria's "Delta",
# "Rivers", "Niger" states; South Africa's "Free State"): not matched.
SUBDIVISION_WORDS = frozenset(
    """delta|rivers|plateau|niger|free state|north-west|west coast|centre|center|north|south|east|west
|central|capital|northern|southern|eastern|western|coast|lakes|islands|river|region|province|state
|district|county|municipality|department|capital district|metropolitan|city""".replace("\n", "").split("|")
)
# Those words in the news' other languages and written as one word ("Région du Nord", "Provincia del
# Sur", "Nordwest", "Northwest"): a division with a generic name is named only with its type word
GENERIC_WORDS = SUBDIVISION_WORDS | frozenset(
    """nord sud est ouest centre centrale norte sur este oeste centro occidental occidentale oriental
orientale meridional meridionale septentrional septentrionale capitale zentral mitte nordwest nordost
sudwest sudost northwest northeast southwest southeast nord-ouest nord-est sud-ouest sud-est noroeste
nordeste sudeste sureste suroeste""".split()
)
# Title-case English words that are also place names: not matched as places.
COMMON_WORDS = frozenset(
    """reading bath nice mobile split sale deal march of most bar buy hope union independence
commerce enterprise industry progress liberty victoria jersey university college centre center industrial
university city president governor premier mayor beach mission delta park zone port harbour bay lake
spring normal opportunity energy orange lincoln eagle temple marion florence
franklin allen anderson lander toyota hitachi mercedes clinton jackson washington vista wellington
police state county street road avenue school church hospital court college news post office day days time
monday tuesday wednesday thursday friday saturday sunday january february april may june july august
september october november december christmas easter house home white black green brown gray grey
young king queen prince royal national federal general central union victory friendship justice star
liberty freedom unity harmony paradise eden garden gardens summit plains valley ridge hill hills mount
fort camp river creek lakes island islands beach bridge center centre market mill mills station
worth early late best mars wood woods rock stone bell bells lee long short north south east west
new old grand great little big mission ocean pacific atlantic republic mayor council senate
chase price hunt hunter page banks shell cash gold silver iron sterling sens metro""".split()
)


def english_name(name: str, country: str) -> str:
    """The name English prints: "Düsseldorf" (GeoNames `name`), but "Gujarat", "Osaka"."""
    name = name.replace("’", "'")
    return name if country in NATIVE_LATIN else ascii_name(name, country)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# Latin letters that NFKD does not decompose, as English writes them: "Łódź" → "Lodz", "Đồng Nai" → "Dong Nai"
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
    }
)
# Countries whose place names English writes with their own Latin letters ("Düsseldorf",
# "Île-de-France", "Kraków", "Málaga"). Elsewhere the diacritics are romanisation marks that
# English drops ("Gujarāt", "Tōkyō", "Đà Nẵng"), or English has settled on a plain form
# (Canada's "Montreal", "Quebec"; Turkey's "Izmir").
NATIVE_LATIN = frozenset(
    """DE AT CH LI LU FR BE MC ES AD PT IT SM PL CZ SK HU SI HR RO SE NO DK FI IS EE LV LT
NL IE GB MX AR BR CL CO PE UY PY BO EC VE CR PA GT HN NI SV DO CU""".split()
)


def ascii_name(name: str, country: str) -> str:
    """GeoNames ASCII style: "Gujarāt" → "Gujarat", "Düsseldorf" → "Duesseldorf" (a surface form)."""
    # an ASCII name is returned as it is, the same object: a place's names pickled once
    return name if name.isascii() else _ascii_name(name, country)


@cache  # a city's name is asked for its English name and its ASCII form
def _ascii_name(name: str, country: str) -> str:
    if country in ("DE", "AT", "CH"):
        name = name.translate(_UMLAUTS)
    name = name.translate(_UNDECOMPOSED)
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).replace("’", "'")


def latin(a: str) -> bool:
    """Every letter Latin (below U+0250): ASCII or Latin-1, Latin Extended-A and -B."""
    return a.isascii() or max(a) < "\u0250"


def good_latin_alias(a: str) -> bool:
    return len(a) >= 5 and a[0].isupper() and not a.isupper() and latin(a) and fold(a) not in COMMON_WORDS


# a name of two CJK characters (text.is_cjk) or more and no kana: Han, or hangul
HAN_NAME = re.compile("[\u3100-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}")


def hangul(a: str) -> bool:
    return any("\uac00" <= ch <= "\ud7af" for ch in a)


def kana(a: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in a)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(ascii_name(name, "")).lower()).strip("-")


# Chinese and Japanese words after a division's name, with their other scripts' forms: a name
# keeps its own kind (滨海省 Pomorskie must not give 滨海边疆区 Primorsky Krai)
_SUFFIX_FORMS = (
    ("边疆区", "邊疆區"),
    ("县", "縣", "県"),
    ("自治区",),
    ("大区",),
    ("地区", "地區"),
    ("省",),
    ("州",),
    ("府",),
    ("道",),
)
_REGION_WORDS = ("大区", "自治区")  # region, autonomous community; not after two characters (东部大区 "eastern region")


def cjk_division_names(
    names: set[str], bare_suffixes: tuple[str, ...] = ("省", "州"), bare: bool = True, min_bare: int = 3
) -> set[str]:
    """A division's CJK names in every script of its suffix (新竹縣 → 新竹県, 新竹县; 地区 "region":
    阿散蒂地区 → 阿散蒂大区) and with the
    region type words Chinese gives any division (瓦伦西亚自治区, 阿提卡大区); a name without one also
    with ``bare_suffixes`` (南摩拉维亚 → 南摩拉维亚州); the name without its suffix only when asked and
    of ``min_bare`` characters or more (滨海 is "coastal"); katakana as it stands (ランソン)."""
    out: set[str] = set()
    for n in names:
        if len(n) < 2 or not all(is_cjk(ch) or ch in "ー・=" for ch in n):
            continue
        if kana(n):
            if len(n) >= 3:
                out.add(n)
            continue
        forms = next((f for f in _SUFFIX_FORMS for s in f if n.endswith(s) and len(n) - len(s) >= 2), None)
        if forms is None:
            out |= {n} | {n + s for s in (*bare_suffixes, *(_REGION_WORDS if len(n) >= 3 else ()))}
            continue
        base = n[: -len(next(s for s in forms if n.endswith(s)))]
        out |= {base + s for s in (*forms, *(() if kana(base) or len(base) < 3 else _REGION_WORDS))}
        if bare and len(base) >= min_bare:
            out.add(base)
    return out


@cache
def _converters() -> tuple:
    import opencc

    return tuple(opencc.OpenCC(c) for c in ("s2t", "t2s", "jp2t", "t2jp"))


def han_variants(name: str) -> set[str]:
    """The name in the other Han scripts: simplified, traditional and Japanese shinjitai (江苏 → 江蘇;
    広島 → 廣島, 广岛). Chinese news writes a Japanese or Taiwanese place in simplified characters,
    Japanese news a Chinese one in shinjitai, and the sources give each name in one script only."""
    s2t, t2s, jp2t, t2jp = _converters()
    trad = {s2t.convert(name), jp2t.convert(name)}
    return ({t2s.convert(t) for t in trad} | trad | {t2jp.convert(t) for t in trad}) - {name}


def chinese_only_word(a: str) -> bool:
    """A Han word frequent in Chinese (Zipf ≥ 4.5) that Japanese does not use (< 3): Chinese's own
    name of a foreign city (伦敦, 巴黎), which Japanese writes in katakana (ロンドン, パリ); an everyday
    word of Han script is frequent in both (自由 "freedom", 和平 "peace")."""
    from wordfreq import get_frequency_dict

    # (lang, "best"): the lists everyday_word reads, not a second copy under another cache key
    zh, ja = get_frequency_dict("zh", "best"), get_frequency_dict("ja", "best")
    return zh.get(a, 0) >= 10 ** (4.5 - 9) and ja.get(a, 0) < 10 ** (3 - 9)


def katakana_exonym(a: str) -> bool:
    """A foreign city's Japanese name (ハノイ, ソウル, ヒューストン): katakana of three or more."""
    return len(a) >= 3 and all("\u30a0" <= ch <= "\u30ff" for ch in a)


def close_exonym(a: str, name: str) -> bool:
    """A one-word Latin alternate name that is a spelling of the name in another language
    (Torino, Dunkerque, Genova), not a different word (Genes, Tori, Kanton for Guangzhou)."""
    if " " in a or len(a) < 5 or not good_latin_alias(a):
        return False
    fa, fn = fold(a), fold(name)
    if fa == fn:  # (a third of those that get here: the name itself, or it with other accents)
        return True
    return fa[0] == fn[0] and similar(fa, fn, 0.6)


def similar(a: str, b: str, cut: float) -> bool:
    """difflib's ``SequenceMatcher(None, a, b).ratio() >= cut``. The matching blocks it counts are a
    common subsequence, so twice the longest one over the lengths (RapidFuzz, in C) bounds its ratio
    from above: most pairs fail that bound and are spared SequenceMatcher."""
    from difflib import SequenceMatcher

    from rapidfuzz.distance import LCSseq

    n = len(a) + len(b)
    if n and 2.0 * LCSseq.similarity(a, b) / n < cut:
        return False
    return SequenceMatcher(None, a, b).ratio() >= cut


def short_form(folded: str, own: set[str]) -> bool:
    """A folded alternate name that is one of the place's own folded names (``own``) written short,
    its first word or words: "lexington" for Lexington-Fayette, "frankfurt" for Frankfurt am Main."""
    return any(n == folded or n.startswith((folded + " ", folded + "-")) for n in own)


@cache
def word_lists() -> tuple[dict[str, float], ...]:
    """wordfreq's lists of en, de, fr, es, it, zh, ja: the build reads them first, before it forks, so
    its child process inherits them. (lang, "best") is the cache key of every lookup, wordfreq's too."""
    from wordfreq import get_frequency_dict

    return tuple(get_frequency_dict(lang, "best") for lang in ("en", "de", "fr", "es", "it", "zh", "ja"))


def local_exonym(a: str) -> bool:
    """An alternate name that German, French, Spanish or Italian news writes (wordfreq Zipf ≥ 2.5) and
    English much less (by 1: "Dunkerque", "Firenze", "Amberes"): the place's name in that language.
    A name frequent in English too is a name of something else as often ("Hamas", "Ahmad", "Linda")."""
    en, *others = (d.get(a.lower(), 0.0) for d in word_lists()[:5])
    return max(others) >= 10 ** (2.5 - 9) and max(others) >= 10 * en


_ARTICLE = frozenset({"la", "le", "les", "el", "los", "las", "il", "lo", "die", "der", "das"})


@cache  # a city's names are compared with each of its alternate names
def _words(name: str) -> tuple[str, ...]:
    w = tuple(x for x in re.split(r"[\s-]+", fold(name)) if x)
    return w[1:] if w and w[0] in _ARTICLE else w


def translated_exonym(a: str, names: set[str]) -> bool:
    """A name of several words that translates the first word of one of ``names`` and keeps the rest
    ("Nueva York", "Nuova Delhi", "La Nouvelle-Orléans", "Saint-Jean"): the first words share their
    initial and are different words, not spellings of one (San Miguel is no San Miguelito)."""
    if not a[:1].isupper() or not latin(a):
        return False
    wa = _words(a)
    if len(wa) < 2:
        return False
    for n in names:
        wn = _words(n)
        if len(wn) == len(wa) and wa[1:] == wn[1:] and wa[0][0] == wn[0][0] != "":
            x, y = wa[0], wn[0]
            if not (x.startswith(y) or y.startswith(x)) and not similar(x, y, 0.6):
                return True
    return False


def zipf(word: str, lang: str) -> float:
    """wordfreq's ``zipf_frequency(word, lang)`` ("best" list). A plain ASCII word of a Latin-script
    language is its own lower-cased token, so it is looked up directly with wordfreq's arithmetic (one
    token's frequency, rounded to three digits): the build asks ~45,000 times, and tokenising each
    took ~40 µs; anything else goes through wordfreq."""
    from wordfreq import get_frequency_dict, zipf_frequency

    if not (word.isascii() and word.isalpha()) or lang in ("zh", "ja", "ko"):
        return zipf_frequency(word, lang)
    # (lang, "best"): the cache key of wordfreq's own lookups, so each list is built once
    f = get_frequency_dict(lang, "best").get(word.lower())
    if f is None:
        return round(math.log(1e-9, 10) + 9, 2)  # wordfreq's minimum, zipf_to_freq(0)
    f = max(1.0 / (1.0 / f), 1e-9)
    f = round(f, math.floor(-math.log(f, 10)) + 3)
    return round(math.log(f, 10) + 9, 2)


@cache
def everyday_word(a: str, other: float = 5.0) -> bool:
    """A word of the news' languages before it is a name: frequent in English (Zipf ≥ 4.3, as
    build.COMMON_ZIPF) or in German, French, Spanish, Italian (≥ ``other``: "Sur", "Centro",
    "Como"; "Kanton" at 4.0); for CJK, in Chinese or Japanese (≥ 4.5: 自由 "freedom", 和平 "peace")."""
    from wordfreq import get_frequency_dict

    if is_cjk(a[:1]):  # looked up directly: tokenising CJK needs jieba/MeCab
        # (lang, "best"): the cache key wordfreq's own lookups use, so each list is built once
        return any(get_frequency_dict(lang, "best").get(a, 0) >= 10 ** (4.5 - 9) for lang in ("zh", "ja"))
    return zipf(a, "en") >= 4.3 or any(zipf(a, lang) >= other for lang in ("de", "fr", "es", "it"))


def german_nouns() -> frozenset[str]:
    """Words German writes with a capital that are no name in English: frequent in German (Zipf ≥ 3),
    rare in English (1.5 lower: "Messe", "Vertreter", "Stadt"). After a town's name such a word is
    no surname ("in Mannheim Vertreter der Stadt", "Hannover Messe"), nor a first name before it;
    a surname news writes in English too stays one ("Merkel", "Putin")."""
    from wordfreq import get_frequency_dict

    de, en = get_frequency_dict("de", "best"), get_frequency_dict("en", "best")
    return frozenset(w for w, f in de.items() if f >= 1e-6 and w.isalpha() and f >= 10**1.5 * en.get(w, 0))
