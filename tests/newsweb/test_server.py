"""The fixture news web serves what crawler tests and the demo rely on."""

from __future__ import annotations

import httpx
from defusedxml import ElementTree

from tradeties.newsweb import NewsWeb, load_records
from tradeties.newsweb.faults import EXPECTED_PUBLISHED

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds.jsonl"


async def test_outlets_feeds_sitemaps_robots_and_conditional_get():
    records = load_records(SEEDS)
    async with NewsWeb.build(records, faults=True, crawl_delay=0.5) as web, httpx.AsyncClient() as client:
        assert len({o.ip for o in web.outlets}) == len(web.outlets) >= 6
        o = web.outlets[0]
        robots = (await client.get(o.url("/robots.txt"))).text
        assert "Disallow: /private/" in robots and "Crawl-delay: 0.5" in robots
        for path in ("/feed.xml", "/atom.xml", "/sitemap_index.xml", "/sitemap-articles.xml", "/news-sitemap.xml"):
            r = await client.get(o.url(path))
            assert r.status_code == 200
            ElementTree.fromstring(r.content)  # well-formed, no entities
        assert (await client.get(o.url("/feed.json"))).json()["items"]
        page = await client.get(o.url(o.articles[0].url_path))
        assert o.articles[0].paragraphs[0][:40] in page.text
        again = await client.get(o.url(o.articles[0].url_path), headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304
        assert (await client.get(o.url("/missing"))).status_code == 404
        old = await client.get(o.url("/old" + o.articles[0].url_path))
        assert old.status_code == 301 and old.headers["Location"] == o.articles[0].url_path
        hostile = next(x for x in web.outlets if x.extra_routes)
        assert set(EXPECTED_PUBLISHED) <= set(hostile.extra_routes) | {a.url_path for a in hostile.articles}
        assert [a.status for a in web.fetched("/missing")] == [404]
        assert all(s["name"] for s in web.sources()["sources"])
