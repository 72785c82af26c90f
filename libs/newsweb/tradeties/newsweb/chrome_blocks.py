"""The blocks a realistic article page (``chrome``) is assembled from: word lists for made-up chrome
text, and the cards, menu, share bars, comments, scripts and styles built from them with the page's
seeded ``random.Random``."""

from __future__ import annotations

import random
from html import escape

SECTIONS = (
    "Business",
    "Economy",
    "Markets",
    "Regions",
    "Politics",
    "World",
    "Technology",
    "Energy",
    "Property",
    "Opinion",
    "Culture",
    "Sport",
)
ADJ = (
    "local",
    "regional",
    "new",
    "rising",
    "quiet",
    "major",
    "small",
    "coastal",
    "northern",
    "southern",
    "family-run",
    "historic",
    "growing",
    "troubled",
    "green",
    "rural",
    "urban",
    "late",
    "early",
    "weekly",
)
NOUN = (
    "council",
    "harbour",
    "market",
    "bakery",
    "festival",
    "bridge",
    "school",
    "rail line",
    "bus route",
    "factory",
    "orchard",
    "library",
    "stadium",
    "budget",
    "housing plan",
    "ferry",
    "museum",
    "clinic",
    "startup",
    "brewery",
    "vineyard",
    "airport",
    "canal",
    "warehouse",
    "theatre",
)
VERB = (
    "reopens",
    "expands",
    "faces delays",
    "wins award",
    "cuts prices",
    "hires staff",
    "plans upgrade",
    "celebrates anniversary",
    "changes hands",
    "draws crowds",
    "seeks funding",
    "moves site",
)
WHO = (
    "Sam",
    "Alex",
    "Jordan",
    "Robin",
    "Casey",
    "Morgan",
    "Taylor",
    "Jamie",
    "Riley",
    "Avery",
    "Quinn",
    "Drew",
    "Kim",
    "Lee",
    "Pat",
    "Chris",
)
OPINION = (
    "Good to see this covered at last.",
    "Does anyone know when the consultation closes?",
    "I remember when this was all fields.",
    "The parking situation will not improve.",
    "Great reporting, thank you.",
    "This has been promised for years.",
    "Who is paying for it?",
    "My family has lived here for decades and nobody asked us.",
    "Finally some good news.",
    "The figures in the third paragraph do not add up.",
    "Let us wait and see.",
)


def headline(rng: random.Random) -> str:
    return f"{rng.choice(ADJ).capitalize()} {rng.choice(NOUN)} {rng.choice(VERB)}"


def teaser(rng: random.Random) -> str:
    return (
        f"The {rng.choice(ADJ)} {rng.choice(NOUN)} {rng.choice(VERB)} as the {rng.choice(NOUN)} "
        f"{rng.choice(VERB)}, residents say."
    )


def slug(text: str) -> str:
    return "-".join("".join(c for c in w if c.isalnum()) for w in text.lower().split())


def icon(name: str) -> str:
    return (
        f'<svg class="icon icon-{name}" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">'
        f'<use href="#icon-{name}"></use></svg>'
    )


def card(rng: random.Random, kind: str) -> str:
    head, section = headline(rng), rng.choice(SECTIONS)
    href = f"/{section.lower()}/{rng.randrange(2015, 2025)}/{slug(head)}-{rng.randrange(10**6)}"
    return (
        f'<div class="{kind}-card card"><a class="card__media" href="{href}" tabindex="-1">'
        f'<img loading="lazy" src="/img/{rng.randrange(10**8):x}-320.jpg" '
        f'srcset="/img/{rng.randrange(10**8):x}-320.jpg 320w, /img/{rng.randrange(10**8):x}-640.jpg 640w" '
        f'width="320" height="180" alt=""></a><div class="card__body"><span class="card__kicker">{section}</span>'
        f'<h3 class="card__title"><a href="{href}">{escape(head)}</a></h3>'
        f'<p class="card__teaser">{escape(teaser(rng))}</p></div></div>'
    )


def script(rng: random.Random, name: str, lines: int) -> str:
    # Minified-looking loader code of the size ad, analytics and consent scripts have.
    body = ";".join(
        f"function {name}_{i}(e,t){{var n=e&&e.{rng.choice(('dataset', 'params', 'cfg'))}||{{}};"
        f"return n['{rng.choice(NOUN).replace(' ', '_')}_{i}']=t||{rng.randrange(10**6)},"
        f"window.__{name}Queue=(window.__{name}Queue||[]).concat([n]),n}}"
        for i in range(lines)
    )
    return f"<script>(function(){{{body};window.{name}Ready=!0}})();</script>"


def css(rng: random.Random) -> str:
    rules = []
    for block in ("header", "nav", "card", "article", "share", "comments", "footer", "ad", "ticker", "sidebar"):
        for el in ("", "__title", "__body", "__media", "--active", "--compact"):
            rules.append(
                f".{block}{el}{{margin:{rng.randrange(24)}px {rng.randrange(24)}px;"
                f"padding:{rng.randrange(16)}px;color:#{rng.randrange(16**6):06x};"
                f"font-size:{rng.choice((12, 14, 16, 18, 22))}px}}"
            )
    return "<style>" + "".join(rules) + "</style>"


def menu(rng: random.Random) -> str:
    items = []
    for s in SECTIONS:
        subs = "".join(
            f'<li class="nav__sub-item"><a href="/{s.lower()}/{slug(n)}">{escape(n.title())}</a></li>'
            for n in rng.sample(NOUN, 7)
        )
        items.append(
            f'<li class="nav__item"><a class="nav__link" href="/{s.lower()}/">{s}</a><ul class="nav__sub">{subs}</ul></li>'
        )
    return f'<nav class="nav nav--primary" aria-label="Sections"><ul class="nav__list">{"".join(items)}</ul></nav>'


def share(where: str) -> str:
    nets = ("facebook", "x", "linkedin", "whatsapp", "email", "copy-link")
    return (
        f'<div class="share share--{where}" role="group" aria-label="Share this article"><ul class="share__list">'
        + "".join(
            f'<li class="share__item"><button class="share__button share__button--{n}" data-network="{n}">'
            f'{icon(n)}<span class="visually-hidden">Share</span></button></li>'
            for n in nets
        )
        + "</ul></div>"
    )


def comments(rng: random.Random) -> str:
    items = []
    for i in range(rng.randrange(6, 12)):
        who, text = rng.choice(WHO), " ".join(rng.sample(OPINION, rng.randrange(1, 4)))
        items.append(
            f'<li class="comment" id="comment-{i}"><div class="comment__meta"><span class="comment__author">'
            f'{who}{rng.randrange(100)}</span> <span class="comment__time">{rng.randrange(1, 23)} hours ago'
            f'</span></div><div class="comment__body"><p>{escape(text)}</p></div><div class="comment__actions">'
            f'<button class="comment__reply">Reply</button><button class="comment__like">Like '
            f"({rng.randrange(40)})</button></div></li>"
        )
    return (
        f'<section class="comments" id="comments"><h2 class="comments__title">Comments ({len(items)})</h2>'
        f'<p class="comments__policy">Comments are moderated. Please read our community guidelines.</p>'
        f'<ol class="comments__list">{"".join(items)}</ol></section>'
    )
