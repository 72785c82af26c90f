"""Article extraction: bytes of an HTML page → title, text and metadata. Pure and CPU-bound.

The page is decoded and parsed exactly once: trafilatura's metadata pass already runs htmldate
(publication date) and reads rel=canonical/og:url, author and site name from the same tree as
the body extraction, so the crawler adds no second parse — only a regex over the first bytes
for the declared language. An undeclared language is left ``None``: the classifier detects it
(it reads the text anyway), so the workers do not each hold the language model (~75 MB).

trafilatura is imported on the first page, not with this module: the crawler's main process
imports it (for ``Extracted``, to unpickle the workers' results) but does not extract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version

from tradeties.common.errors import PermanentError

from . import pagetype
from .charsets import decode_html
from .fingerprint import cjk_chars

EXTRACTOR = f"trafilatura {version('trafilatura')}"

_HEAD = 4096
#: htmldate on markup only (meta tags, JSON-LD, <time>, URL), preferring the original publication
#: date; its "extensive" free-text scan costs about a fifth of the extraction time and mostly finds
#: other dates on news pages. The feed or sitemap date is the fallback.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*""", re.I)
_META_LANG = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]*content\s*=\s*["']?\s*([A-Za-z]{2,3})""", re.I
)


class NoArticle(PermanentError):
    """The page holds no article text worth publishing."""

    reason = "no_article"


@dataclass(frozen=True)
class Extracted:
    title: str | None
    text: str
    author: str | None
    sitename: str | None
    description: str | None
    published: datetime | None
    language: str | None
    language_source: str | None
    declared_canonical: str | None


def declared_language(html: str) -> str | None:
    head = html[:_HEAD]
    m = _HTML_LANG.search(head) or _META_LANG.search(head)
    return m.group(1).lower()[:2] if m else None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def text_length(text: str, cjk_char_weight: float) -> float:
    """Length in Latin-text characters: CJK script packs about a word into one character."""
    return len(text) + (cjk_char_weight - 1.0) * cjk_chars(text)


def extract(
    body: bytes, url: str, http_charset: str | None = None, *, min_text_chars: int = 0, cjk_char_weight: float = 1.0
) -> Extracted:
    """Extract the article of one page; raise NoArticle when its text is shorter than
    ``min_text_chars`` (CJK characters weighted ``cjk_char_weight``) or empty."""
    import trafilatura
    from trafilatura.settings import Document

    html = decode_html(body, http_charset)
    pagetype.check(html, url)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, date_extraction_params=DATE_PARAMS
        )
    except Exception as exc:  # trafilatura/lxml on hostile markup: count it, never crash the crawl
        raise NoArticle(f"extraction failed: {type(exc).__name__}: {exc}", reason="malformed_html") from exc
    if not isinstance(doc, Document):  # None: nothing found (a dict comes only with as_dict=True)
        raise NoArticle("no article text (0 chars)")
    text = paragraphs(doc.text or "")
    if not text or text_length(text, cjk_char_weight) < min_text_chars:
        raise NoArticle(f"no article text ({len(text)} chars)")
    language = declared_language(html)
    return Extracted(
        title=(doc.title or "").strip() or None,
        text=text,
        author=doc.author or None,
        sitename=doc.sitename or None,
        description=doc.description or None,
        published=_date(doc.date),
        language=language,
        language_source="declared" if language else None,
        declared_canonical=doc.url if doc.url and doc.url != url else None,
    )
