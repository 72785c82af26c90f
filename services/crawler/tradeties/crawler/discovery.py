"""Discovery: article links from feeds, sitemaps and homepages. Pure functions on bytes.

Every parser raises ``MalformedInput`` (reason ``malformed_feed``, ``malformed_sitemap``,
``malformed_html`` or ``xml_entities``) or ``BadEncoding`` (``bad_encoding``) for input it cannot
use; the caller counts it against that URL and goes on. XML is never parsed with entity
expansion: a document that declares entities (billion laughs, external entities) is refused by
defusedxml before any parser sees it; XML in an encoding expat cannot read (GB2312, Big5,
Shift_JIS, EUC-KR ...) is transcoded to UTF-8 first (``charsets.xml_as_utf8``). feedparser is
given a stream, never bytes: bytes it may take for a file name or URL and open.

Caps keep the newest: a feed or sitemap listing more than ``max_urls`` entries keeps the
``max_urls`` with the latest dates (undated ones last) and reports how many it left out in
``Discovered.dropped``, which the caller counts.
"""

from __future__ import annotations

import calendar
import io
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from lxml import etree

from tradeties.common.errors import PermanentError
from tradeties.common.settings import CrawlerSettings

from .charsets import xml_as_utf8
from .identity import same_site

Via = Literal["feed", "sitemap", "homepage", "url"]

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}
_SKIP_EXT = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".pdf",
    ".zip",
    ".mp3",
    ".mp4",
    ".css",
    ".js",
    ".xml",
    ".rss",
    ".atom",
    ".json",
    ".ico",
    ".woff",
    ".woff2",
)


class MalformedInput(PermanentError):
    reason = "malformed"


@dataclass(frozen=True)
class Link:
    url: str
    via: Via
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Discovered:
    articles: tuple[Link, ...] = ()
    sitemaps: tuple[str, ...] = ()  # child sitemaps of an index
    feeds: tuple[str, ...] = ()  # feeds autodiscovered on a homepage
    dropped: int = 0  # entries over the cap, left out (the oldest)


def _http(url: str | None) -> bool:
    return url is not None and url.lower().startswith(("http://", "https://"))


def refuse_entities(body: bytes) -> None:
    """Raise MalformedInput when the XML declares entities or external references."""
    try:
        SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedInput(f"XML with entity declarations refused: {type(exc).__name__}", reason="xml_entities") from exc
    except (SafeET.ParseError, ValueError, LookupError):
        pass  # not well-formed (or an encoding expat lacks): the lenient parser downstream decides


def _gunzip(body: bytes, limit: int) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, limit + 1)
    except zlib.error as exc:
        raise MalformedInput(f"corrupt gzip: {exc}", reason="malformed_sitemap") from exc
    if len(out) > limit:
        raise MalformedInput(f"sitemap larger than {limit} bytes after decompression", reason="too_large")
    return out


def _struct_time(t) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(t), tz=UTC) if t else None
    except (OverflowError, ValueError, TypeError):
        return None


def _iso(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _newest(links: list[Link], cap: int) -> Discovered:
    if len(links) <= cap:
        return Discovered(articles=tuple(links))
    oldest = datetime.min.replace(tzinfo=UTC)
    kept = sorted(links, key=lambda link: link.published or oldest, reverse=True)[:cap]
    return Discovered(articles=tuple(kept), dropped=len(links) - cap)


def parse_feed(body: bytes, base_url: str, content_type: str = "", *, max_urls: int = 5_000) -> Discovered:
    """RSS 0.9x/1.0/2.0, Atom or JSON Feed → article links (the newest ``max_urls``)."""
    head = body.lstrip()[:1]
    if content_type in ("application/feed+json", "application/json") or head == b"{":
        return _parse_json_feed(body, base_url, max_urls)
    body = xml_as_utf8(body)
    refuse_entities(body)
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise MalformedInput(f"not a usable feed: {parsed.get('bozo_exception', 'no entries')}", reason="malformed_feed")
    links = []
    for e in parsed.entries:
        url = e.get("link") or next((link.get("href") for link in e.get("links", []) if link.get("rel") == "alternate"), None)
        if not url:
            continue
        url = urljoin(base_url, url)
        if _http(url):
            published = _struct_time(e.get("published_parsed") or e.get("updated_parsed"))
            links.append(Link(url, "feed", e.get("title"), published))
    return _newest(links, max_urls)


def _parse_json_feed(body: bytes, base_url: str, max_urls: int) -> Discovered:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedInput(f"JSON Feed is not JSON: {exc}", reason="malformed_feed") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise MalformedInput("JSON Feed without an items list", reason="malformed_feed")
    links = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("external_url")
        if isinstance(url, str):
            url = urljoin(base_url, url)
            if _http(url):
                title = item.get("title") if isinstance(item.get("title"), str) else None
                links.append(Link(url, "feed", title, _iso(item.get("date_published") or item.get("date_modified"))))
    return _newest(links, max_urls)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str, *, limit_bytes: int, max_urls: int) -> Discovered:
    """urlset (incl. Google News ``news:news`` titles and dates) or sitemapindex."""
    body = xml_as_utf8(_gunzip(body, limit_bytes))
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise MalformedInput(f"sitemap with DTD/entities refused: {type(exc).__name__}", reason="xml_entities") from exc
    except SafeET.ParseError as exc:
        raise MalformedInput(f"sitemap is not well-formed XML: {exc}", reason="malformed_sitemap") from exc
    kind = _local(root.tag)
    if kind == "sitemapindex":
        locs = [(_child_text(sm, "loc"), _iso(_child_text(sm, "lastmod"))) for sm in root if _local(sm.tag) == "sitemap"]
        children = [Link(urljoin(base_url, u), "sitemap", None, d) for u, d in locs if u and _http(urljoin(base_url, u))]
        newest = _newest(children, max_urls)
        return Discovered(sitemaps=tuple(link.url for link in newest.articles), dropped=newest.dropped)
    if kind != "urlset":
        raise MalformedInput(f"not a sitemap: root element <{kind}>", reason="malformed_sitemap")
    links = []
    for entry in root:
        if _local(entry.tag) != "url":
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if not _http(url):
            continue
        title, published = None, _iso(_child_text(entry, "lastmod"))
        news = next((c for c in entry if _local(c.tag) == "news"), None)
        if news is not None:
            title = _child_text(news, "title")
            published = _iso(_child_text(news, "publication_date")) or published
        links.append(Link(url, "sitemap", title, published))
    return _newest(links, max_urls)


def _child_text(el, name: str) -> str | None:
    for c in el:
        if _local(c.tag) == name:
            return (c.text or "").strip() or None
    return None


def parse_homepage(body: bytes, base_url: str, *, max_links: int) -> Discovered:
    """Same-site links one level deep, plus feeds announced with <link rel="alternate">."""
    try:
        root = lxml.html.fromstring(body, base_url=base_url)
    except (etree.ParserError, ValueError) as exc:
        raise MalformedInput(f"homepage is not parsable HTML: {exc}", reason="malformed_html") from exc
    feeds = []
    for link in root.iterfind(".//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower().split(";")[0].strip() in FEED_TYPES:
            url = urljoin(base_url, link.get("href"))
            if _http(url):
                feeds.append(url)
    seen: set[str] = set()
    links: list[Link] = []
    base_path = urlsplit(base_url).path or "/"
    for a in root.iterfind(".//a[@href]"):
        url = urljoin(base_url, a.get("href")).split("#", 1)[0]
        parts = urlsplit(url)
        if not _http(url) or not same_site(url, base_url) or url in seen:
            continue
        if parts.path in ("", "/", base_path) or parts.path.lower().endswith(_SKIP_EXT):
            continue
        seen.add(url)
        if len(links) < max_links:  # page order: a homepage leads with its latest stories
            links.append(Link(url, "homepage", (a.text_content() or "").strip() or None))
    return Discovered(articles=tuple(links), feeds=tuple(dict.fromkeys(feeds)), dropped=len(seen) - len(links))


def parse_listing(kind: str, body: bytes, url: str, content_type: str, settings: CrawlerSettings) -> Discovered:
    """A feed, sitemap or homepage (``kind``) parsed under the caps of ``settings``."""
    if kind == "feed":
        return parse_feed(body, url, content_type, max_urls=settings.max_urls_per_feed)
    if kind == "sitemap":
        return parse_sitemap(body, url, limit_bytes=settings.max_response_bytes, max_urls=settings.max_urls_per_sitemap)
    return parse_homepage(body, url, max_links=settings.max_links_per_homepage)
