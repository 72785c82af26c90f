"""The sources file: which outlets to watch, through which entry points, how often.

Pure: ``load_sources(path)`` reads YAML into frozen models and raises ``ConfigError`` (with the
offending field) on anything invalid, so a typo fails loudly at start-up, not mid-crawl.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradeties.common.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: str | int | float) -> float:
    """'15m' → 900.0; plain numbers are seconds."""
    if isinstance(value, (int, float)):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 15m, 2h)")
    return float(m.group(1)) * _UNIT_S[m.group(2)]


def _http_urls(urls: list[str]) -> list[str]:
    for u in urls:
        if not u.lower().startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {u!r}")
    return urls


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    feeds: list[str] = []
    sitemaps: list[str] = []
    homepages: list[str] = []
    urls: list[str] = []
    interval_s: float | None = Field(None, alias="interval", gt=0)

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
        data = yaml.safe_load(text) or {}
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
