"""Watches: saved searches with optional webhook channels, kept in the ``{prefix}-watches`` index.

A watch is validated like any search (the same bounds), its name is its document id, and its
webhook URLs are secrets: every answer, page and log line shows them masked. Watches come from
``config/watches.yaml`` (created or replaced at start-up) and from the API.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from elasticsearch import Elasticsearch, NotFoundError
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from tradeties.search.query import InvalidSearch, SearchParams, validate

#: Names with a meaning of their own in /feeds/{name}.atom.
RESERVED = {"search", "alerts"}
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
MASK = "**********"


class Channel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["json", "slack"] = "json"
    url: SecretStr

    @field_validator("url")
    @classmethod
    def _http(cls, url: SecretStr) -> SecretStr:
        value = url.get_secret_value()
        if not re.match(r"https?://[^\s/]+", value) or len(value) > 2000:
            raise ValueError("must be an http:// or https:// URL")
        return url


class Watch(BaseModel):
    """A saved search; its feed is /feeds/{name}.atom, its channels get each new match once."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: str = Field("", max_length=200)
    query: str = ""
    regions: list[str] = []
    countries: list[str] = []
    sectors: list[str] = []
    event_types: list[str] = []
    sources: list[str] = []
    relevant: Literal["yes", "no", "any"] = "yes"
    #: also push delegation alerts whose origin or destination is in regions/countries
    alerts: bool = False
    channels: list[Channel] = Field([], max_length=10)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not NAME.fullmatch(name) or name in RESERVED:
            raise ValueError(
                f"{name[:70]!r}: lower-case letters, digits and '-', at most 63, not {' or '.join(sorted(RESERVED))}"
            )
        return name

    @model_validator(mode="after")
    def _bounded(self) -> Watch:
        try:
            validate(self.params())
        except InvalidSearch as exc:
            raise ValueError(str(exc)) from None
        return self

    def params(self, **over: Any) -> SearchParams:
        return SearchParams(
            query=self.query,
            regions=tuple(self.regions),
            countries=tuple(self.countries),
            sectors=tuple(self.sectors),
            event_types=tuple(self.event_types),
            sources=tuple(self.sources),
            relevant={"yes": True, "no": False, "any": None}[self.relevant],
            **over,
        )

    def masked(self) -> dict[str, Any]:
        """JSON for answers and pages: channel URLs replaced by the mask."""
        data = self.model_dump(mode="json")
        data["channels"] = [{"kind": c.kind, "url": MASK} for c in self.channels]
        return data

    def stored(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["channels"] = [{"kind": c.kind, "url": c.url.get_secret_value()} for c in self.channels]
        return data


def index_name(prefix: str) -> str:
    return f"{prefix}-watches"


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "name": {"type": "keyword"},
        "updated_at": {"type": "date"},
        # The watch itself is stored, not searched: its fields change without a mapping change.
        "watch": {"type": "object", "enabled": False},
    },
}


class WatchStore:
    """Watches in Elasticsearch (refresh=wait_for on writes: a change is listed as soon as it is answered)."""

    def __init__(self, client: Elasticsearch, prefix: str) -> None:
        self._es, self.index = client, index_name(prefix)

    def ensure_index(self) -> None:
        if not self._es.indices.exists(index=self.index):
            self._es.options(ignore_status=400).indices.create(
                index=self.index, mappings=MAPPINGS, settings={"number_of_shards": 1, "number_of_replicas": 0}
            )

    def list(self) -> list[Watch]:
        resp = self._es.search(index=self.index, size=1000, sort=[{"name": "asc"}], query={"match_all": {}})
        return [Watch.model_validate(h["_source"]["watch"]) for h in resp.body["hits"]["hits"]]

    def get(self, name: str) -> Watch | None:
        try:
            return Watch.model_validate(self._es.get(index=self.index, id=name).body["_source"]["watch"])
        except NotFoundError:
            return None

    def put(self, watch: Watch, *, create: bool = False) -> Watch:
        """Store ``watch``; with ``create``, ConflictError if the name exists."""
        now = datetime.now(UTC)
        old = None if create else self.get(watch.name)
        watch = watch.model_copy(update={"created_at": (old.created_at if old else None) or now, "updated_at": now})
        self._es.index(
            index=self.index,
            id=watch.name,
            op_type="create" if create else "index",
            refresh="wait_for",
            document={"name": watch.name, "updated_at": now.isoformat(), "watch": watch.stored()},
        )
        return watch

    def delete(self, name: str) -> bool:
        try:
            self._es.delete(index=self.index, id=name, refresh="wait_for")
            return True
        except NotFoundError:
            return False


def load_file(path: Path) -> list[Watch]:
    """The watches of a YAML file (``watches: [...]``); a missing file holds none."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return [Watch.model_validate(w) for w in data.get("watches", [])]


def apply_file(store: WatchStore, path: Path) -> list[str]:
    """Create the watches index and create or replace the watches of ``path``; their names."""
    store.ensure_index()
    names = []
    for watch in load_file(path):
        store.put(watch)
        names.append(watch.name)
    return names
