"""The bundled demo news web: the labelled corpus (shared seeds + corpus/dev.jsonl) published by
several outlets of the fixture news web, grouped by language and each reached through other
discovery paths, plus a wire service that republishes some stories (syndicated copies).

Only the content is built here; ``tradeties.newsweb`` serves it (robots.txt, feeds, sitemaps,
homepages, 304s, the access log). The same web is what the end-to-end tests crawl, so ``DemoWeb``
also records what a correct crawl must find: one article per story (syndicated copies are
aliases), and the URLs robots.txt forbids.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from tradeties.newsweb import ArticleRecord, NewsWeb, Outlet
from tradeties.newsweb.documents import PRIVATE_PATH


@dataclass(frozen=True)
class SitePlan:
    name: str
    langs: tuple[str, ...]
    #: How the crawler is told about the site (sources-file key → paths).
    entry_points: dict
    feed_format: str = "rss"


#: Several outlets; each exercises other discovery paths and feed formats. English articles are spread over three.
SITES = (
    SitePlan("Midlands Business Daily", ("en",), {"feeds": ["/feed.xml"]}),
    SitePlan("Northern Trade Gazette", ("en",), {"sitemaps": ["/sitemap_index.xml"]}),
    SitePlan("Global Regions Review", ("en",), {"feeds": ["/feed.json"], "homepages": ["/"]}, "json"),
    SitePlan("Wirtschaft Regional", ("de",), {"sitemaps": ["/sitemap_index.xml"]}),
    SitePlan("Économie des Régions", ("fr",), {"feeds": ["/atom.xml"]}, "atom"),
    SitePlan("地方经贸网", ("zh",), {"homepages": ["/"]}),
)
WIRE = SitePlan("Trade Ties Wire", (), {"feeds": ["/feed.xml"]})


@dataclass
class DemoWeb:
    web: NewsWeb
    #: story id → (outlet, path) serving it: its corpus articles' own pages first, then wire copies.
    stories: dict[str, list[tuple[Outlet, str]]]
    articles: dict[str, ArticleRecord]

    @property
    def placements(self) -> dict[str, list[str]]:
        """story id → URLs serving it; a correct crawl indexes exactly one of them."""
        return {sid: [o.url(path) for o, path in places] for sid, places in self.stories.items()}

    @property
    def disallowed(self) -> list[str]:
        """URLs robots.txt forbids (linked from feeds and homepages all the same)."""
        return [o.url(PRIVATE_PATH) for o in self.web.outlets if o.articles]

    @property
    def expected_articles(self) -> int:
        return len(self.stories)

    def sources_yaml(self) -> str:
        return self.web.sources_yaml()

    def write_sources(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.sources_yaml(), "utf-8")
        return path

    def manifest(self) -> dict:
        return {
            "sites": {o.name: o.base_url for o in self.web.outlets},
            "expected_articles": self.expected_articles,
            "disallowed": self.disallowed,
        }

    def __enter__(self) -> DemoWeb:
        self.web.start_in_thread()
        return self

    def __exit__(self, *exc: object) -> None:
        self.web.close()


def _site_index(a: ArticleRecord) -> int:
    for i, plan in enumerate(SITES):
        if a.lang in plan.langs and plan.langs != ("en",):
            return i
    english = [i for i, p in enumerate(SITES) if p.langs == ("en",)]
    h = int(hashlib.sha256(a.outlet.encode()).hexdigest(), 16)
    return english[h % len(english)] if a.lang == "en" else english[0]


def _shingles(a: ArticleRecord, n: int = 5) -> set[tuple[str, ...]]:
    words = " ".join(a.paragraphs).lower().split()
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def story_of(articles: list[ArticleRecord], threshold: float = 0.8) -> dict[str, str]:
    """corpus id → id of its story: articles whose bodies are (near-)identical (the corpus holds
    syndicated copies under other outlets) are one story, which a correct crawl indexes once."""
    shingles = {a.id: _shingles(a) for a in articles}
    story: dict[str, str] = {}
    for i, a in enumerate(articles):
        story.setdefault(a.id, a.id)
        for b in articles[i + 1 :]:
            sa, sb = shingles[a.id], shingles[b.id]
            if b.id not in story and len(sa & sb) / max(1, len(sa | sb)) >= threshold:
                story[b.id] = story[a.id]
    return story


def build_demo_web(
    articles: list[ArticleRecord], *, first_host: int = 20, syndicate_every: int = 4, port: int = 0, page_style: str = "plain"
) -> DemoWeb:
    """The outlets on 127.0.0.{first_host}… (``port`` 0: free ports when started), filled with the corpus;
    ``page_style``: their article pages' chrome (``tradeties.newsweb.pages.PAGE_STYLES``)."""
    plans = [*SITES, WIRE]
    outlets = [
        Outlet(
            name=p.name,
            ip=f"127.0.0.{first_host + i}",
            port=port,
            feed_format=p.feed_format,
            style=i % 2,
            page_style=page_style,
            entry_points=p.entry_points,
            interval="2m",
        )
        for i, p in enumerate(plans)
    ]
    wire = outlets[-1]
    story = story_of(articles)
    stories: dict[str, list[tuple[Outlet, str]]] = {}
    for a in articles:
        outlet = outlets[_site_index(a)]
        outlet.articles.append(a)
        stories.setdefault(story[a.id], []).append((outlet, a.url_path))
    relevant = [a for a in articles if a.labels.get("relevant")]
    for n, a in enumerate(relevant):
        if n % syndicate_every == 0:
            path = f"/wire/{a.id}-{hashlib.sha1(a.url_path.encode()).hexdigest()[:8]}"
            # Same headline and text in other site chrome. No credit paragraph: on the corpus's short
            # texts one more sentence (like a new title) moves the SimHash past crawler.near_duplicate_bits,
            # and the copy would be indexed again (12 of 15 were, measured with `make demo`).
            wire.syndicated.append((path, a, a.title, ""))
            stories[story[a.id]].append((wire, path))
    return DemoWeb(web=NewsWeb(outlets), stories=stories, articles={a.id: a for a in articles})


def templated_corpus(base: list[ArticleRecord], n: int, *, seed: int = 7) -> list[ArticleRecord]:
    """``n`` distinct synthetic articles re-mixing the corpus paragraphs (for the 1,000-article benchmark).

    Each gets its own paragraph mix and a unique lead sentence, so no two are near-duplicates.
    """
    rng = random.Random(seed)
    pool = [p for a in base if a.lang == "en" for p in a.paragraphs if len(p) > 80]
    out = []
    for i in range(n):
        paras = rng.sample(pool, k=min(6, len(pool)))
        lead = f"Report number {i} of the regional business desk, filed for edition {rng.randrange(10**9)}."
        out.append(
            ArticleRecord(
                id=f"bench{i:05d}",
                lang="en",
                outlet=f"Bench Outlet {i % 4}",
                url_path=f"/news/{i // 100}/story-{i:05d}",
                published="2024-01-15",
                title=f"Regional business report {i}: {paras[0][:60]}",
                byline="",
                paragraphs=(lead, *paras),
            )
        )
    return out
