"""The "realistic" article page style: an article inside the chrome real news outlets wrap it in.

The plain style (``pages.article_html``) is a few hundred bytes of markup around the text, which
trafilatura extracts ~7× faster than a real news page. Pages of this style carry what real outlets'
pages do (measured on the 181 pages of the article-extraction benchmark: median ~115 KB, ~140
``div``, ~135 links, ~90 list items, ~30 scripts holding ~24 KB of code, ~30 ``meta`` and ~18
``link`` tags): a consent banner, a mega-menu, a ticker, ad slots, breadcrumbs, share bars, a lead
image, an in-body "read more" box, a newsletter box, tags, comments, related and most-read lists, a
sidebar, a link-heavy footer, JSON-LD, an embedded app-state blob, inline styles and scripts.

All chrome text is made up here from small word lists, seeded by the page's URL: the same page is
the same bytes on every request and in every run, and no outlet's markup or text is copied.
"""

from __future__ import annotations

import hashlib
import json
import random
from html import escape

from .chrome_blocks import NOUN, SECTIONS, WHO, card, comments, css, headline, icon, menu, script, share, slug
from .records import ArticleRecord


def article_html(
    rec: ArticleRecord,
    *,
    outlet: str,
    base: str,
    path: str,
    title: str,
    declare_lang: bool,
    paragraphs: list[str],
    related: list[tuple[str, str]],
) -> str:
    """One article page of the realistic style (~90 KB; deterministic for a given page)."""
    rng = random.Random(int(hashlib.sha256(f"{outlet}|{path}".encode()).hexdigest()[:16], 16))
    section = rng.choice(SECTIONS[:8])
    lang = f' lang="{rec.lang}"' if declare_lang else ""
    published = f"{rec.published}T08:00:00+00:00"
    description = paragraphs[0][:150] if paragraphs else title
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published,
        "dateModified": published,
        "mainEntityOfPage": base + path,
        "articleSection": section,
        "publisher": {"@type": "Organization", "name": outlet, "logo": {"@type": "ImageObject", "url": base + "/logo.png"}},
        **({"author": [{"@type": "Person", "name": rec.byline}]} if rec.byline else {}),
    }
    state = {
        "page": {"type": "article", "section": section, "path": path},
        "navigation": [{"label": s, "href": f"/{s.lower()}/"} for s in SECTIONS],
        "teasers": [
            {
                "headline": headline(rng),
                "href": f"/{rng.choice(SECTIONS).lower()}/{rng.randrange(10**7)}",
                "image": f"/img/{rng.randrange(10**8):x}.jpg",
                "kicker": rng.choice(SECTIONS),
            }
            for _ in range(120)
        ],
        "ads": {f"slot-{i}": {"sizes": [[728, 90], [300, 250]], "targeting": {"section": section, "pos": i}} for i in range(8)},
    }
    meta = "".join(
        f'<meta property="{k}" content="{escape(v)}">'
        for k, v in (
            ("og:type", "article"),
            ("og:title", title),
            ("og:description", description),
            ("og:url", base + path),
            ("og:site_name", outlet),
            ("og:image", f"{base}/img/{rng.randrange(10**8):x}-1200.jpg"),
            ("article:published_time", published),
            ("article:modified_time", published),
            ("article:section", section),
        )
    )
    meta += "".join(
        f'<meta name="{k}" content="{escape(v)}">'
        for k, v in (
            ("description", description),
            ("twitter:card", "summary_large_image"),
            ("twitter:title", title),
            ("twitter:description", description),
            ("robots", "max-image-preview:large"),
            ("viewport", "width=device-width, initial-scale=1"),
            ("theme-color", "#1a1a2e"),
            *((("author", rec.byline),) if rec.byline else ()),
        )
    )
    links = "".join(
        f'<link rel="{r}" href="{h}"{a}>'
        for r, h, a in (
            ("preconnect", "https://cdn.example.invalid", ""),
            ("preconnect", "https://ads.example.invalid", ""),
            ("dns-prefetch", "https://metrics.example.invalid", ""),
            ("stylesheet", "/static/css/main.css", ""),
            ("stylesheet", "/static/css/article.css", ""),
            ("preload", "/static/fonts/serif.woff2", ' as="font" crossorigin'),
            ("preload", "/static/js/app.js", ' as="script"'),
            ("icon", "/favicon.ico", ""),
            ("apple-touch-icon", "/apple-touch-icon.png", ""),
            ("manifest", "/manifest.json", ""),
            ("amphtml", f"{base}/amp{path}", ""),
            ("alternate", "/feed.xml", ' type="application/rss+xml"'),
        )
    )

    body_parts = []
    for i, p in enumerate(paragraphs):
        body_parts.append(f"<p>{escape(p)}</p>")
        if i == 1:
            rel = headline(rng)
            body_parts.append(
                f'<aside class="inline-related related"><span class="inline-related__label">Read more</span>'
                f'<a href="/{section.lower()}/{slug(rel)}">{escape(rel)}</a></aside>'
            )
        if i == 2:
            body_parts.append(
                f'<div class="ad-slot ad-slot--inarticle" id="ad-inarticle-{i}" data-ad-unit="/{section.lower()}/inarticle" '
                f'data-sizes="300x250,336x280" data-label="Advertisement" aria-hidden="true"></div>'
            )
    tags = "".join(f'<li class="tags__item"><a href="/topic/{slug(t)}">{escape(t.title())}</a></li>' for t in rng.sample(NOUN, 5))
    related_cards = "".join(card(rng, "related") for _ in range(12))
    own_related = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in related)
    most_read = "".join(
        f'<li class="most-read__item"><span class="most-read__rank">{i + 1}</span>'
        f'<a href="/{rng.choice(SECTIONS).lower()}/{rng.randrange(10**7)}">{escape(headline(rng))}</a></li>'
        for i in range(10)
    )
    ticker = "".join(
        f'<li class="ticker__item"><a href="/live/{rng.randrange(10**6)}">{escape(headline(rng))}</a></li>' for _ in range(5)
    )
    footer_cols = "".join(
        f'<div class="footer__col"><h4 class="footer__heading">{h}</h4><ul class="footer__links">'
        + "".join(f'<li><a href="/{slug(h)}/{slug(x)}">{escape(x)}</a></li>' for x in xs)
        + "</ul></div>"
        for h, xs in (
            ("Sections", SECTIONS),
            ("About us", ("Who we are", "Contact", "Careers", "Advertise", "Press office", "Editorial standards", "Corrections")),
            (
                "Services",
                (
                    "Newsletters",
                    "Podcasts",
                    "Apps",
                    "E-paper",
                    "Archive",
                    "Events",
                    "Puzzles",
                    "Obituaries",
                    "Announcements",
                    "Jobs",
                    "Dating",
                ),
            ),
            (
                "Legal",
                (
                    "Terms of use",
                    "Privacy policy",
                    "Cookie settings",
                    "Accessibility",
                    "Sitemap",
                    "Complaints",
                    "Modern slavery statement",
                ),
            ),
        )
    )
    scripts_head = script(rng, "consent", 25) + script(rng, "ads", 45)
    scripts_tail = script(rng, "metrics", 45) + script(rng, "comments", 20) + script(rng, "video", 30)
    head_title = escape(f"{title} | {section} | {outlet}")
    return f"""<!DOCTYPE html>
<html{lang} class="no-js"><head><meta charset="utf-8"><title>{head_title}</title>
<link rel="canonical" href="{escape(base + path)}">{meta}{links}{css(rng)}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>window.dataLayer=window.dataLayer||[];window.dataLayer.push({json.dumps({"section": section, "pageType": "article", "published": rec.published})});</script>
{scripts_head}
</head><body class="page page--article section-{section.lower()}">
<div id="consent-banner" class="consent" role="dialog" aria-label="Cookie consent"><p class="consent__text">We and our
partners use cookies to personalise content and ads and to analyse traffic.</p><button class="consent__accept">Accept all
</button><button class="consent__manage">Manage options</button></div>
<a class="skip-link" href="#main">Skip to content</a>
<svg style="display:none" xmlns="http://www.w3.org/2000/svg">{"".join(f'<symbol id="icon-{n}" viewBox="0 0 16 16"><path d="M{rng.randrange(16)} {rng.randrange(16)}h8v8h-8z"/></symbol>' for n in ("facebook", "x", "linkedin", "whatsapp", "email", "copy-link", "search", "menu", "user"))}</svg>
<header class="header"><div class="header__top"><span class="header__date">{rec.published}</span>
<a class="header__subscribe" href="/subscribe">Subscribe</a><a class="header__login" href="/login">{icon("user")} Sign in</a></div>
<div class="header__brand"><a class="logo" href="/" aria-label="{escape(outlet)} home">{escape(outlet)}</a></div>
<button class="header__menu" aria-expanded="false">{icon("menu")} Menu</button>
<form class="search" action="/search" role="search"><input type="search" name="q" placeholder="Search"><button>{icon("search")}</button></form>
{menu(rng)}</header>
<div class="ticker" aria-label="Latest"><span class="ticker__label">Latest</span><ul class="ticker__list">{ticker}</ul></div>
<div class="ad-slot ad-slot--leaderboard" id="ad-top" data-ad-unit="/{section.lower()}/top" data-sizes="728x90,970x250" aria-hidden="true"></div>
<main id="main" class="layout"><div class="layout__content">
<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/{section.lower()}/">{section}</a></li></ol></nav>
<article class="article" itemscope itemtype="https://schema.org/NewsArticle">
<header class="article__header"><span class="article__kicker">{section}</span><h1 class="article__title" itemprop="headline">{escape(title)}</h1>
<div class="article__meta">{f'<span class="article__byline">By <a rel="author" href="/authors/{slug(rec.byline)}">{escape(rec.byline)}</a></span>' if rec.byline else ""}
<time class="article__date" datetime="{published}" itemprop="datePublished">{rec.published}</time></div>
{share("top")}</header>
<figure class="article__lead-image"><img src="/img/{rng.randrange(10**8):x}-960.jpg" srcset="/img/{rng.randrange(10**8):x}-480.jpg 480w, /img/{rng.randrange(10**8):x}-960.jpg 960w, /img/{rng.randrange(10**8):x}-1440.jpg 1440w" sizes="(max-width: 768px) 100vw, 720px" width="960" height="540" alt="">
<figcaption class="article__caption">Photograph: {escape(rng.choice(WHO))} {escape(rng.choice(WHO))}son/Agency</figcaption></figure>
<div class="article__body" itemprop="articleBody">
{"".join(body_parts)}
</div>
<footer class="article__footer"><aside class="newsletter newsletter--inline"><h4 class="newsletter__title">Get the morning briefing
</h4><form class="newsletter__form" action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="Your email address" required>
<button type="submit">Sign up</button></form></aside><ul class="tags">{tags}</ul>{share("bottom")}</footer>
</article>
{comments(rng)}
<section class="related-articles"><h2>More from {section}</h2><div class="related-articles__grid">{related_cards}</div>
<ul class="related-articles__list">{own_related}</ul></section>
</div>
<aside class="sidebar"><div class="ad-slot ad-slot--mpu" id="ad-side" data-ad-unit="/{section.lower()}/side" data-sizes="300x250,300x600" aria-hidden="true"><span class="ad-slot__label">Advertisement</span></div>
<section class="most-read"><h2>Most read</h2><ol>{most_read}</ol></section>
<div class="newsletter newsletter--sidebar"><h4>Newsletters</h4><p>The day's regional news in your inbox.</p><a href="/newsletters">Choose newsletters</a></div>
</aside></main>
<footer class="footer"><div class="footer__columns">{footer_cols}</div>
<ul class="footer__social">{"".join(f'<li><a href="/social/{n}">{icon(n)}<span>{n}</span></a></li>' for n in ("facebook", "x", "linkedin"))}</ul>
<p class="footer__copyright">&copy; {escape(outlet)}. All rights reserved.</p></footer>
<script>window.__APP_STATE__={json.dumps(state)};</script>
{scripts_tail}
<noscript><img src="/metrics/pixel.gif?p={escape(path)}" width="1" height="1" alt=""></noscript>
</body></html>"""
