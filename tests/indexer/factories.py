"""Events for indexer tests, built from the real models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tradeties.common.events import (
    Classification,
    ClassifiedArticle,
    Delegation,
    DelegationAlert,
    Extraction,
    Label,
    RawArticle,
    RegionTag,
    article_id_for,
    content_hash_for,
)

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

LIAONING = dict(
    id="CN-LN",
    name="Liaoning",
    country="CN",
    iso3166_2="CN-LN",
    geonames_id=2036115,
    admin_level="province-or-state",
    lat=41.0,
    lon=123.0,
)
BIRMINGHAM = dict(
    id="gn:2655603",
    name="Birmingham",
    country="GB",
    geonames_id=2655603,
    admin_level="city",
    lat=52.48,
    lon=-1.89,
    parent_id="tt:GB-west-midlands",
    parents=["tt:GB-west-midlands", "GB-ENG"],
)

GUANGDONG = dict(id="CN-GD", name="Guangdong", country="CN", admin_level="province-or-state", lat=23.1, lon=113.3)


def region(base: dict, role: str, **over) -> RegionTag:
    return RegionTag(**{**base, "role": role, "confidence": 0.9, "evidence": base["name"], **over})


def article(
    n: int = 0,
    *,
    title: str | None = None,
    text: str | None = None,
    source: str = "Midlands Daily",
    published: datetime | None = T0,
    event_types: tuple[str, ...] = ("delegation_visit",),
    sectors: tuple[str, ...] = ("advanced_manufacturing",),
    classified_at: datetime | None = None,
    relevance: float = 0.9,
    origin: RegionTag | None = None,
    destination: RegionTag | None = None,
    model_version: str = "test-1",
    url: str | None = None,
) -> ClassifiedArticle:
    url = url or f"https://news.example/business/{n}"
    text = text or (
        f"A delegation from Liaoning province visited Birmingham (story {n}). Officials signed "
        "agreements on manufacturing and met investors in the West Midlands."
    )
    origin = origin or region(LIAONING, "origin")
    destination = destination or region(BIRMINGHAM, "destination")
    raw = RawArticle(
        id=article_id_for(url),
        url=url,
        canonical_url=url,
        source=source,
        title=title or f"Liaoning delegation visits Birmingham #{n}",
        text=text,
        published_at=published + timedelta(hours=n) if published else None,
        language="en",
        fetched_at=T0 + timedelta(days=1),
        content_hash=content_hash_for(text),
        extraction=Extraction(extractor="trafilatura 2.3.1", sitename=source),
    )
    c = Classification(
        relevant=True,
        relevance=relevance,
        regions=[origin, destination],
        countries=["CN", "GB"],
        sectors=[Label(id=s, confidence=0.8, evidence=s) for s in sectors],
        event_types=[Label(id=e, confidence=0.85, evidence=e) for e in event_types],
        primary_event_type=event_types[0] if event_types else None,
        delegation=Delegation(origin=origin, destination=destination),
        language="en",
        cluster_id=f"cluster-{n}",
        model_version=model_version,
    )
    return ClassifiedArticle(article=raw, classification=c, classified_at=classified_at or T0 + timedelta(days=1, minutes=n))


def alert(n: int = 0, revision: int = 1, title: str | None = None) -> DelegationAlert:
    return DelegationAlert(
        alert_id=f"alert-{n}",
        cluster_id=f"cluster-{n}",
        revision=revision,
        origin=region(LIAONING, "origin"),
        destination=region(BIRMINGHAM, "destination"),
        title=title or f"Liaoning delegation visits Birmingham #{n}",
        url=f"https://news.example/business/{n}",
        article_ids=[f"a{n}"] * revision,
        sources=["Midlands Daily"],
        event_date=T0,
        first_seen_at=T0,
        updated_at=T0 + timedelta(hours=revision),
    )


def guangdong_agreement(destination: dict) -> ClassifiedArticle:
    """The one agreement among the delegation reports: Guangdong and ``destination``, parties to it."""
    return article(
        10,
        title="Guangdong signs agreement with Midlands Engine",
        event_types=("agreement",),
        sectors=("automotive",),
        source="Shenzhen Daily",
        origin=region(GUANGDONG, "party"),
        destination=region(destination, "party"),
        text="Guangdong province signed a memorandum of understanding on electric vehicles.",
    )
