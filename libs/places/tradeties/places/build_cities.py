"""Build steps for GeoNames cities (cities500), the curated districts and the registry of
partnerships (see build.py for the ids)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import sources
from .build import CITY_STATES, COUNTRY_AS_REGION, HAN_COUNTRIES, LOCAL, MIN_POP, MIN_POP_LOCAL, MUNICIPALITIES, Builder
from .naming import (
    COMMON_WORDS,
    ascii_name,
    chinese_only_word,
    cjk_division_names,
    close_exonym,
    english_name,
    everyday_word,
    good_latin_alias,
    hangul,
    kana,
    katakana_exonym,
    latin,
    local_exonym,
    short_form,
    slug,
    translated_exonym,
)
from .place import Place
from .text import fold, is_cjk

if TYPE_CHECKING:
    from .cities500 import City


def _cjk_aliases(alternates: list[str], cc: str, pop: int) -> set[str]:
    out: set[str] = set()
    for a in alternates:
        if a and all(is_cjk(ch) for ch in a) and len(a) >= 2 and not kana(a):
            # a bare two-character name of a small town is too often a word (合作 Hezuo, 大和
            # Yamato): short names only for Chinese cities of a million or foreign cities of
            # 300,000; transliterations (谢菲尔德) are safe at any size
            bare = a[:-1] if a.endswith(("市", "县", "区")) and len(a) > 2 else a
            if cc in ("CN", "JP", "TW") and bare != a and (cc == "CN" or a.endswith("市")):
                out.add(a)  # 帯広市, 威海市: with its suffix a city's name is no word
            if bare == a and pop >= 300_000 and len(a) == 2 and (cc == "CN" or cc not in HAN_COUNTRIES and not hangul(a)):
                out.add(a + "市")  # 崇左 given bare: 崇左市; 万象 is a word ("everything"), 万象市 Vientiane
            if (
                len(bare) >= 3
                and (cc == "CN" or not hangul(bare))
                or pop >= (1_000_000 if cc == "CN" else 300_000)
                and (cc in ("CN", "TW", "JP") or not everyday_word(bare) or chinese_only_word(bare))
            ):  # 自由 "freedom" is no Freetown; 巴黎 is Paris
                out.add(bare)
    return out


def _folded(p: Place, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    if p.id not in cache:
        cache[p.id] = frozenset(fold(x) for x in p.surfaces)
    return cache[p.id]


def _one_name(city: str, state: Place) -> bool:
    """A city-state's city by its name written otherwise: "Hanoi" for Ha Noi, "Ho Chi Minh City",
    or by one of the state's names ("Vientiane" for Viangchan)."""
    c, s = fold(city).replace(" ", ""), fold(state.name).replace(" ", "")
    return c in (s, s + "city") or any(fold(x).replace(" ", "") == c for x in state.surfaces if latin(x))


def english(c: City, city_english: dict[str, str]) -> str:
    """The city's English name: curated (names.yaml), else GeoNames' name as English prints it."""
    return city_english.get(f"{c.countrycode}:{c.name}", city_english.get(c.name, english_name(c.name, c.countrycode)))


def is_major(c: City) -> bool:
    """A city of 50,000 or more (15,000 in LOCAL): it gets its alternate names and an old id."""
    return c.population >= (MIN_POP_LOCAL if c.countrycode in LOCAL else MIN_POP)


def major_city_names(
    cities: dict[str, City], city_english: dict[str, str], city_aliases: dict
) -> dict[int, tuple[str, set[str]]]:
    """GeoNames id → (English name, names) of every major city, from its record and the curated
    aliases alone: the build runs it in a forked process while it adds the divisions."""
    out = {}
    for c in cities.values():
        if c.countrycode not in COUNTRY_AS_REGION and is_major(c):
            name = english(c, city_english)
            out[c.geonameid] = name, major_surfaces(c, name, city_aliases)
    return out


def major_surfaces(c: City, name: str, city_aliases: dict) -> set[str]:
    """A major city's names: its own, its GeoNames alternate names that are spellings, exonyms or
    CJK and katakana names of it, its curated aliases, its name with the first word translated."""
    cc, pop, gname = c.countrycode, c.population, c.name
    surfaces = {gname, name, ascii_name(gname, cc)}
    if pop >= 1_000_000:
        # one-word exonyms ("Peking", "Canton") or variants of the name itself ("New
        # York"); not translations that are phrases ("White House" for Casablanca)
        surfaces |= {
            a
            for a in c["alternatenames"]
            if good_latin_alias(a)
            and (" " not in a or fold(a)[:4] == fold(gname)[:4])
            and (" " in a or close_exonym(a, gname) or not everyday_word(a, other=4.0))
        }
    else:
        # the name in the other news languages when it is a spelling of it (Torino, Dunkerque)
        surfaces |= {a for a in c["alternatenames"] if close_exonym(a, gname)}
    surfaces |= _cjk_aliases(c["alternatenames"], cc, pop)
    if cc != "JP":
        surfaces |= {a for a in c["alternatenames"] if katakana_exonym(a)}
    surfaces |= set(city_aliases.get(f"{cc}:{gname}", [])) | set(city_aliases.get(f"{cc}:{name}", []))
    # "Nueva York", "Nuova Delhi", "La Nouvelle-Orléans": the name with its first word translated
    several = {x for x in surfaces if " " in x or "-" in x}
    surfaces |= {a for a in c["alternatenames"] if (" " in a or "-" in a) and translated_exonym(a, several)}
    return surfaces


def add_cities(b: Builder, cities: dict[str, City], names: dict[int, tuple[str, set[str]]]) -> None:
    """The GeoNames cities (``names``: major_city_names' result, made on the second core meanwhile)."""
    city_english, city_aliases = b.names["city_english"], b.names["city_aliases"]
    gb_districts = {fold(p.name): p for p in b.places.values() if p.country == "GB" and p.level == "prefecture-or-county"}
    links = sources.city_divisions()
    div_id, first_level = b.div_id, {r for r, d in b.divs.items() if d.level == 1}
    # old ids naming a GB district (all given before the cities): re-pointed when a city takes it
    district_old: dict[str, list[str]] = {}
    for old, new in b.old.items():
        district_old.setdefault(new, []).append(old)
    state_names: dict[str, frozenset[str]] = {}  # a division's folded names, folded once
    # in the package's order: the old "CC:Name" id named the first city of that name
    for c in cities.values():
        cc, pop, gid = c.countrycode, c.population, c.geonameid
        if cc in COUNTRY_AS_REGION:
            region = b.places.get(COUNTRY_AS_REGION[cc])
            if region and pop > 1_000_000:
                region.geonames_id, region.lat, region.lon = gid, c.latitude, c.longitude
            continue
        gname = c.name
        major = is_major(c)
        # a major city whose English name is a word or a first name (Florence, Lincoln) keeps its place
        # and its other names (Firenze, 佛罗伦萨), not that name in texts
        word = fold(gname) in COMMON_WORDS and not (gname == "Washington" and cc == "US" and pop > 500_000)
        if word and not major:
            continue
        if major:
            name, surfaces = names[gid]
        else:
            name = english(c, city_english)
            surfaces = {gname, name, ascii_name(gname, cc)}
        rows = [r for r in links.get(gid, ()) if r in div_id]
        admin1 = None
        for r in rows:
            if r in first_level:
                admin1 = div_id[r]
                break
        parent = div_id[rows[-1]] if rows else admin1
        if word:
            surfaces = {x for x in surfaces if fold(x) not in COMMON_WORDS}
        iso2 = None
        pid = f"gn:{gid}"
        if cc == "GB" and major and not word:  # a word city leaves its district as it was (Reading)
            district = gb_districts.get(fold(name)) or gb_districts.get(fold(name) + " city")
            if district is not None and district.id in b.places:
                iso2, parent = district.iso3166_2, district.parent_id
                del b.places[district.id]
                for old in district_old.get(district.id, ()):
                    if b.old[old] == district.id:
                        b.old[old] = pid
                surfaces |= district.surfaces
        prior = min(0.95, max(0.05, (math.log10(max(pop, 10)) - 3.5) / 3.5))
        if major:
            # a city's one-word GeoNames alternate names in Latin script that are neither its own or
            # curated names written short nor its name in a news language: often a word or a name elsewhere
            # ("Hamas" for Hamm, "Ahmad" for Al Ahmadi); resolve.py wants a town's borne out
            own = {fold(x) for x in (gname, name, ascii_name(gname, cc))}
            own |= {fold(x) for k in (f"{cc}:{gname}", f"{cc}:{name}") for x in city_aliases.get(k, [])}
            forms: dict[str, list[str]] = {}  # each fold's spellings: "Genova", "Génova", "Gènova"
            for x in surfaces:
                if not is_cjk(x[0]) and " " not in x and "-" not in x:  # a word or a first name is one word
                    forms.setdefault(fold(x), []).append(x)
            for key, xs in forms.items():
                if not short_form(key, own) and not any(local_exonym(x) for x in xs):
                    b.alternates.setdefault(key, set()).add(pid)
        state = b.places.get(admin1 or "") if major else None  # (read for a major city only)
        if major and state is not None and state.id not in CITY_STATES and fold(state.name).startswith(fold(name)):
            # the division named for its city in Chinese/Japanese: the city's name and a suffix
            # (哈巴罗夫斯克边疆区, 新竹縣), so the longest name is the division's
            krai = ("边疆区",) if any(x.endswith(("Krai", "kray")) for x in state.surfaces) else ()
            state.surfaces |= (
                cjk_division_names(
                    {a for a in surfaces if is_cjk(a[0]) and not kana(a) and not hangul(a)},
                    bare_suffixes=krai + ("省", "州", "县", "縣", "県", "道"),
                    bare=False,
                )
                - surfaces
            )
        if major and state is not None and state.id not in CITY_STATES and fold(name) in _folded(state, state_names):
            # "Quebec City", "Oaxaca City": English tells a city from the division of its name by "City"
            # (only there: "Greenville City Council" names the city Greenville)
            surfaces |= {a for a in c["alternatenames"] if a.endswith(" City") and fold(a[:-5]) == fold(gname)}
        if major and state is not None and state.id in CITY_STATES and _one_name(name, state):
            # the city is the first-level division (Beijing, Berlin, Seoul): one place
            state.surfaces |= surfaces | {state.name}
            # the city's name is the readable one ("Hanoi", "Ho Chi Minh City"; ISO's "Ha Noi")
            state.name, state.geonames_id, state.lat, state.lon = name, gid, c.latitude, c.longitude
            state.prior, state.population = max(state.prior, prior), pop
            b.old.setdefault(f"{cc}:{name}", state.id)
            continue
        # GeoNames "cities" inside Beijing, Shanghai, Tianjin, Chongqing are their districts
        level = "district" if admin1 in MUNICIPALITIES else "city"
        b.add(
            Place(
                pid,
                name,
                cc,
                level,
                iso3166_2=iso2,
                geonames_id=gid,
                lat=c.latitude,
                lon=c.longitude,
                parent_id=parent,
                prior=prior,
                surfaces=surfaces,
                population=pop,
            ),
            f"{cc}:{name}" if major else None,
        )


def add_districts(b: Builder, entries: list[dict]) -> None:
    named: dict[str, list[Place]] = {}  # country → its places of a town's size or more, districts included
    for p in b.places.values():
        if p.prior >= 0.2:
            named.setdefault(p.country, []).append(p)
    for e in entries:
        cc, name = e["id"].split(":", 1)
        surfaces = set(e["aliases"]) | {name}
        gid = e.get("geonames")
        city = b.places.get(f"gn:{gid}") if gid else None
        if city is not None:  # the GeoNames city that is the district (or its seat) becomes it
            surfaces |= city.surfaces
            lat, lon = city.lat, city.lon
        else:
            anchor = b.places.get(b.id_of(e.get("anchor")) or "")
            lat, lon = (anchor.lat, anchor.lon) if anchor else (None, None)
        # the district's own names are not names of the city around it ("Bao'an" of Shenzhen)
        folded = {fold(s) for s in surfaces}
        for p in named.get(cc, ()):
            if any(fold(s) in folded for s in p.surfaces):
                p.surfaces = {s for s in p.surfaces if fold(s) not in folded}
        pid = f"gn:{gid}" if gid else f"tt:{cc}-{slug(name)}"
        named.setdefault(cc, []).append(
            b.add(
                Place(
                    pid,
                    name,
                    cc,
                    "district",
                    geonames_id=gid,
                    lat=lat,
                    lon=lon,
                    parent_id=b.id_of(e["parent"]),
                    prior=0.9,
                    surfaces=surfaces,
                ),
                e["id"],
            )
        )


def add_registry(b: Builder, entries: list[dict]) -> None:
    ids = {}
    for e in entries:
        cc, name = e["id"].split(":", 1)
        anchor = b.places.get(b.id_of(e.get("anchor")) or "")
        pid = ids[e["id"]] = f"tt:{cc}-{slug(name)}"
        b.add(
            Place(
                pid,
                name,
                cc,
                e["level"],
                parent_id=e.get("parent") or None,
                lat=anchor.lat if anchor else None,
                lon=anchor.lon if anchor else None,
                prior=0.95,
                surfaces=set(e["aliases"]) | {name},
            ),
            e["id"],
        )
    for e in entries:
        place = b.places[ids[e["id"]]]
        place.parent_id = b.id_of(place.parent_id)
        place.members = tuple(m for m in (b.id_of(x) for x in e.get("members", [])) if m)
    # A city that a registry region lists as member hangs below it (Birmingham → West Midlands).
    for e in entries:
        if e["level"] != "province-or-state":
            continue
        for m in b.places[ids[e["id"]]].members:
            member = b.places.get(m)
            if member is not None and member.level in ("city", "prefecture-or-county"):
                member.parent_id = ids[e["id"]]
