"""Is a page an article? The gate that keeps navigation, tag, author, about, contact and privacy
pages out of the pipeline, however much text they hold.

Signals, read from the page the extractor already decoded (regexes over the markup, no parse):
- schema.org types in JSON-LD (``NewsArticle``, ``Article``, ``BlogPosting``, ... vs ``AboutPage``,
  ``ContactPage``, ``ProfilePage``, ``CollectionPage``, ...);
- Open Graph ``og:type`` (``article`` vs ``profile``) and ``article:published_time``;
- the URL shape: a path whose segment is ``about``, ``contact``, ``privacy``, ``terms``, ``imprint``,
  ``tag/…``, ``author/…``, ``category/…`` and the like.

A page is refused (``NotArticle``, reason ``not_article``) when a non-article signal (URL shape
or page type) is present and no article signal (an article type, ``og:type=article``, a
published-time meta) outweighs it. Pages with neither kind of signal are left to the length test,
as before: most small outlets mark nothing up.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tradeties.common.errors import PermanentError

_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_OG_TYPE = re.compile(r"""<meta[^>]+property\s*=\s*["']og:type["'][^>]*content\s*=\s*["']\s*([\w.:-]+)""", re.I)
_OG_TYPE_REV = re.compile(r"""<meta[^>]+content\s*=\s*["']\s*([\w.:-]+)["'][^>]*property\s*=\s*["']og:type["']""", re.I)
_PUBLISHED_META = re.compile(r"""<meta[^>]+(?:article:published_time|datePublished)""", re.I)
ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "backgroundnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "report",
    "liveblogposting",
    "socialmediaposting",
}
#: Page types only (WebSite, Organization blocks sit on every page of a site, articles included).
NAV_TYPES = {"aboutpage", "contactpage", "profilepage", "collectionpage", "searchresultspage", "faqpage", "checkoutpage"}
#: og:type "website" is not one: real outlets put it on their articles too (2 of the 181 real pages).
_NAV_OG = {"profile"}
#: Path segments (extension dropped) that name a site's own pages.
_NAV_PAGES = {
    "about",
    "about-us",
    "aboutus",
    "who-we-are",
    "contact",
    "contact-us",
    "contacts",
    "privacy",
    "privacy-policy",
    "privacy-notice",
    "data-protection",
    "datenschutz",
    "terms",
    "terms-of-use",
    "terms-of-service",
    "terms-and-conditions",
    "tos",
    "imprint",
    "impressum",
    "legal",
    "legal-notice",
    "cookies",
    "cookie-policy",
    "accessibility",
    "advertise",
    "careers",
    "jobs",
    "subscribe",
    "newsletter",
    "newsletters",
    "login",
    "register",
    "sitemap",
    "faq",
    "help",
    "team",
    "staff",
    "editorial-policy",
}
#: Listings: /tag/x, /author/y, /category/z (the last two segments; /archive/123 is often a story).
_NAV_LISTINGS = {
    "tag",
    "tags",
    "topic",
    "topics",
    "author",
    "authors",
    "category",
    "categories",
    "search",
    "people",
    "profile",
    "user",
    "users",
}


class NotArticle(PermanentError):
    reason = "not_article"


def _types(html: str) -> set[str]:
    found = set()
    for m in _LD_TYPE.finditer(html):
        found |= {t.strip().strip('"').rsplit("/", 1)[-1].lower() for t in m.group(1).strip("[]").split(",")}
    og = _OG_TYPE.search(html[:32768]) or _OG_TYPE_REV.search(html[:32768])
    if og:
        found.add("og:" + og.group(1).lower())
    return found


def nav_url(url: str) -> bool:
    segments = [s.rsplit(".", 1)[0].lower() for s in urlsplit(url).path.split("/") if s]
    if any(s in _NAV_PAGES for s in segments):
        return True
    return any(s in _NAV_LISTINGS for s in segments[-2:])


def check(html: str, url: str) -> None:
    """Raise NotArticle when ``html`` at ``url`` is a site's own page, not a story."""
    types = _types(html) if "@type" in html or "og:type" in html else set()
    article = bool(types & ARTICLE_TYPES) or "og:article" in types or bool(_PUBLISHED_META.search(html[:65536]))
    if article:
        return
    nav_type = types & NAV_TYPES or {t for t in types if t.startswith("og:") and t[3:] in _NAV_OG}
    if nav_url(url) or (nav_type and not types & ARTICLE_TYPES):
        raise NotArticle(f"not an article page (url shape or page type {sorted(nav_type) or ''})")
