"""Rendering of the fixture outlets' documents: article pages, homepages, feeds, sitemaps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xesc

from . import chrome
from .records import ArticleRecord

#: Article page styles: "plain" (a few hundred bytes of chrome) or "realistic" (``chrome``: what
#: real outlets wrap an article in, ~100 KB).
PAGE_STYLES = ("plain", "realistic")

_BOILERPLATE = {
    0: ("Business · Economy · Regions · Markets · Opinion", "Sign up to our morning briefing on regional business."),
    1: ("News · Trade · Investment · Councils · Events", "Subscribe for weekly updates on trade and investment."),
}


def rfc822(day: str) -> str:
    return format_datetime(datetime.strptime(day, "%Y-%m-%d").replace(hour=8, tzinfo=UTC), usegmt=True)


def iso(day: str) -> str:
    return datetime.strptime(day, "%Y-%m-%d").replace(hour=8, tzinfo=UTC).isoformat()


def article_html(
    rec: ArticleRecord,
    *,
    outlet: str,
    base: str,
    path: str,
    style: int = 0,
    title: str | None = None,
    declare_lang: bool = True,
    extra_paragraph: str | None = None,
    related: Sequence[tuple[str, str]] = (),
    page_style: str = "plain",
) -> str:
    title = title or rec.title
    paras = list(rec.paragraphs) + ([extra_paragraph] if extra_paragraph else [])
    if page_style == "realistic":
        return chrome.article_html(
            rec,
            outlet=outlet,
            base=base,
            path=path,
            title=title,
            declare_lang=declare_lang,
            paragraphs=paras,
            related=list(related),
        )
    if page_style != "plain":
        raise ValueError(f"unknown page style {page_style!r} (one of {PAGE_STYLES})")
    nav, promo = _BOILERPLATE[style % 2]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    lang = f' lang="{rec.lang}"' if declare_lang else ""
    byline = f'<p class="byline">By {escape(rec.byline)}</p>' if rec.byline else ""
    rel = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in related)
    return f"""<!DOCTYPE html>
<html{lang}><head><meta charset="utf-8"><title>{escape(title)} | {escape(outlet)}</title>
<link rel="canonical" href="{escape(base + path)}">
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="article:published_time" content="{iso(rec.published)}">
{f'<meta name="author" content="{escape(rec.byline)}">' if rec.byline else ""}
</head><body>
<header><div class="logo"><a href="/">{escape(outlet)}</a></div><nav>{escape(nav)}</nav></header>
<main><article><h1>{escape(title)}</h1>{byline}
<time datetime="{iso(rec.published)}">{rec.published}</time>
{body}
</article></main>
<aside><h2>Related stories</h2><ul>{rel}</ul><p>{escape(promo)}</p></aside>
<footer><p>&copy; {escape(outlet)}. All rights reserved. Terms · Privacy · Cookies · Contact</p></footer>
</body></html>"""


def homepage_html(outlet: str, links: list[tuple[str, str]], feeds: list[tuple[str, str]]) -> str:
    alt = "".join(f'<link rel="alternate" type="{t}" href="{escape(h)}">' for h, t in feeds)
    items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in links)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(outlet)}</title>{alt}</head>
<body><header><h1>{escape(outlet)}</h1><nav><a href="/">Home</a></nav></header>
<main><ul>{items}</ul></main><footer>&copy; {escape(outlet)}</footer></body></html>"""


def rss(outlet: str, base: str, items: list[tuple[str, str, str]]) -> str:
    """items: (url, title, day)."""
    entries = "".join(
        f"<item><title>{xesc(t)}</title><link>{xesc(u)}</link><guid>{xesc(u)}</guid><pubDate>{rfc822(d)}</pubDate></item>"
        for u, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{xesc(outlet)}</title>'
        f"<link>{xesc(base)}/</link><description>{xesc(outlet)}</description>{entries}</channel></rss>"
    )


def atom(outlet: str, base: str, items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f'<entry><title>{xesc(t)}</title><link rel="alternate" href="{xesc(u)}"/><id>{xesc(u)}</id>'
        f"<updated>{iso(d)}</updated></entry>"
        for u, t, d in items
    )
    updated = iso(max((d for _, _, d in items), default="2020-01-01"))
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{xesc(outlet)}</title><id>{xesc(base)}/</id><updated>{updated}</updated>{entries}</feed>"
    )


def json_feed(outlet: str, base: str, items: list[tuple[str, str, str]]) -> str:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": outlet,
            "home_page_url": base + "/",
            "items": [{"id": u, "url": u, "title": t, "date_published": iso(d)} for u, t, d in items],
        }
    )


def sitemap(urls: list[tuple[str, str | None]]) -> str:
    body = "".join(f"<url><loc>{xesc(u)}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</url>" for u, d in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


def news_sitemap(outlet: str, items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<url><loc>{xesc(u)}</loc><news:news><news:publication><news:name>{xesc(outlet)}</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{iso(d)}</news:publication_date>"
        f"<news:title>{xesc(t)}</news:title></news:news></url>"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>'
    )


def sitemap_index(urls: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{xesc(u)}</loc></sitemap>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'


ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<rss version="2.0"><channel><title>&g;</title><item><title>&g;</title><link>/fault/bomb-item</link></item></channel></rss>"""


def endless_extraction_page(tags: int = 100_000) -> bytes:
    """An article page whose extraction cannot finish within any deadline a test sets: ``tags`` inline
    tags in one paragraph (trafilatura is super-linear in them: 10k took ~10 s, 40k over 120 s on the
    project's 2-core machine; 100k, under 1 MB, takes many minutes on any machine)."""
    return ("<html><body><article><h1>Slow</h1><p>" + "<b>x</b> " * tags + "</p></article></body></html>").encode()
