"""build_article: a fetched, extracted page → the RawArticle event, field by field (pure, no IO)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tradeties.common.events import RawArticle, content_hash_for
from tradeties.crawler.articles import build_article
from tradeties.crawler.extraction import EXTRACTOR, Extracted
from tradeties.crawler.fetcher import Fetched
from tradeties.crawler.pool import Page
from tradeties.crawler.scheduler import Job

FETCHED_AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
FEED_DATE = datetime(2026, 12, 5, tzinfo=UTC)


def _page(**fields: object) -> Page:
    values: dict[str, Any] = dict(
        title=None,
        text="Delegates signed a deal.",
        author=None,
        sitename=None,
        description=None,
        published=None,
        language=None,
        language_source=None,
        declared_canonical=None,
    )
    values.update(fields)
    extracted = Extracted(**values)
    return Page(extracted, content_hash_for(extracted.text), None)


def _build(job: Job, page: Page) -> RawArticle:
    fetched = Fetched(url="https://a.example/s?x=1", status=200, body=b"<html>12345</html>", content_type="text/html")
    return build_article(job, fetched, page, article_id="id1", canonical="https://a.example/s", fetched_at=FETCHED_AT)


def test_the_pages_metadata_wins_over_the_listings():
    job = Job("https://a.example/s", "A", "article", via="feed", title="Feed title", published=FEED_DATE)
    page = _page(title="Page title", published=datetime(2026, 12, 4, tzinfo=UTC), language="de", language_source="declared")
    a = _build(job, page)
    assert (a.title, a.published_at, a.language) == ("Page title", datetime(2026, 12, 4, tzinfo=UTC), "de")
    assert (a.extraction.date_source, a.extraction.language_source, a.extraction.discovered_via) == (
        "htmldate",
        "declared",
        "feed",
    )
    assert (a.url, a.canonical_url, a.id, a.fetched_at, a.source) == (
        "https://a.example/s?x=1",
        "https://a.example/s",
        "id1",
        FETCHED_AT,
        "A",
    )
    assert (a.extraction.extractor, a.extraction.response_bytes, a.extraction.http_status) == (EXTRACTOR, 18, 200)


def test_the_listing_fills_what_the_page_lacks_and_the_canonical_url_stands_in_for_a_title():
    a = _build(Job("https://a.example/s", "A", "article", via="sitemap", published=FEED_DATE), _page())
    assert (a.title, a.published_at, a.extraction.date_source) == ("https://a.example/s", FEED_DATE, "sitemap")
    assert a.language is None and a.extraction.language_source is None
    undated = _build(Job("https://a.example/s", "A", "article", via="robots"), _page(title="T"))
    assert undated.published_at is None and undated.extraction.date_source is None
    assert undated.extraction.discovered_via is None  # not a way a URL can be found
