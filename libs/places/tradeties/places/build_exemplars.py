"""Big cities' names in the news' languages from CLDR's time-zone exemplar cities (sources.
cldr_exemplar_cities): Kiew and Kiev for Kyiv, Riad for Riyadh, Prag, Rom, Singapur, Saporischschja —
exonyms GeoNames lists among untagged alternate names that the build cannot tell from words and
codes (a four-letter alternate is kept for no city; under a million people only spellings are)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import sources
from .naming import zipf
from .text import fold, is_cjk

if TYPE_CHECKING:
    from .build import Builder


def add_exemplar_names(b: Builder) -> None:
    """Each exemplar city's names go to the most populous city (or city-state) of its country whose
    English name is the zone's; a name another place of a town's size already bears, a word English
    writes (Zipf ≥ 3.5: "Roma", "Rom") and a name under three letters are left out. The new Latin
    names are alternate names (resolve: a name followed by a surname is a person's)."""
    from .build import CITY_STATES

    by_name: dict[tuple[str, str], list] = {}
    for p in b.places.values():
        if p.level == "city" or p.iso3166_2 in CITY_STATES:
            by_name.setdefault((p.country, fold(p.name)), []).append(p)
    taken: dict[str, set[str]] = {}
    for p in b.places.values():
        if p.prior >= 0.2:
            for s in p.surfaces:
                taken.setdefault(fold(s), set()).add(p.id)
    for (cc, english), names in sorted(sources.cldr_exemplar_cities().items()):
        cities = by_name.get((cc, fold(english)))
        if not cities:
            continue
        city = max(cities, key=lambda p: p.population)
        new = {
            n
            for n in names
            if n not in city.surfaces
            and (len(n) >= 2 if is_cjk(n[0]) else len(n) >= 3 and zipf(n, "en") < 3.5)
            and not taken.get(fold(n), set()) - {city.id}
        }
        city.surfaces |= new
        for n in new:
            if not is_cjk(n[0]):
                # a name English does not write: a person's where a surname follows ("Riad Malki")
                b.alternates.setdefault(fold(n), set()).add(city.id)
