"""A place of the gazetteer: what the classifier, the indexer and the benchmark read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # an annotation only: importing the event models (pydantic) costs every process ~0.1 s
    from tradeties.common.events import AdminLevel


@dataclass(slots=True)
class Place:
    id: str  # ISO 3166-2 code of a first-level division, "gn:<geonameid>", or "tt:<CC>-<slug>"
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
    surfaces: set[str] | frozenset[str] = field(default_factory=set)
    population: int = 0

    def row(self) -> tuple:
        """The artefact's form: a plain tuple in field order (unpickles several times faster)."""
        return (
            self.id,
            self.name,
            self.country,
            self.level,
            self.iso3166_2,
            self.geonames_id,
            self.lat,
            self.lon,
            self.parent_id,
            self.prior,
            self.members,
            tuple(sorted(self.surfaces)),
            self.population,
        )
