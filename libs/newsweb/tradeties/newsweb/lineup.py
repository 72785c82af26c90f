"""The outlets a record set becomes: one per outlet name, each on its own loopback address, their feed
formats, styles and entry points varied so every discovery path is exercised, plus the optional
syndicated copy, hostile outlet and outlet whose robots.txt errors (``NewsWeb.build``)."""

from __future__ import annotations

from .faults import hostile_outlet
from .outlet import FEED_TYPES, Outlet, slug
from .records import ArticleRecord


def outlets_for(
    records: list[ArticleRecord],
    *,
    faults: bool = False,
    syndicate: bool = True,
    broken_robots: bool = False,
    crawl_delay: float = 0.0,
    first_ip: int = 2,
) -> list[Outlet]:
    by_outlet: dict[str, list[ArticleRecord]] = {}
    for r in records:
        by_outlet.setdefault(r.outlet, []).append(r)
    outlets = []
    for i, (name, recs) in enumerate(by_outlet.items()):
        feed_format = ("rss", "atom", "json")[i % 3]
        # Each discovery path on its own (feed, sitemap) and combined (feed + sitemap, no homepage).
        entry = [
            {"feeds": [FEED_TYPES[feed_format][0]], "homepages": ["/"]},
            {"sitemaps": ["/sitemap_index.xml"], "homepages": ["/"]},
            {"feeds": [FEED_TYPES[feed_format][0]], "sitemaps": ["/sitemap_index.xml"]},
        ][i % 3]
        outlets.append(
            Outlet(
                name=name,
                ip=f"127.0.0.{first_ip + i}",
                articles=recs,
                feed_format=feed_format,
                style=i % 2,
                declare_lang=i % 4 != 3,
                validators=i % 5 != 2,
                crawl_delay=crawl_delay,
                entry_points=entry,
            )
        )
    if syndicate and len(outlets) >= 2:
        src, dst = outlets[0], outlets[1]
        rec = src.articles[0]
        dst.syndicated.append(
            (f"/syndicated/{slug(rec.title)}", rec, f"Reprint: {rec.title}", f"This article first appeared in {src.name}.")
        )
    n = first_ip + len(outlets)
    if faults:
        outlets.append(hostile_outlet(f"127.0.0.{n}", crawl_delay=crawl_delay))
        n += 1
    if broken_robots:
        rec = records[0]
        outlets.append(
            Outlet(
                name="Broken Robots Gazette",
                ip=f"127.0.0.{n}",
                robots="error",
                articles=[
                    ArticleRecord("Broken Robots Gazette", "/never-fetched", rec.published, "Never fetched", "", rec.paragraphs)
                ],
                entry_points={"homepages": ["/"], "urls": ["/never-fetched"]},
            )
        )
    return outlets
