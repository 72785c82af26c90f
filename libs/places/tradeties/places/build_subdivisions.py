"""The gazetteer's first-level divisions (and GB's counties and districts), from pycountry with the
names and GeoNames points the builder gathered."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pycountry

from .build import JA_SUFFIXES, SUBDIVISION_COUNTRIES, WEAK, one_word_division_alias
from .build_divisions import division_names
from .naming import (
    COMMON_WORDS,
    GENERIC,
    SUBDIVISION_WORDS,
    SUFFIX,
    ascii_name,
    cjk_division_names,
    kana,
)
from .place import Place
from .text import fold, is_cjk
from .type_words import english_division_alias

# France's overseas regions (ISO types other than "region"): Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
OVERSEAS_REGIONS = ("Overseas departmental collectivity", "Overseas unique territorial collectivity")

if TYPE_CHECKING:
    from .build import Builder


def add_subdivisions(b: Builder) -> None:
    """First-level divisions (and GB's counties and districts) from pycountry, with their names in
    every language the sources carry and their GeoNames points."""
    aliases = b.names["subdivision_aliases"]
    for cc in SUBDIVISION_COUNTRIES:
        # by code: pycountry gives a set, whose order (and so the shadowing lists') varied per run
        for s in sorted(pycountry.subdivisions.get(country_code=cc) or [], key=lambda s: s.code):
            if cc not in ("GB", "IE") and s.parent_code is not None:  # GB and IE down to counties
                continue
            if cc == "FR" and "region" not in s.type.lower() and "Corse" not in s.name and s.type not in OVERSEAS_REGIONS:
                continue
            name = b.english(s.code, s.name)
            if fold(name) in SUBDIVISION_WORDS:
                continue
            top = s.parent_code is None
            surfaces = {name, ascii_name(name, cc), re.sub(r"\s*\[.*?\]", "", s.name), SUFFIX.sub("", s.name)}
            surfaces |= set(re.findall(r"\[(.*?)\]", s.name))
            for t in b.tr:
                tr = t.gettext(s.name)
                if tr != s.name:
                    surfaces |= {tr, SUFFIX.sub("", tr)} | set(re.findall(r"\[(.*?)\]", tr))
                    # a two-character name without its suffix only in East Asia (广东, 愛知):
                    # abroad it is too often a word (滨海 "coastal" for Pomorskie)
                    if tr.endswith(("省", "州")) and len(tr) > (2 if cc in ("CN", "JP", "KR") else 3):
                        surfaces.add(tr[:-1])
                    if cc == "JP" and all(is_cjk(ch) for ch in tr):
                        surfaces |= {tr + x for x in JA_SUFFIXES}
            surfaces |= set(aliases.get(s.code, []))  # (curated CJK ones take their suffix forms too: 大东部大区)
            surfaces |= cjk_division_names({a for a in (*surfaces, *b.div_aliases.get(s.code, ()))}, bare=False)
            surfaces |= {
                core
                for x in list(surfaces)
                if (core := GENERIC.sub("", x)) != x and len(core) > 2 and fold(core) not in COMMON_WORDS
            }
            # English names of several words as they stand ("Moscow Oblast" must not add "Moscow"),
            # and the one-word names in any language ("Silesia", "Chechnya", "Euskadi", "Carinthia")
            surfaces |= {
                a for a in b.div_aliases.get(s.code, ()) if english_division_alias(a) or (top and one_word_division_alias(a, cc))
            }
            if top:
                surfaces |= division_names(s.code, cc, s.type, name, {s.name, *b.div_aliases.get(s.code, ())})
            county = cc == "IE" and not top
            if county:  # "County Mayo", "Co. Cork"; not the bare name: a town's or a person's (Dublin, Kerry, Clare)
                surfaces = {x for x in surfaces if " " in x} | {f"County {name}", f"Co. {name}"}
            prior = (0.9 if top else 0.7) if s.code not in WEAK else 0.45
            gid = b.iso_gid.get(s.code)
            pid = s.code if top or not gid else f"gn:{gid}"
            lat, lon = b.point(gid, s.code)
            b.add(
                Place(
                    pid,
                    name,
                    cc,
                    "province-or-state" if top else "prefecture-or-county",
                    iso3166_2=s.code,
                    geonames_id=gid,
                    lat=lat,
                    lon=lon,
                    parent_id=s.parent_code,
                    prior=prior,
                    # two kana are a word, not a name (ボー for Vaud)
                    surfaces={x for x in surfaces if x and len(x) > (2 if kana(x) else 1)},
                ),
                None if county else f"{cc}:{name}",  # "IE:Dublin" stays the city
            )
            words = name.split()
            if top and len(words) >= 2 and len(words[-1]) >= 4 and fold(words[-1]) not in SUBDIVISION_WORDS:
                b.shadowing.setdefault(fold(words[-1]), []).append(pid)
    for d in b.divs.values():
        if d.iso and d.iso in b.places:
            b.div_id[d.row] = d.iso
        elif d.iso and d.geonames_id and f"gn:{d.geonames_id}" in b.places:
            b.div_id[d.row] = f"gn:{d.geonames_id}"
