"""The gazetteer: every place tradeties can recognise, loaded once per process from the artefact
that build.py makes (`make gazetteer`; built here on first use when missing or stale), with the
name automata and the lookups every consumer uses."""

from __future__ import annotations

import logging
import pickle
import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .build import ARTEFACT, FORMAT, fingerprint, write
from .naming import ascii_name
from .place import Place
from .text import Matcher, fold

log = logging.getLogger(__name__)
# a leading article that a written reference may leave out ("FR:Réunion" for La Réunion, "Havre")
_ARTICLE = re.compile(r"^(?:la |le |les |l'|the )")


@dataclass(frozen=True)
class Country:
    code: str
    name: str


def _read(header_only: bool = False) -> dict | None:
    """The artefact's body on disk if it was built from what is installed now, else None."""
    if not ARTEFACT.exists():
        return None
    with open(ARTEFACT, "rb") as f:
        try:
            header = pickle.load(f)
        except (pickle.UnpicklingError, EOFError, ValueError):
            return None
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("fingerprint") != fingerprint():
            return None
        return header if header_only else pickle.load(f)


def artefact_is_current() -> bool:
    return _read(header_only=True) is not None


def _load() -> dict:
    data = _read()
    if data is None:
        log.warning("gazetteer artefact %s is missing or stale; building it", ARTEFACT)
        data = write()
    return data


class _Places(Mapping[str, Place]):
    """Id → Place, each made from its artefact row on first use (most never are: loading stays fast).
    The ids are sorted (build.py), so a binary search finds a row without building an index."""

    def __init__(self, ids: list[str], rows: Sequence[tuple]) -> None:
        self._ids = ids
        self._rows = rows
        self._made: dict[str, Place] = {}

    def _row(self, key: object) -> int:
        i = bisect_left(self._ids, key) if isinstance(key, str) else len(self._ids)
        return i if i < len(self._ids) and self._ids[i] == key else -1

    def __getitem__(self, key: str) -> Place:
        p = self._made.get(key)
        if p is None:
            i = self._row(key)
            if i < 0:
                raise KeyError(key)
            r = self._rows[i]
            p = self._made[key] = Place(*r[:11], frozenset(r[11]), r[12])
        return p

    def get(self, key, default=None):  # type: ignore[override]  # Mapping's get goes through a KeyError per miss
        p = self._made.get(key)
        if p is not None:
            return p
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._made or self._row(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class Gazetteer:
    def __init__(self, data: dict | None = None) -> None:
        data = data or _load()
        self.places: Mapping[str, Place] = _Places(data["ids"].split("\n"), data["rows"])
        self.old_ids: dict[str, str] = data["old"]
        self.shadowing: dict[str, list[str]] = data["shadowing"]
        self.alternates: dict[str, frozenset[str]] = data["alternates"]  # build_cities: a city's GeoNames alternate names
        self.common_names: frozenset[str] = data["common_names"]
        self.nouns: frozenset[str] = data["nouns"]  # naming.german_nouns
        self.by_iso: dict[str, str] = data["by_iso"]
        self.member_of: dict[str, list[str]] = data["member_of"]
        self.countries = {code: Country(code, name) for code, name in data["countries"].items()}
        self._folded_names: dict[tuple[str, str], list[Place]] | None = None
        self._ancestors: dict[tuple[str, str | None], tuple[Place, ...]] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._written: dict[str, tuple[str, ...]] = {}
        self.place_matcher: Matcher[str] = data["place_matcher"]
        self.country_matcher: Matcher[str] = Matcher(data["country_surfaces"], capitalised=False)

    # -- lookups -----------------------------------------------------------------------------
    def get(self, ref: str | None) -> Place | None:
        """A place by id; an ISO 3166-2 code or an old "CC:Name" id also finds it."""
        if ref is None:
            return None
        return self.places.get(ref) or self.places.get(self.by_iso.get(ref, "")) or self.places.get(self.old_ids.get(ref, ""))

    def lookup(self, ref: str) -> Place | None:
        """The place a reference written by someone else means: an id, an ISO code, an old
        "CC:Name" id, else a place of that country one of whose names matches case- and
        accent-insensitively or in its ASCII spelling ("DE:Duesseldorf", "FR:ile-de-france");
        among namesakes the exact name, then the most prominent."""
        exact = self.get(ref)
        if exact is not None:
            return exact
        cc, _, name = ref.partition(":")
        if not name:
            return None
        cands = self._by_folded_name().get((cc.upper(), fold(name)), [])
        return max(cands, key=lambda p: (fold(p.name) == fold(name), p.prior, p.population), default=None)

    def candidates(self, name: str, country: str | None = None) -> list[Place]:
        """Every place a readable name may mean, most prominent first (`search --region`)."""
        found = [
            p
            for (cc, key), ps in self._by_folded_name().items()
            if key == fold(name) and (country is None or cc == country.upper())
            for p in ps
        ]
        return sorted({p.id: p for p in found}.values(), key=lambda p: (-p.prior, -p.population, p.id))

    def _by_folded_name(self) -> dict[tuple[str, str], list[Place]]:
        if self._folded_names is None:  # built on first use: only evaluation and search need it
            self._folded_names = {}
            for p in self.places.values():
                for s in {p.name, ascii_name(p.name, p.country)} | set(p.surfaces):
                    folded = fold(s)
                    for key in {folded, _ARTICLE.sub("", folded)}:
                        self._folded_names.setdefault((p.country, key), []).append(p)
        return self._folded_names

    def ancestors(self, place: Place) -> list[Place]:
        # resolution asks for the same few places' chains many times per article: kept once walked
        key = (place.id, place.parent_id)
        chain = self._ancestors.get(key)
        if chain is None:
            out: list[Place] = []
            seen = {place.id}
            cur = self.get(place.parent_id)
            while cur is not None and cur.id not in seen:
                out.append(cur)
                seen.add(cur.id)
                cur = self.get(cur.parent_id)
            chain = self._ancestors[key] = tuple(out)
        return list(chain)

    def folded_names(self, place: Place) -> frozenset[str]:
        """The place's name and surfaces, folded (kept: resolution reads them for every namesake's parents)."""
        names = self._names.get(place.id)
        if names is None:
            names = self._names[place.id] = frozenset(fold(x) for x in (place.name, *place.surfaces))
        return names

    def written_names(self, place: Place) -> tuple[str, ...]:
        """The place's name and surfaces of two characters or more, as written (kept: resolution
        tests the words after each namesake against its parents' names, ``str.startswith`` of them all)."""
        names = self._written.get(place.id)
        if names is None:
            names = self._written[place.id] = tuple(x for x in (place.name, *place.surfaces) if len(x) > 1)
        return names

    def parents(self, place: Place) -> list[str]:
        """Ids of the parent chain, nearest first, up to the first-level division."""
        return [a.id for a in self.ancestors(place)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: loaded on first use, then shared (automata included)."""
    return Gazetteer()


@dataclass(frozen=True)
class RegionRef:
    """What a user's region reference resolved to: the ids to filter on and, for a readable name
    that several places bear, which one was taken and how many there were."""

    ref: str
    ids: tuple[str, ...]
    place: Place | None
    namesakes: int = 0

    def note(self) -> str | None:
        if self.place is None:
            return f"no place is named {self.ref!r}; filtering on it as an id"
        if self.namesakes > 1:
            chain = ", ".join(a.name for a in gazetteer().ancestors(self.place)[-1:])
            return (
                f"{self.ref!r}: took {self.place.name}{', ' + chain if chain else ''} ({self.place.id}), one of "
                f"{self.namesakes} places of that name; pass an id or 'Name, Parent' to pick another"
            )
        return None


def resolve_region(ref: str, gaz: Gazetteer | None = None) -> RegionRef:
    """A `--region` value → ids: an id (or old "CC:Name" id, kept beside its new id so documents
    indexed before schema version 2 still match), else a readable name, optionally "CC:Name"."""
    gaz = gaz or gazetteer()
    place = gaz.get(ref)
    if place is not None:
        cc, _, name = ref.partition(":")
        shared = len(gaz.candidates(name, cc)) if ref in gaz.old_ids else 0
        return RegionRef(ref, tuple(dict.fromkeys((place.id, ref))), place, shared)
    name, _, parent = (x.strip() for x in ref.partition(","))
    cc, _, bare = name.partition(":") if re.match(r"^[A-Z]{2}:", name) else ("", "", name)
    cands = gaz.candidates(bare, cc or None)
    if parent:  # "Columbus, Ohio", "Portland, ME": a namesake below that parent
        cands = [
            p
            for p in cands
            if any(
                fold(parent) in {fold(x) for x in (a.name, a.id, *a.surfaces)}
                or fold(parent) == fold((a.iso3166_2 or "-").split("-")[-1])
                for a in gaz.ancestors(p)
            )
        ]
    if not cands:
        return RegionRef(ref, (ref,), None)
    return RegionRef(ref, (cands[0].id, ref), cands[0], len(cands))
