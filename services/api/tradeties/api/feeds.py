"""Atom (RFC 4287) and JSON Feed 1.1 documents (pure): watch and search feeds of articles, the
delegation-alerts feed.

Entry ids are stable URNs (``urn:tradeties:article:{id}``, ``urn:tradeties:alert:{alert_id}``): an
alert revised by a further outlet keeps its id and gets a newer ``updated``, so a reader updates
the entry instead of adding one. Pages link to each other as an RFC 5005 paged feed (first,
previous, next). Atom's alternate link is the original article, ``related`` the project's page;
JSON Feed's ``url`` is the project's page and ``external_url`` the original.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from tradeties.search.alerts import place, route
from tradeties.search.query import Hit

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GENERATOR = "tradeties"
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    page_url: str
    updated: datetime
    published: datetime | None
    summary: str
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    entries: list[Entry]
    page_url: str
    #: (format "atom"|"json", page) → absolute URL of that page of this feed
    url_for: Callable[[str, int], str]
    page: int = 1
    has_next: bool = False

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=EPOCH)

    def links(self, fmt: str) -> dict[str, str]:
        """RFC 5005 paging links of this page in format ``fmt`` (self included)."""
        out = {"self": self.url_for(fmt, self.page), "first": self.url_for(fmt, 1)}
        if self.page > 1:
            out["previous"] = self.url_for(fmt, self.page - 1)
        if self.has_next:
            out["next"] = self.url_for(fmt, self.page + 1)
        return out


def when(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _names(regions: list[dict[str, Any]]) -> list[str]:
    seen: list[str] = []
    for r in regions:
        if (name := place(r)) not in seen:
            seen.append(name)
    return seen


def article_summary(hit: Hit) -> str:
    """ "regions: … · origin → destination · event types · sectors: …", parts left out when empty."""
    parts = []
    if hit.regions:
        parts.append("regions: " + ", ".join(_names(hit.regions)))
    d = hit.delegation or {}
    if d.get("origin") or d.get("destination"):
        parts.append(route(d))
    if hit.event_types:
        parts.append(", ".join(hit.event_types))
    if hit.sectors:
        parts.append("sectors: " + ", ".join(hit.sectors))
    return " · ".join(parts) or "no classification details"


def article_entry(hit: Hit, page_url: str) -> Entry:
    published = when(hit.published_at)
    return Entry(
        id=f"urn:tradeties:article:{hit.id}",
        title=hit.title or hit.url,
        url=hit.url,
        page_url=page_url,
        updated=when(hit.classified_at) or published or EPOCH,
        published=published,
        summary=article_summary(hit),
        tags=[*hit.event_types, *hit.sectors, *hit.region_ids],
    )


def alert_summary(alert: dict[str, Any]) -> str:
    sources = alert.get("sources") or []
    first, last = (when(alert.get(k)) for k in ("first_seen_at", "updated_at"))
    return " · ".join(
        filter(
            None,
            [
                route(alert),
                "delegation_visit",
                f"{len(sources)} outlet{'s' if len(sources) != 1 else ''}: {', '.join(sources)}" if sources else None,
                f"first seen {first:%Y-%m-%d %H:%M}" if first else None,
                f"last seen {last:%Y-%m-%d %H:%M}" if last else None,
            ],
        )
    )


def alert_entry(alert: dict[str, Any], page_url: str) -> Entry:
    updated = when(alert.get("updated_at")) or EPOCH
    return Entry(
        id=f"urn:tradeties:alert:{alert['alert_id']}",
        title=f"Delegation {route(alert)}: {alert['title']}",
        url=alert["url"],
        page_url=page_url,
        updated=updated,
        published=when(alert.get("first_seen_at")),
        summary=alert_summary(alert),
        tags=["delegation_visit", *filter(None, [alert.get("origin_region_id"), alert.get("destination_region_id")])],
    )


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom(feed: Feed) -> bytes:
    # Written with lxml directly: feedgen 1.0 drops rel/type from entry links, which makes two
    # "alternate" links per entry (RFC 4287 §4.1.1 forbids that).
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _el(root, "id", feed.id)
    _el(root, "title", feed.title)
    _el(root, "updated", feed.updated.isoformat())
    _el(_el(root, "author"), "name", GENERATOR)
    _el(root, "generator", GENERATOR)
    _el(root, "link", href=feed.page_url, rel="alternate", type="text/html")
    for rel, href in feed.links("atom").items():
        _el(root, "link", href=href, rel=rel, type="application/atom+xml")
    for e in feed.entries:
        entry = _el(root, "entry")
        _el(entry, "id", e.id)
        _el(entry, "title", e.title)
        _el(entry, "updated", e.updated.isoformat())
        if e.published:
            _el(entry, "published", e.published.isoformat())
        _el(entry, "link", href=e.url, rel="alternate", type="text/html")
        _el(entry, "link", href=e.page_url, rel="related", type="text/html")
        _el(entry, "summary", e.summary)
        for tag in e.tags:
            _el(entry, "category", term=tag)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def json_feed(feed: Feed) -> bytes:
    links = feed.links("json")
    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": links["self"],
        "authors": [{"name": GENERATOR}],
        "items": [
            {
                "id": e.id,
                "url": e.page_url,
                "external_url": e.url,
                "title": e.title,
                "summary": e.summary,
                "content_text": e.summary,
                "date_modified": e.updated.isoformat(),
                **({"date_published": e.published.isoformat()} if e.published else {}),
                "tags": e.tags,
            }
            for e in feed.entries
        ],
    }
    if "next" in links:
        doc["next_url"] = links["next"]
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()
