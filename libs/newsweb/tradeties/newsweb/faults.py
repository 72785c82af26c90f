"""The hostile outlet: fault routes a crawler must survive, each counted as one error for its URL.

Routes (all linked from its homepage or listed as its feeds/sitemaps):
  /fault/slow              trickles one byte every 0.25 s for two minutes (total timeout)
  /fault/oversized         12 MB of HTML, no Content-Length (size cap while streaming)
  /fault/gzip-bomb         64 MB of spaces in ~64 KB of gzip (size cap after decompression)
  /fault/loop-a, loop-b    redirect loop;  /fault/chain/N  endless redirect chain
  /fault/unavailable       always 503;  /fault/rate-limited  always 429 with Retry-After: 1
  /fault/flaky             503 twice, then a good article (retries work)
  /fault/busy, busy-until  503 once with Retry-After 1 s / an HTTP-date 2 s ahead, then a good article
  /fault/malformed         broken markup and control bytes, no article
  /fault/truncated         Content-Length promises more than is sent
  /fault/invalid-utf8      a good article with invalid UTF-8 bytes (published)
  /fault/mislabelled       a good cp1252 article labelled UTF-8 (published, accents intact)
  /fault/report            a PDF (not HTML)
  /fault/entities.xml      billion-laughs feed;  /fault/broken-feed.xml, /fault/broken-sitemap.xml
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate
from functools import lru_cache

from aiohttp import web

from . import pages
from .outlet import Handler, Outlet
from .records import ArticleRecord
from .responses import Canned, Recovering, gzip_bomb, trickle

NAME = "Hostile Herald"

_PARAS = (
    "Officials from the port city of Ningbo in Zhejiang province met business leaders in Bremen this week to discuss "
    "closer cooperation on logistics, shipping and green hydrogen, according to the regional economic development agency.",
    "The delegation of twenty-four companies visited the harbour and two logistics parks, and signed a memorandum of "
    "understanding on a joint training centre for port technicians, with the first intake planned for next spring.",
    "“Our regions share the same challenges and the same ambitions,” said the head of the Bremen chamber of commerce, "
    "adding that the café meetings between firms had already produced three letters of intent.",
    "The agency said the visit was the third such mission since the two regions agreed a friendship partnership and that "
    "a return trip by a Bremen trade mission to Zhejiang is being prepared for the autumn trade fair season.",
)


_FLAKY = ArticleRecord(
    NAME,
    "/fault/flaky",
    "2024-03-05",
    "Sichuan opens trade office in Manchester",
    "",
    (
        "The government of Sichuan province opened a trade and investment office in Manchester on Monday, its first in "
        "the north of England, to support firms in food, games and aviation.",
        "Greater Manchester's mayor welcomed the office and said the city region would send a business delegation to "
        "Chengdu next year to follow up on the agreements.",
        "Officials expect the office to handle enquiries from about fifty companies in its first year, most of them "
        "small exporters looking for distributors.",
    ),
)
_BUSY = ArticleRecord(
    NAME,
    "/fault/busy",
    "2024-03-08",
    "Gothenburg hosts Hubei battery forum",
    "",
    (
        "Battery makers from Hubei province and western Sweden met in Gothenburg on Tuesday for a two-day forum on "
        "cell recycling, the Västra Götaland region said.",
        "Three suppliers from Wuhan presented pilot lines for recovering lithium and cobalt, and the region's "
        "automotive cluster invited them to test sites near the port.",
        "A joint working group will report on standards for recycled materials before the summer, organisers added.",
    ),
)
_BUSY_UNTIL = ArticleRecord(
    NAME,
    "/fault/busy-until",
    "2024-03-09",
    "Porto signs wine export deal with Fujian",
    "",
    (
        "Exporters from the Porto region signed a distribution agreement with an importers' association in Fujian "
        "province on Wednesday, covering port wine and vinho verde.",
        "The northern Portuguese development commission said the deal followed two tasting tours in Xiamen and "
        "Fuzhou and would open about forty shops to Portuguese producers.",
        "Shipments are to start in the autumn through the port of Leixões, with customs paperwork handled in Xiamen.",
    ),
)


def _record(path: str, title: str) -> ArticleRecord:
    return ArticleRecord(NAME, path, "2024-03-05", title, "Staff reporter", _PARAS)


@lru_cache(maxsize=1)
def _bomb() -> bytes:
    return gzip_bomb()


def hostile_outlet(ip: str, *, crawl_delay: float = 0.0) -> Outlet:
    good = _record("/news/ningbo-delegation-bremen", "Ningbo delegation visits Bremen port")
    outlet = Outlet(
        name=NAME,
        ip=ip,
        articles=[good],
        crawl_delay=crawl_delay,
        interval="1m",
        entry_points={
            "homepages": ["/"],
            "feeds": ["/feed.xml", "/fault/entities.xml", "/fault/broken-feed.xml"],
            "sitemaps": ["/fault/broken-sitemap.xml"],
        },
    )

    def html_of(rec: ArticleRecord, path: str) -> str:
        return pages.article_html(rec, outlet=NAME, base=outlet.base_url, path=path)

    def recovering(rec: ArticleRecord, failures: int, retry_after: Callable[[], str] | None = None) -> Handler:
        """503 (with ``Retry-After`` when given) ``failures`` times, then the article."""

        async def article(request: web.Request) -> web.StreamResponse:
            return web.Response(text=html_of(rec, rec.url_path), content_type="text/html")

        return Recovering(article, failures, retry_after)

    async def invalid_utf8(request: web.Request) -> web.StreamResponse:
        rec = ArticleRecord(
            NAME,
            "/fault/invalid-utf8",
            "2024-03-06",
            "Hanover fair hosts Guangdong pavilion",
            "",
            (
                "Companies from Guangdong province presented automation and robotics at the Hanover fair, "
                "where the Lower Saxony economics ministry hosted a forum on industrial cooperation.",
                "Organisers counted more than sixty firms from the Pearl River Delta on the pavilion, "
                "several of them looking for partners to assemble equipment in northern Germany.",
                "The ministry said two investment agreements were signed on the fringe of the fair and "
                "that a follow-up visit to Guangzhou and Shenzhen is planned for the autumn.",
            ),
        )
        body = html_of(rec, "/fault/invalid-utf8").encode("utf-8").replace(b"Pearl River", b"Pearl \xff\xfe River")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})

    async def mislabelled(request: web.Request) -> web.StreamResponse:
        rec = ArticleRecord(
            NAME,
            "/fault/mislabelled",
            "2024-03-07",
            "Québec mission signs Shandong agreement",
            "",
            (
                "A trade mission from Québec signed a cooperation agreement with Shandong province on "
                "food processing and agritech, the provincial délégation said on Thursday.",
                "The agreement covers exchanges between research centres in Québec City and Jinan, and "
                "a pilot programme for dairy and seafood exporters from both regions.",
                "“This is a concrete step for our exporters,” said the mission’s leader, who met the "
                "vice-governor of Shandong and visited a logistics park in Qingdao.",
            ),
        )
        body = html_of(rec, "/fault/mislabelled").encode("cp1252")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})

    async def oversized(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
        try:
            for _ in range(12):
                await response.write(chunk)
        except (ConnectionError, RuntimeError):
            pass
        return response

    bomb_body = _bomb()  # compressed now (a second or more of CPU), not while a crawler's total timeout runs

    async def bomb(request: web.Request) -> web.StreamResponse:
        return web.Response(body=bomb_body, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    async def truncated(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": "50000"})
        await response.prepare(request)
        await response.write(b"<html><body><p>The start of a story that never ends")
        if request.transport is not None:
            request.transport.close()
        return response

    async def chain(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(location=f"/fault/chain/{int(request.path.rsplit('/', 1)[1]) + 1}")

    def fixed(status: int, body: bytes = b"", ctype: str = "text/html", headers: tuple = ()) -> Canned:
        return Canned(body, status, (("Content-Type", ctype), *headers))

    routes: dict[str, Handler] = {
        "/fault/slow": trickle,
        "/fault/oversized": oversized,
        "/fault/gzip-bomb": bomb,
        "/fault/loop-a": Canned(b"", 302, (("Location", "/fault/loop-b"),)),
        "/fault/loop-b": Canned(b"", 302, (("Location", "/fault/loop-a"),)),
        "/fault/unavailable": fixed(503, b"down"),
        "/fault/rate-limited": fixed(429, b"slow down", headers=(("Retry-After", "1"),)),
        "/fault/flaky": recovering(_FLAKY, 2),
        "/fault/busy": recovering(_BUSY, 1, lambda: "1"),
        "/fault/busy-until": recovering(_BUSY_UNTIL, 1, lambda: formatdate(time.time() + 2, usegmt=True)),
        "/fault/malformed": fixed(
            200,
            b"<html><body><div><p>Broken <b><i></div></p><<<>>>\x00\x01\x02 <table><tr>"
            b"<td>not</td></html><script>var a = '</script",
        ),
        "/fault/truncated": truncated,
        "/fault/invalid-utf8": invalid_utf8,
        "/fault/mislabelled": mislabelled,
        "/fault/report": fixed(200, b"%PDF-1.4 not a page", "application/pdf"),
        "/fault/entities.xml": fixed(200, pages.ENTITY_BOMB.encode(), "application/rss+xml"),
        "/fault/broken-feed.xml": fixed(200, b"\x00\x01 this is not a feed <<<", "application/rss+xml"),
        "/fault/broken-sitemap.xml": fixed(200, b"<urlset><url><loc>http://truncated", "application/xml"),
    }
    routes.update({f"/fault/chain/{i}": chain for i in range(50)})
    outlet.extra_routes = routes
    outlet.homepage_extra = [
        (p, p)
        for p in routes
        if p.startswith("/fault/") and not p.endswith(".xml") and "/chain/" not in p and p != "/fault/loop-b"
    ] + [("/fault/chain/0", "chain")]
    return outlet


EXPECTED_PUBLISHED = (
    "/news/ningbo-delegation-bremen",
    "/fault/flaky",
    "/fault/busy",
    "/fault/busy-until",
    "/fault/invalid-utf8",
    "/fault/mislabelled",
)
