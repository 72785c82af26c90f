"""What an outlet of the fixture news web serves at each path: homepage, feeds (RSS, Atom, JSON),
sitemap index and sitemaps, article pages, syndicated copies, robots.txt — with ETag/Last-Modified
validators answered by 304."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime

from aiohttp import web

from . import pages
from .outlet import FEED_TYPES, Outlet

LAST_MODIFIED = format_datetime(datetime(2024, 1, 1, tzinfo=UTC), usegmt=True)
#: Linked from every outlet's homepage and feed, disallowed by its robots.txt.
PRIVATE_PATH = "/private/internal-memo"


async def respond(o: Outlet, request: web.Request) -> web.StreamResponse:
    """The response of ``o`` to ``request``: an extra route, robots.txt, a document (conditional GET) or 404."""
    path = request.path
    if path in o.extra_routes:
        return await o.extra_routes[path](request)
    if path == "/robots.txt":
        if o.robots == "error":
            return web.Response(status=500, text="robots backend down")
        delay = f"Crawl-delay: {o.crawl_delay:g}\n" if o.crawl_delay else ""
        return web.Response(text=f"User-agent: *\nDisallow: /private/\n{delay}\nSitemap: {o.url('/sitemap_index.xml')}\n")
    doc = document(o, path)
    if doc is None:
        if path.startswith("/old/"):
            raise web.HTTPMovedPermanently(location=path[len("/old") :])
        raise web.HTTPNotFound(text="no such story")
    body, ctype = doc
    return _conditional(o, request, body, ctype)


def _conditional(o: Outlet, request: web.Request, body: bytes, ctype: str) -> web.Response:
    if not o.validators:
        return web.Response(body=body, headers={"Content-Type": ctype})
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": ctype}
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers and request.headers.get("If-Modified-Since") == LAST_MODIFIED
    ):
        return web.Response(status=304, headers={"ETag": etag, "Last-Modified": LAST_MODIFIED})
    return web.Response(body=body, headers=headers)


def _items(o: Outlet) -> list[tuple[str, str, str]]:
    items = [(o.url(a.url_path), a.title, a.published) for a in o.articles]
    items += [(o.url(p), t, r.published) for p, r, t, _ in o.syndicated]
    items += [(o.url(p), p.strip("/"), "2024-01-01") for p in o.raw_pages]
    return items


def document(o: Outlet, path: str) -> tuple[bytes, str] | None:
    """The body and content type ``o`` serves at ``path`` (None: not one of its documents)."""
    if path in o.rendered:
        return o.rendered[path]
    html = "text/html; charset=utf-8"
    if path in o.raw_pages:
        return o.raw_pages[path], html
    for a in o.articles:
        if a.url_path == path:
            related = [(b.url_path, b.title) for b in o.articles if b is not a][:3]
            return pages.article_html(
                a,
                outlet=o.name,
                base=o.base_url,
                path=path,
                style=o.style,
                declare_lang=o.declare_lang,
                related=related,
                page_style=o.page_style,
            ).encode(), html
    for p, rec, title, note in o.syndicated:
        if p == path:
            return pages.article_html(
                rec,
                outlet=o.name,
                base=o.base_url,
                path=p,
                style=o.style + 1,
                title=title,
                extra_paragraph=note,
                page_style=o.page_style,
            ).encode(), html
    items = _items(o)
    if path == "/":
        links = [(u, t) for u, t, _ in items]
        if o.articles:
            links += [
                ("/missing-story", "A story that is gone"),
                (PRIVATE_PATH, "Internal memo"),
                ("/old" + o.articles[0].url_path, "Old link"),
            ]
        links += o.homepage_extra
        feed_path, feed_type = FEED_TYPES[o.feed_format]
        return pages.homepage_html(o.name, links, [(feed_path, feed_type)]).encode(), html
    if path == "/feed.xml":
        extra = [(o.url(PRIVATE_PATH), "Internal memo", "2024-01-01")] if o.articles else []
        return pages.rss(o.name, o.base_url, items + extra).encode(), "application/rss+xml"
    if path == "/atom.xml":
        return pages.atom(o.name, o.base_url, items).encode(), "application/atom+xml"
    if path == "/feed.json":
        return pages.json_feed(o.name, o.base_url, items).encode(), "application/feed+json"
    if path == "/sitemap_index.xml":
        return pages.sitemap_index([o.url("/sitemap-articles.xml"), o.url("/news-sitemap.xml")]).encode(), "application/xml"
    if path == "/sitemap-articles.xml":
        return pages.sitemap([(u, d) for u, _, d in items]).encode(), "application/xml"
    if path == "/news-sitemap.xml":
        return pages.news_sitemap(o.name, items).encode(), "application/xml"
    if path.startswith("/private/"):
        return b"<html><body><p>Internal memo: not for crawlers.</p></body></html>", html
    return None
