"""The sources file: which outlets to watch, through which entry points, how often.

Pure: ``load_sources(path)`` reads YAML into frozen models and raises ``ConfigError`` (with the
offending field) on anything invalid, so a typo fails loudly at start-up, not mid-crawl.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradeties.common.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


#: A source re-checked more often than this is a typo (``1ms``), not a schedule.
MIN_INTERVAL_S = 1.0


def parse_duration(value: str | int | float) -> float:
    """'15m' → 900.0; plain numbers are seconds. Booleans (YAML ``yes``), infinities and NaN are refused."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r} (YAML reads yes/no/on/off as booleans)")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 15m, 2h)")
        seconds = float(m.group(1)) * _UNIT_S[m.group(2)]
    if not math.isfinite(seconds):
        raise ValueError(f"not a finite duration: {value!r}")
    return seconds


def _http_urls(urls: list[str]) -> list[str]:
    for u in urls:
        if not isinstance(u, str) or not u.lower().startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {u!r}")
        if any(c.isspace() for c in u) or not urlsplit(u).hostname:
            raise ValueError(f"not a usable URL (no host, or white space): {u!r}")
    return urls


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with a key twice (a second ``sources:`` block would
    otherwise replace the first without a word)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dupes = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dupes:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {dupes}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, pattern=r"\S")
    feeds: list[str] = []
    sitemaps: list[str] = []
    homepages: list[str] = []
    urls: list[str] = []
    interval_s: float | None = Field(None, alias="interval", ge=MIN_INTERVAL_S)

    _check_urls = field_validator("feeds", "sitemaps", "homepages", "urls")(_http_urls)

    @field_validator("interval_s", mode="before")
    @classmethod
    def _duration(cls, v):
        return None if v is None else parse_duration(v)

    def entry_points(self) -> int:
        return len(self.feeds) + len(self.sitemaps) + len(self.homepages) + len(self.urls)


class SourcesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    allow_private_networks: bool = False
    sources: list[Source] = []

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, v: list[Source]) -> list[Source]:
        names = [s.name for s in v]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"source names must be unique: {sorted(dupes)}")
        return v


def parse_sources(text: str, *, origin: str = "<sources>") -> SourcesFile:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
    try:
        return SourcesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: invalid sources file: {exc}") from exc


def load_sources(path: Path) -> SourcesFile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from exc
    return parse_sources(text, origin=str(path))
