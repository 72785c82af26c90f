"""URL identity: canonical form of an article URL and the article id derived from it.

The canonical URL is the page's own ``rel=canonical`` (or ``og:url``) when it points to the same
site, else the fetched URL; either way normalised by courlan (scheme/host lower-cased, default
port and fragment dropped, tracking parameters such as utm_* and fbclid stripped). A canonical
link to another site is ignored: any page could otherwise claim another outlet's URL and
suppress its article.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import courlan

from tradeties.common.events import article_id_for

#: A page's URL is normalised when discovered, again when fetched, and its host looked up per
#: request (gate, robots, queue): both are pure, so the latest URLs' results are kept.
_CACHED = 4096


@lru_cache(maxsize=_CACHED)
def normalise(url: str) -> str:
    """Stable form of an http(s) URL; the input itself when courlan cannot parse it."""
    try:
        return courlan.normalize_url(url, strict=True)
    except (ValueError, TypeError):
        return url


@lru_cache(maxsize=_CACHED)
def host_of(url: str) -> str:
    """``host[:port]`` as used for politeness and robots.txt (port kept: two services, two hosts)."""
    return urlsplit(url).netloc.lower()


def same_site(a: str, b: str) -> bool:
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    if ha == hb:
        return True
    # www.example.org and example.org are one site.
    return ha.removeprefix("www.") == hb.removeprefix("www.")


def canonical_url(fetched_url: str, declared: str | None) -> str:
    if declared:
        candidate = urljoin(fetched_url, declared.strip())
        if candidate.startswith(("http://", "https://")) and same_site(candidate, fetched_url):
            return normalise(candidate)
    return normalise(fetched_url)


def article_id(canonical: str) -> str:
    return article_id_for(canonical)
