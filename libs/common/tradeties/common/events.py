"""Event contracts carried on Kafka between the services.

Every event is a frozen pydantic model with ``extra="forbid"``: a producer bug or a foreign message
is a schema violation (dead-lettered), never a silently dropped field. ``schema_version`` is
bumped on any incompatible change; ``schemas/`` holds the exported JSON Schemas and a test fails
when the models and those files drift apart (``tradeties schemas export`` rewrites them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .ids import article_id_for as article_id_for
from .ids import content_hash_for as content_hash_for

SCHEMA_VERSION: Final = 2
# 2: region ids are place ids (ISO 3166-2 / "gn:<geonameid>" / "tt:<CC>-<slug>", was "CC:Name") and
# RegionTag carries its parent chain. Version-1 events still validate; docs/places.md says how
# indexed documents move to the new ids (re-classify from articles.raw, reindex).

AdminLevel = Literal[
    "country",
    "province-or-state",
    "prefecture-or-county",
    "city",
    "district",
    "regional-partnership",
]
RegionRole = Literal["origin", "destination", "party", "mention"]
Stage = Literal["crawler", "classifier", "indexer", "alerts"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1, 2] = SCHEMA_VERSION


class Extraction(BaseModel):
    """How the article text was obtained, for audits and extraction-quality work."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extractor: str = Field(description="Library and version that produced the text, e.g. trafilatura 2.3.1.")
    author: str | None = None
    sitename: str | None = None
    description: str | None = None
    date_source: str | None = Field(None, description="Where published_at came from (htmldate, feed, sitemap).")
    language_source: str | None = Field(
        None,
        description="'declared' (html lang / Content-Language); None when undeclared "
        "(the classifier detects it; 'detected' from older crawlers).",
    )
    http_status: int | None = None
    content_type: str | None = None
    response_bytes: int | None = None
    discovered_via: Literal["feed", "sitemap", "homepage", "url"] | None = None


class RawArticle(Event):
    """One article as the crawler found it. Keyed on Kafka by ``id``."""

    id: str = Field(description="article_id_for(canonical_url).")
    url: str = Field(description="The URL that was fetched (after redirects).")
    canonical_url: str
    source: str = Field(description="Outlet name from the sources file.")
    title: str
    text: str = Field(description="Main text, paragraphs separated by blank lines.")
    published_at: AwareDatetime | None = None
    language: str | None = Field(None, description="ISO 639-1 code.")
    fetched_at: AwareDatetime
    content_hash: str = Field(description="content_hash_for(text).")
    extraction: Extraction


class RegionTag(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        description="Place id: a first-level division's ISO 3166-2 code ('CN-LN'), 'gn:<GeoNames id>' "
        "('gn:4509177', Columbus, Ohio), or 'tt:<CC>-<slug>' for curated places without one "
        "('tt:GB-midlands-engine'). Schema version 1 wrote 'CC:Name'."
    )
    name: str = Field(description="Usual English name (readable; not unique).")
    country: str = Field(description="ISO 3166-1 alpha-2.")
    iso3166_2: str | None = None
    geonames_id: int | None = None
    admin_level: AdminLevel
    lat: float | None = None
    lon: float | None = None
    parent_id: str | None = Field(None, description="Id of the enclosing region (city → county → province).")
    parents: list[str] = Field(
        [],
        description="Ids of the parent chain, nearest first, up to the first-level "
        "division (or the partnership a city belongs to).",
    )
    role: RegionRole
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(description="Text span the region was found in.")


class Label(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str


class Delegation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: RegionTag | None
    destination: RegionTag | None


class Classification(BaseModel):
    """The classifier's verdict; the same shape is printed by ``tradeties classify``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    relevant: bool
    relevance: float = Field(ge=0.0, le=1.0)
    regions: list[RegionTag] = []
    countries: list[str] = []
    sectors: list[Label] = []
    event_types: list[Label] = []
    primary_event_type: str | None = None
    delegation: Delegation | None = None
    language: str | None = None
    cluster_id: str
    model_version: str


class ClassifiedArticle(Event):
    """A RawArticle with its classification. Keyed on Kafka by ``article.id``."""

    article: RawArticle
    classification: Classification
    classified_at: AwareDatetime


class DelegationAlert(Event):
    """One alert per delegation *event*; later reports of the same event bump ``revision``.

    Keyed on Kafka by ``alert_id``, so a compacted topic or an index keeps the newest revision.
    """

    alert_id: str = Field(description="Derived from the event cluster id: stable across restarts.")
    cluster_id: str
    revision: int = Field(ge=1, description="1 when raised, +1 for each further article on the event.")
    origin: RegionTag | None
    destination: RegionTag | None
    title: str = Field(description="Title of the first article that reported the event.")
    url: str
    article_ids: list[str] = Field(description="Every article reporting the event, first one first.")
    sources: list[str]
    event_date: AwareDatetime | None = None
    first_seen_at: AwareDatetime
    updated_at: AwareDatetime


class DeadLetter(Event):
    """A message or document a stage could not process, with everything needed to replay it."""

    # base64 in JSON: the original may be any bytes, not only UTF-8.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    stage: Stage
    consumer: str | None = Field(
        None,
        description="Consumer group that failed on the original. A topic read by several groups (the alerts "
        "topic: classifier and indexer) yields one dead letter per group that fails on a message; replay it to "
        "that group only.",
    )
    topic: str | None = Field(None, description="Topic the original came from, if any.")
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    original: bytes = Field(description="The original bytes, unchanged.")
    headers: dict[str, str] = {}
    error_type: str = Field(description="Reason code, e.g. undecodable, schema_invalid, mapper_parsing_exception.")
    error_message: str
    failed_at: AwareDatetime
    attempts: int = 1


EVENT_MODELS: dict[str, type[Event]] = {m.__name__: m for m in (RawArticle, ClassifiedArticle, DelegationAlert, DeadLetter)}
