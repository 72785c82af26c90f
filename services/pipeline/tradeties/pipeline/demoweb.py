"""The bundled demo news web: the labelled corpus (shared seeds + corpus/dev.jsonl) published as
several outlets on loopback, each with robots.txt, an RSS feed, a sitemap and a homepage, plus a
wire service that republishes some stories under other titles and boilerplate (syndicated copies).

Pure content building here; ``webserver.LoopbackWeb`` serves it. The same web is what the
end-to-end tests crawl, so ``DemoWeb`` also records what a correct crawl must find: one article
per corpus entry (syndicated copies are aliases), and the URLs robots.txt forbids.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from .webserver import LoopbackWeb, Page, Site


@dataclass(frozen=True)
class CorpusArticle:
    id: str
    lang: str
    outlet: str
    url_path: str
    published: str | None
    title: str
    byline: str
    paragraphs: tuple[str, ...]
    labels: dict = field(default_factory=dict, hash=False, compare=False)


def load_corpus(paths: list[Path]) -> list[CorpusArticle]:
    out: list[CorpusArticle] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(CorpusArticle(id=d["id"], lang=d.get("lang") or "en", outlet=d.get("outlet", ""),
                                         url_path=d["url_path"], published=d.get("published"), title=d["title"],
                                         byline=d.get("byline", ""), paragraphs=tuple(d["paragraphs"]),
                                         labels=d.get("labels") or {}))
    return out


def corpus_paths(repo_root: Path) -> list[Path]:
    """The shared seeds (``shared/`` beside the clone, or beside a folder of worktrees) and the
    project's own labelled articles."""
    seeds = next((p / "shared" / "corpus" / "seeds.jsonl" for p in repo_root.parents
                  if (p / "shared" / "corpus" / "seeds.jsonl").exists()),
                 repo_root.parent / "shared" / "corpus" / "seeds.jsonl")
    return [seeds, repo_root / "corpus" / "dev.jsonl"]


@dataclass(frozen=True)
class SitePlan:
    name: str
    langs: tuple[str, ...]
    feed: bool = True
    sitemap: bool = False
    homepage: bool = False


#: Several outlets; each exercises other discovery paths. English articles are spread over three.
SITES = (
    SitePlan("Midlands Business Daily", ("en",), feed=True),
    SitePlan("Northern Trade Gazette", ("en",), feed=False, sitemap=True),
    SitePlan("Global Regions Review", ("en",), feed=True, homepage=True),
    SitePlan("Wirtschaft Regional", ("de",), feed=False, sitemap=True),
    SitePlan("Économie des Régions", ("fr",), feed=True),
    SitePlan("地方经贸网", ("zh",), feed=False, homepage=True),
)
WIRE = SitePlan("Trade Ties Wire", (), feed=True)


@dataclass
class DemoWeb:
    web: LoopbackWeb
    #: story id → URLs serving it (its corpus articles' own pages first, then wire copies); a
    #: correct crawl indexes exactly one of them.
    placements: dict[str, list[str]] = field(default_factory=dict)
    #: URLs robots.txt forbids (linked from feeds/sitemaps/homepages all the same).
    disallowed: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    articles: dict[str, CorpusArticle] = field(default_factory=dict)

    @property
    def expected_articles(self) -> int:
        return len(self.placements)

    def sources_yaml(self) -> str:
        return yaml.safe_dump({"allow_private_networks": True, "sources": self.sources}, allow_unicode=True,
                              sort_keys=False)

    def write_sources(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.sources_yaml(), "utf-8")
        return path

    def close(self) -> None:
        self.web.close()


def _site_index(a: CorpusArticle) -> int:
    for i, plan in enumerate(SITES):
        if a.lang in plan.langs and plan.langs != ("en",):
            return i
    english = [i for i, p in enumerate(SITES) if p.langs == ("en",)]
    h = int(hashlib.sha256(a.outlet.encode()).hexdigest(), 16)
    return english[h % len(english)] if a.lang == "en" else english[0]


def _dt(a: CorpusArticle) -> datetime:
    d = date.fromisoformat(a.published) if a.published else date(2020, 1, 1)
    return datetime.combine(d, time(9, 0), tzinfo=timezone.utc)


_NAV = ("Home", "Business", "Regions", "Trade", "Investment", "Opinion", "Contact")


def article_html(site: Site, a: CorpusArticle, *, path: str, title: str | None = None, wire: bool = False) -> bytes:
    title = title or a.title
    nav = "".join(f'<li><a href="/">{n}</a></li>' for n in _NAV)
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    byline = f'<p class="byline">By {html.escape(a.byline)}</p>' if a.byline else ""
    credit = f"<div class=\"credit\">Distributed by {html.escape(site.name)}. Originally published by " \
             f"{html.escape(a.outlet)}.</div>" if wire else ""
    published = _dt(a).isoformat()
    return f"""<!DOCTYPE html>
<html lang="{a.lang}"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site.name)}</title>
<link rel="canonical" href="{site.url(path)}">
<meta property="og:site_name" content="{html.escape(site.name)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{published}">
</head><body>
<header><div class="logo">{html.escape(site.name)}</div><nav><ul>{nav}</ul></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<time datetime="{published}">{_dt(a):%d %B %Y}</time>
{byline}
{paras}
</article>{credit}</main>
<aside><h2>Most read</h2><ul><li><a href="/">Markets wrap</a></li><li><a href="/">Weather</a></li></ul></aside>
<footer><p>&copy; {html.escape(site.name)}. All rights reserved.</p><p><a href="/">Privacy</a> · <a href="/">Terms</a></p></footer>
</body></html>""".encode("utf-8")


def rss(site: Site, items: list[tuple[str, str, datetime]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><guid>{escape(u)}</guid>"
        f"<pubDate>{format_datetime(d)}</pubDate></item>" for t, u, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(site.name)}</title>'
            f"<link>{site.base}/</link><description>{escape(site.name)}</description>{entries}</channel></rss>"
            ).encode("utf-8")


def sitemap(urls: list[tuple[str, datetime]]) -> bytes:
    body = "".join(f"<url><loc>{escape(u)}</loc><lastmod>{d.date().isoformat()}</lastmod></url>" for u, d in urls)
    return (f'<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{body}</urlset>").encode("utf-8")


def homepage(site: Site, links: list[tuple[str, str]]) -> bytes:
    items = "".join(f'<li><a href="{html.escape(p)}">{html.escape(t)}</a></li>' for p, t in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(site.name)}</title></head>'
            f"<body><h1>{html.escape(site.name)}</h1><ul>{items}</ul></body></html>").encode("utf-8")


ROBOTS = b"User-agent: *\nDisallow: /private/\n"
_XML = (("Content-Type", "application/xml; charset=utf-8"),)
_TEXT = (("Content-Type", "text/plain; charset=utf-8"),)


def _private_article(site: Site) -> tuple[str, Page]:
    path = "/private/internal-briefing"
    fake = CorpusArticle(id=f"private-{site.host}", lang="en", outlet=site.name, url_path=path, published="2021-05-01",
                         title="Internal briefing: not for crawlers",
                         byline="", paragraphs=("This page is disallowed by robots.txt and must never be fetched. " * 8,))
    return path, Page(article_html(site, fake, path=path))


def _shingles(a: CorpusArticle, n: int = 5) -> set[tuple[str, ...]]:
    words = " ".join(a.paragraphs).lower().split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def story_of(articles: list[CorpusArticle], threshold: float = 0.8) -> dict[str, str]:
    """corpus id → id of its story: articles whose bodies are (near-)identical (the corpus holds
    syndicated copies under other outlets) are one story, which a correct crawl indexes once."""
    shingles = {a.id: _shingles(a) for a in articles}
    story: dict[str, str] = {}
    for i, a in enumerate(articles):
        story.setdefault(a.id, a.id)
        for b in articles[i + 1:]:
            sa, sb = shingles[a.id], shingles[b.id]
            if b.id not in story and len(sa & sb) / max(1, len(sa | sb)) >= threshold:
                story[b.id] = story[a.id]
    return story


def build_demo_web(articles: list[CorpusArticle], *, first_host: int = 20, syndicate_every: int = 4,
                   web: LoopbackWeb | None = None) -> DemoWeb:
    """Bind the sites on 127.0.0.{first_host}… and fill them with the corpus."""
    web = web or LoopbackWeb()
    demo = DemoWeb(web=web, articles={a.id: a for a in articles})
    plans = [*SITES, WIRE]
    sites = [web.add_site(p.name, f"127.0.0.{first_host + i}") for i, p in enumerate(plans)]
    per_site: dict[int, list[tuple[str, CorpusArticle, str]]] = {i: [] for i in range(len(plans))}
    story = story_of(articles)
    for a in articles:
        i = _site_index(a)
        per_site[i].append((a.url_path, a, a.title))
        demo.placements.setdefault(story[a.id], []).append(sites[i].url(a.url_path))
    wire_i = len(plans) - 1
    relevant = [a for a in articles if a.labels.get("relevant")]
    for n, a in enumerate(relevant):
        if n % syndicate_every == 0:
            path = f"/wire/{a.id}-{hashlib.sha1(a.url_path.encode()).hexdigest()[:8]}"
            # Same headline, other site chrome and a credit line: what wire syndication looks like.
            # (Retitled copies defeat the crawler's SimHash on short texts today: see docs/hostile-inputs.md.)
            per_site[wire_i].append((path, a, a.title))
            demo.placements[story[a.id]].append(sites[wire_i].url(path))
    for i, (plan, site) in enumerate(zip(plans, sites)):
        entries = per_site[i]
        for path, a, title in entries:
            site.pages[path] = Page(article_html(site, a, path=path, title=title, wire=(i == wire_i)))
        private_path, private_page = _private_article(site)
        site.pages[private_path] = private_page
        demo.disallowed.append(site.url(private_path))
        site.pages["/robots.txt"] = Page(ROBOTS, headers=_TEXT)
        items = [(t, site.url(p), _dt(a)) for p, a, t in entries]
        site.pages["/feed.xml"] = Page(rss(site, [*items, ("Internal briefing", site.url(private_path),
                                                             datetime(2021, 5, 1, tzinfo=timezone.utc))]), headers=_XML)
        site.pages["/sitemap.xml"] = Page(sitemap([(u, d) for _, u, d in items] + [
            (site.url(private_path), datetime(2021, 5, 1, tzinfo=timezone.utc))]), headers=_XML)
        site.pages["/"] = Page(homepage(site, [(p, t) for p, _, t in entries] + [(private_path, "Briefing")]))
        source: dict = {"name": plan.name}
        if plan.feed:
            source["feeds"] = [site.url("/feed.xml")]
        if plan.sitemap:
            source["sitemaps"] = [site.url("/sitemap.xml")]
        if plan.homepage:
            source["homepages"] = [site.url("/")]
        source["interval"] = "2m"
        demo.sources.append(source)
    return demo


def templated_corpus(base: list[CorpusArticle], n: int, *, seed: int = 7) -> list[CorpusArticle]:
    """``n`` distinct synthetic articles re-mixing the corpus paragraphs (for the 1,000-article benchmark).

    Each gets its own paragraph mix and a unique lead sentence, so no two are near-duplicates.
    """
    rng = random.Random(seed)
    pool = [p for a in base if a.lang == "en" for p in a.paragraphs if len(p) > 80]
    out = []
    for i in range(n):
        paras = rng.sample(pool, k=min(6, len(pool)))
        lead = f"Report number {i} of the regional business desk, filed for edition {rng.randrange(10**9)}."
        out.append(CorpusArticle(id=f"bench{i:05d}", lang="en", outlet=f"Bench Outlet {i % 4}",
                                 url_path=f"/news/{i // 100}/story-{i:05d}", published="2024-01-15",
                                 title=f"Regional business report {i}: {paras[0][:60]}", byline="",
                                 paragraphs=(lead, *paras)))
    return out
