"""Issue 13's hostile and messy web, crawled by the real crawler over loopback (newsweb outlets of
canned responses, an always-acking publisher): each case ends in correct data or a counted error."""

from __future__ import annotations

import asyncio
import codecs
import zlib

from tradeties.newsweb import Canned, NewsWeb

from .hostile_web import crawl, html, outlet, page, rss, words

CJK = {  # encoding → (lang, vocabulary)
    "gb2312": ("zh", "浙江 代表团 访问 贸易 合作 港口 投资 省长 会谈 协议 企业 经济".split()),
    "gbk": ("zh", "广东 商务 考察 签署 备忘录 物流 园区 友好 城市 交流 项目 发展".split()),
    "big5": ("zh", "臺灣 縣市 代表團 參訪 經貿 合作 簽署 協議 產業 投資 交流 訪問".split()),
    "shift_jis": ("ja", "県知事 経済 代表団 訪問 貿易 協力 覚書 締結 港湾 企業 投資 交流".split()),
    "euc-kr": ("ko", "경상북도 대표단 방문 무역 협력 협약 체결 투자 기업 교류 항만 경제".split()),
}


async def test_feed_body_that_is_a_file_path_is_never_opened(tmp_path):
    local = tmp_path / "local-feed.xml"
    secret = "http://127.0.0.30/secret-from-local-file"
    local.write_bytes(rss([(secret, "local")]))
    routes = {
        "/zero.xml": html(b"/dev/zero", "application/rss+xml"),
        "/path.xml": html(str(local).encode(), "application/rss+xml"),
    }
    web = NewsWeb([outlet("127.0.0.30", routes, {"feeds": ["/zero.xml", "/path.xml"]})])
    async with web:
        crawler, _, _ = await asyncio.wait_for(crawl(web, tmp_path), 60)
    assert crawler.stats.errors["malformed_feed"] == 2
    assert not web.fetched("/secret-from-local-file")


async def test_cjk_encoded_feeds_sitemaps_and_pages_are_read(tmp_path):
    outlets = []
    for i, (enc, (lang, vocab)) in enumerate(CJK.items()):
        ip = f"127.0.0.{31 + i}"
        title = f"{vocab[0]}{vocab[1]}{vocab[2]} {enc}"
        body = page(title, [words(100 + i, 120, vocab), words(200 + i, 120, vocab)], lang=lang, meta_charset=enc)
        sitemap = (
            f'<?xml version="1.0" encoding="{enc}"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>/{vocab[3]}</loc></url></urlset>"
        ).encode(enc)
        routes = {
            "/feed.xml": html(rss([("/a/1", title)], enc, vocab[4]), "application/rss+xml"),
            "/sitemap.xml": html(sitemap, "application/xml"),
            "/a/1": html(body.encode(enc), "text/html"),
        }
        outlets.append(outlet(ip, routes, {"feeds": ["/feed.xml"], "sitemaps": ["/sitemap.xml"]}))
    web = NewsWeb(outlets)
    async with web:
        crawler, _, pub = await crawl(web, tmp_path)
    titles = {a.title for a in pub.articles}
    for enc, (_lang, vocab) in CJK.items():
        assert f"{vocab[0]}{vocab[1]}{vocab[2]} {enc}" in titles, (enc, titles)
        assert web.fetched("/" + vocab[3]), f"{enc} sitemap's URL (in its script) was requested"
    assert not {"malformed_feed", "malformed_sitemap", "bad_encoding", "internal"} & set(crawler.stats.errors)


async def test_robots_txt_bom_utf16_binary_and_oversized(tmp_path):
    rules = "User-agent: *\nDisallow: /private/\n"
    story = html(page("Open story", [words(700, 90), words(701, 90)]).encode())
    cases = {
        "bom": codecs.BOM_UTF8 + rules.encode(),
        "utf16": rules.encode("utf-16"),
        "binary": b"\x00\x01\x02\xff\xfe" * 200,
        "huge": (rules + "# filler line of a generated robots.txt\n" * 250_000).encode(),  # ~10 MB
    }
    outlets = [
        outlet(
            f"127.0.0.{42 + i}",
            {"/private/x": story, "/open": story},
            {"urls": ["/private/x", "/open"]},
            name=f"Robots {kind}",
            robots=Canned(body, headers=(("Content-Type", "text/plain"),)),
        )
        for i, (kind, body) in enumerate(cases.items())
    ]
    web = NewsWeb(outlets)
    async with web:
        crawler, _, _ = await crawl(web, tmp_path, max_response_bytes=20_000_000)
    assert not web.fetched("/private/"), "Disallow applies whatever the encoding or size"
    assert {a.path for a in web.fetched(outlet="Robots binary")} == {"/robots.txt"}
    for kind in ("bom", "utf16", "huge"):
        assert "/open" in {a.path for a in web.fetched(outlet=f"Robots {kind}")}, kind
    assert crawler.stats.errors["robots_unusable"] == 1 and crawler.stats.errors["over_cap"] == 1


async def test_endless_sitemap_index_stops_at_the_depth_cap(tmp_path):
    async def index(request):
        n = int(request.path.rsplit("/", 1)[1].split(".")[0])
        children = "".join(f"<sitemap><loc>/sm/{2 * n + k}.xml</loc></sitemap>" for k in (0, 1))
        return await html(
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>'.encode(),
            "application/xml",
        )(request)

    routes = {f"/sm/{n}.xml": index for n in range(1, 2**12)}
    web = NewsWeb([outlet("127.0.0.50", routes, {"sitemaps": ["/sm/1.xml"]})])
    async with web:
        crawler, _, _ = await crawl(web, tmp_path, max_sitemap_depth=3)
    assert len(web.fetched("/sm/")) == 1 + 2 + 4 + 8
    assert crawler.stats.errors["sitemap_depth"] == 8


async def test_capped_sitemap_and_feed_keep_the_newest_and_count_the_rest(tmp_path):
    # Hundreds of times the caps and over the 256 KB a listing is parsed in a thread from (long titles:
    # feed parsing costs per item, and 20,000 items took 8 s to show nothing more).
    urls, items = 4_000, 300
    entries = "".join(
        f"<url><loc>/s/{i}</loc><lastmod>2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z</lastmod></url>" for i in range(urls)
    )
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    feed_items = "".join(
        f"<item><title>t{i} {'a long headline ' * 60}</title><link>/f/{i}</link>"
        f"<pubDate>{'Mon, 01 Jan 2024' if i != items - 1 else 'Tue, 01 Oct 2024'} "
        f"08:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    feed = f'<rss version="2.0"><channel><title>big</title>{feed_items}</channel></rss>'.encode()
    assert min(len(sitemap), len(feed)) > 256 * 1024
    routes = {"/sitemap.xml": html(sitemap, "application/xml"), "/feed.xml": html(feed, "application/rss+xml")}
    web = NewsWeb([outlet("127.0.0.51", routes, {"sitemaps": ["/sitemap.xml"], "feeds": ["/feed.xml"]})])
    async with web:
        crawler, store, _ = await crawl(web, tmp_path, max_urls_per_sitemap=3, max_urls_per_feed=1)
    requested = {a.path for a in web.fetched("/s/")} | {a.path for a in web.fetched("/f/")}
    assert f"/f/{items - 1}" in requested, "the newest feed item, listed last, is kept"
    assert len(requested) == 4 and crawler.stats.errors["over_cap"] == 2
    newest = {f"/s/{i}" for i in sorted(range(urls), key=lambda i: (1 + i % 28, i % 24), reverse=True)[:3]}
    assert newest <= requested


async def test_deep_json_feed_and_content_type_edge_cases(tmp_path):
    deep = b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    body = lambda i: page(f"Edge story {i}", [words(800 + i, 90), words(900 + i, 90)]).encode()  # noqa: E731
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    deflated = raw.compress(body(2)) + raw.flush()
    routes = {
        "/deep.json": html(deep, "application/feed+json"),
        "/no-type": Canned(body(0), headers=()),
        "/two-types": Canned(body(1), headers=(("Content-Type", "text/plain"), ("Content-Type", "text/html"))),
        "/raw-deflate": Canned(deflated, headers=(("Content-Type", "text/html"), ("Content-Encoding", "deflate"))),
        "/pdf-as-octets": Canned(b"%PDF-1.4", headers=(("Content-Type", "application/octet-stream"),)),
    }
    web = NewsWeb(
        [
            outlet(
                "127.0.0.52",
                routes,
                {"feeds": ["/deep.json"], "urls": ["/no-type", "/two-types", "/raw-deflate", "/pdf-as-octets"]},
            )
        ]
    )
    async with web:
        crawler, _, pub = await crawl(web, tmp_path)
    assert sorted(a.title for a in pub.articles) == ["Edge story 0", "Edge story 1", "Edge story 2"]
    assert crawler.stats.errors["malformed_feed"] == 1 and crawler.stats.errors["not_html"] == 1
