"""One outlet of the fixture news web: its address, articles and how it serves them (feed format,
page style, validators, robots.txt, extra routes), and what a crawler is told about it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .records import ArticleRecord

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FEED_TYPES = {
    "rss": ("/feed.xml", "application/rss+xml"),
    "atom": ("/atom.xml", "application/atom+xml"),
    "json": ("/feed.json", "application/feed+json"),
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@dataclass
class Outlet:
    name: str
    ip: str
    articles: list[ArticleRecord] = field(default_factory=list)
    feed_format: str = "rss"
    style: int = 0
    #: Article page style (``pages.PAGE_STYLES``): "plain", or "realistic" real-outlet chrome.
    page_style: str = "plain"
    declare_lang: bool = True
    validators: bool = True  # False: never answers 304 (tests the content-hash fallback)
    robots: str = "normal"  # "normal" | "error" (robots.txt answers 500)
    crawl_delay: float = 0.0
    raw_pages: dict[str, bytes] = field(default_factory=dict)  # path → HTML bytes served as-is
    #: path → (body, content type) rendered once and served as-is instead of rendering each request
    #: (a benchmark's: serving then costs what a static file server's does, not the pipeline's cores)
    rendered: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    port: int = 0
    extra_routes: dict[str, Handler] = field(default_factory=dict)
    homepage_extra: list[tuple[str, str]] = field(default_factory=list)
    syndicated: list[tuple[str, ArticleRecord, str, str]] = field(default_factory=list)  # path, rec, title, note
    #: What a crawler is told about this outlet: sources-file keys (feeds, sitemaps, homepages,
    #: urls) → paths. None: its feed, its sitemap index and its homepage.
    entry_points: dict[str, list[str]] | None = None
    interval: str = "15m"

    @property
    def base_url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def article_paths(self) -> list[str]:
        return [a.url_path for a in self.articles] + list(self.raw_pages) + [p for p, *_ in self.syndicated]

    def source(self) -> dict[str, Any]:
        """This outlet's entry in a crawler sources file (absolute URLs: call once it is serving)."""
        entry = self.entry_points
        if entry is None:
            entry = {"feeds": [FEED_TYPES[self.feed_format][0]], "sitemaps": ["/sitemap_index.xml"], "homepages": ["/"]}
        return {"name": self.name, **{k: [self.url(p) for p in paths] for k, paths in entry.items()}, "interval": self.interval}
