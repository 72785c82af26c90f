"""Builders for the crawler tests: outlets of canned responses on loopback hosts of their own,
article pages in any encoding, the real crawler of a news web and one crawl of it."""

from __future__ import annotations

import random
from html import escape
from typing import Any

from tradeties.crawler.service import Crawler
from tradeties.crawler.sources import SourcesFile
from tradeties.crawler.store import StateStore
from tradeties.newsweb import Canned, NewsWeb, Outlet
from tradeties.newsweb.pages import endless_extraction_page

from .helpers import FakePublisher, fast_retry, fast_settings

ALLOW_ALL = Canned(b"User-agent: *\nAllow: /\n", headers=(("Content-Type", "text/plain"),))
EN_WORDS = (
    "delegation trade regional province governor investment port logistics agreement chamber exporters "
    "officials partnership memorandum visit industry cooperation agency ministry council fair"
).split()


def words(seed: int, n: int = 80, vocabulary: tuple[str, ...] | list[str] = EN_WORDS) -> str:
    """A text of ``n`` words no other seed shares many shingles with (no near-duplicates)."""
    rng = random.Random(seed)
    return " ".join(rng.choice(vocabulary) for _ in range(n)) + "."


def page(title: str, paragraphs: list[str], *, lang: str = "en", meta_charset: str | None = "utf-8", head: str = "") -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{escape(title)}</title>{head}</head>'
        f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>"
    )


def html(body: bytes, content_type: str = "text/html; charset=utf-8", *extra: tuple[str, str]) -> Canned:
    return Canned(body, headers=(("Content-Type", content_type), *extra))


def rss(items: list[tuple[str, str]], encoding: str = "utf-8", title: str = "Feed") -> bytes:
    entries = "".join(f"<item><title>{escape(t)}</title><link>{escape(u)}</link></item>" for u, t in items)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"{entries}</channel></rss>"
    ).encode(encoding)


def outlet(
    ip: str, routes: dict, entry_points: dict, *, name: str | None = None, robots: Canned = ALLOW_ALL, interval: str = "30m"
) -> Outlet:
    return Outlet(
        name=name or f"Case {ip}",
        ip=ip,
        interval=interval,
        extra_routes={"/robots.txt": robots, **routes},
        entry_points=entry_points,
    )


def slow_page_web(ip: str) -> tuple[NewsWeb, list[bytes]]:
    """One outlet: ``/slow`` (an extraction that cannot finish) and three good stories, whose
    bodies are returned to calibrate the deadline with (the ``extraction_deadline`` fixture)."""
    good = [page(f"Good story {i}", [words(300 + i, 90), words(400 + i, 90)]).encode() for i in range(3)]
    routes = {"/slow": html(endless_extraction_page()), **{f"/good/{i}": html(b) for i, b in enumerate(good)}}
    return NewsWeb([outlet(ip, routes, {"urls": list(routes)})]), good


def new_crawler(
    web: NewsWeb, tmp_path, sources: dict | None = None, publisher=None, extraction=None, resolver=None, retry=None, **overrides
) -> Crawler:
    """The real crawler of ``web`` (or ``sources``) with fast settings (``overrides`` on top), its state
    in ``tmp_path`` (``crawler.store``) and an always-acking publisher unless given one; not started."""
    settings = fast_settings(tmp_path, **overrides)
    return Crawler(
        sources=SourcesFile.model_validate(sources or web.sources()),
        crawler=settings,
        retry=retry or fast_retry(),
        store=StateStore(settings.state_path),
        publisher=publisher or FakePublisher(),
        extraction=extraction,
        **({"resolver": resolver} if resolver else {}),
    )


async def crawl(web: NewsWeb, tmp_path, **kwargs) -> tuple[Crawler, StateStore, Any]:
    """One pass of ``new_crawler(web, tmp_path, **kwargs)``."""
    crawler = new_crawler(web, tmp_path, **kwargs)
    async with crawler:
        await crawler.run_pass()
    return crawler, crawler.store, crawler.publisher
