"""The fixture news web serves what crawler tests and the demo rely on."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from defusedxml import ElementTree

from tradeties.newsweb import Canned, NewsWeb, Outlet, load_records
from tradeties.newsweb.faults import EXPECTED_PUBLISHED

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


async def test_canned_routes_override_defaults_and_trickle():
    slow = Canned(b"abcd", trickle_bps=20.0)
    o = Outlet(
        name="Canned Courier",
        ip="127.0.0.2",
        entry_points={"urls": ["/a"]},
        interval="30m",
        extra_routes={
            "/robots.txt": Canned(b"oops", 500),
            "/a": Canned(b"", 302, (("Location", "/b"),)),
            "/gz": Canned(b"x", headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip"))),
            "/slow": slow,
        },
    )
    async with NewsWeb([o]) as web, httpx.AsyncClient() as client:
        assert (await client.get(o.url("/robots.txt"))).status_code == 500
        r = await client.get(o.url("/a"))
        assert r.status_code == 302 and r.headers["Location"] == "/b"
        raw = await client.get(o.url("/gz"), headers={"Accept-Encoding": "identity"})
        assert raw.headers["Content-Encoding"] == "gzip"
        r = await client.get(o.url("/slow"))
        answered = time.time()
        assert r.content == b"abcd" and r.headers["Content-Length"] == "4"
        assert web.sources()["sources"] == [{"name": "Canned Courier", "urls": [o.url("/a")], "interval": "30m"}]
    # `at` is when the request arrived, not when the trickled answer (4 bytes at 20 B/s) ended.
    assert answered - web.fetched("/slow")[0].at >= 0.15
    assert [x.status for x in web.fetched("/robots.txt")] == [500]


def test_serves_from_a_background_thread_for_synchronous_callers():
    web = NewsWeb.build(load_records(SEEDS)[:2], syndicate=False)
    with web:
        o = web.outlets[0]
        assert o.port and httpx.get(o.url(o.articles[0].url_path)).status_code == 200
        body, ctype = web.document(o, o.articles[0].url_path)
        assert ctype.startswith("text/html") and o.articles[0].title.encode() in body
    with pytest.raises(httpx.ConnectError):
        httpx.get(o.url("/"), timeout=2)
    assert [a.outlet for a in web.access_log] == [o.name]
    web.close()  # idempotent


def test_each_outlet_declares_its_entry_points():
    web = NewsWeb.build(load_records(SEEDS), faults=True, broken_robots=True)
    entries = {s["name"]: s for s in web.sources()["sources"]}
    assert len(entries) == len(web.outlets)
    kinds = [tuple(k for k in ("feeds", "sitemaps", "homepages") if k in s) for s in entries.values()][:3]
    assert kinds == [("feeds", "homepages"), ("sitemaps", "homepages"), ("feeds", "sitemaps")]
    assert entries["Broken Robots Gazette"]["urls"][0].endswith("/never-fetched")
    assert any(u.endswith("/fault/entities.xml") for u in entries["Hostile Herald"]["feeds"])
    assert Outlet(name="Plain", ip="127.0.0.2", feed_format="atom").source()["feeds"][0].endswith("/atom.xml")


def test_a_rendered_page_is_served_as_rendered():
    """``Outlet.rendered`` (benchmarks render once): the stored bytes, not a fresh render, with validators."""
    from tradeties.newsweb.documents import document

    o = Outlet(name="Bench", ip="127.0.0.2", articles=load_records(SEEDS)[:2])
    path = o.articles[0].url_path
    fresh = document(o, path)
    assert fresh is not None
    o.rendered[path] = (b"<html><body><p>stored once</p></body></html>", fresh[1])
    assert document(o, path) == o.rendered[path]
    assert document(o, o.articles[1].url_path) == document(
        Outlet(name="Bench", ip="127.0.0.2", articles=o.articles), o.articles[1].url_path
    )
