"""A fetched, extracted page → the ``RawArticle`` event the crawler publishes. Pure: no IO, no clock
(``fetched_at`` is given), so a page's event can be checked field by field."""

from __future__ import annotations

from datetime import datetime

from tradeties.common.events import Extraction, RawArticle

from .extraction import EXTRACTOR
from .fetcher import Fetched
from .pool import Page
from .scheduler import Job

#: How a URL can have been found; anything else is not reported as ``discovered_via``.
DISCOVERY_KINDS = ("feed", "sitemap", "homepage", "url")


def build_article(job: Job, fetched: Fetched, page: Page, *, article_id: str, canonical: str, fetched_at: datetime) -> RawArticle:
    """The page's metadata wins over the listing's (feed title, feed or sitemap date); the
    canonical URL stands in for a missing title."""
    ex = page.extracted
    published = ex.published or job.published
    return RawArticle(
        id=article_id,
        url=fetched.url,
        canonical_url=canonical,
        source=job.source,
        title=ex.title or job.title or canonical,
        text=ex.text,
        published_at=published,
        language=ex.language,
        fetched_at=fetched_at,
        content_hash=page.content_hash,
        extraction=Extraction(
            extractor=EXTRACTOR,
            author=ex.author,
            sitename=ex.sitename,
            description=ex.description,
            date_source="htmldate" if ex.published else (job.via if published else None),
            language_source=ex.language_source if ex.language else None,
            http_status=fetched.status,
            content_type=fetched.content_type,
            response_bytes=len(fetched.body),
            discovered_via=job.via if job.via in DISCOVERY_KINDS else None,
        ),
    )
