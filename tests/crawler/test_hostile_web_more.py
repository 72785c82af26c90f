"""Issue 13, continued: decoding order on mislabelled pages (ru/zh/ja/de), SSRF pinning and
literals, the article gate and syndicated copies, per-source scheduling, sources.yaml checks."""

from __future__ import annotations

import asyncio

import pytest

from tradeties.common.errors import ConfigError
from tradeties.common.waiting import wait_for
from tradeties.crawler import safety
from tradeties.crawler.charsets import decode_html
from tradeties.crawler.sources import parse_sources
from tradeties.newsweb import NewsWeb

from .hostile_web import crawl, html, new_crawler, outlet, page, words

DE = "Zürich und Straße: Delegation aus Bayern besucht die Messe, Gespräche über Handel."
RU = "Делегация Свердловской области посетила провинцию Хэйлунцзян и подписала соглашение о торговле."
ZH = "浙江省代表团访问巴伐利亚州，双方签署了经贸合作备忘录，并参观了港口和物流园区。"
JA = "愛知県の経済代表団がバイエルン州を訪問し、貿易と投資に関する覚書を締結しました。"


@pytest.mark.parametrize(
    "text, encoding, label, meta",
    [
        (RU * 6, "cp1251", "utf-8", None),  # cp1251 page labelled UTF-8
        (ZH * 6, "gbk", None, None),  # GBK without any label
        (JA * 6, "shift_jis", "utf-8", None),  # Shift_JIS labelled UTF-8
        (DE * 6, "utf-8", "iso-8859-1", None),  # UTF-8 under a Latin-1 header: not ZÃ¼rich
        (DE * 6, "utf-8", None, "utf-16"),  # UTF-8 with <meta charset=utf-16>
        (DE * 6, "cp1252", "utf-8", None),  # Windows-1252 labelled UTF-8
    ],
)
def test_mislabelled_pages_decode_to_their_text(text, encoding, label, meta):
    body = page("t", [text], meta_charset=meta).encode(encoding)
    assert text in decode_html(body, label)


async def test_mislabelled_pages_are_published_with_their_text(tmp_path):
    cases = {
        "/ru": (RU, "cp1251", "text/html; charset=utf-8"),
        "/zh": (ZH, "gbk", "text/html"),
        "/de": (DE, "utf-8", "text/html; charset=iso-8859-1"),
    }
    routes = {p: html(page(f"Story {p}", [t * 6], meta_charset=None).encode(enc), ctype) for p, (t, enc, ctype) in cases.items()}
    web = NewsWeb([outlet("127.0.0.60", routes, {"urls": list(routes)})])
    async with web:
        _, _, pub = await crawl(web, tmp_path)
    texts = {a.url.rsplit("/", 1)[1]: a.text for a in pub.articles}
    assert set(texts) == {"ru", "zh", "de"}
    for p, (t, _, _) in cases.items():
        assert t in texts[p[1:]].replace("\n", " ") or t[:30] in texts[p[1:]], p


def test_ipv6_literals_embedding_private_ipv4_are_not_public():
    for address in (
        "::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::a00:1",
        "2002:7f00:1::",
        "::ffff:10.0.0.1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
    ):
        assert not safety.is_public(address), address
    assert safety.is_public("2606:4700::1111") and safety.is_public("64:ff9b::808:808")


def test_host_names_are_idna_2008():
    assert safety.ascii_host("faß.de") == "xn--fa-hia.de"  # IDNA 2003 would make it fass.de
    with pytest.raises(Exception) as err:
        safety.ascii_host("a\u200db.de" * 1)
    assert getattr(err.value, "reason", "") == "bad_url"


async def test_ipv6_literal_sources_are_refused_without_a_request(tmp_path):
    sources = {
        "allow_private_networks": False,
        "sources": [
            {
                "name": "v6",
                "urls": [
                    "http://[::127.0.0.1]:9/a",
                    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
                    "http://[2002:7f00:1::]:9/admin",
                ],
            }
        ],
    }
    crawler, _, _ = await crawl(NewsWeb([]), tmp_path, sources=sources)
    assert crawler.stats.errors["unsafe_address"] == 3


async def test_connection_is_pinned_to_the_checked_address(tmp_path, monkeypatch):
    """DNS rebinding: the name resolved to an approved address at the check; the connection goes
    there without asking DNS again (rebind.test resolves nowhere else, and the 'internal' host
    answering on another address never sees a request)."""
    story = html(page("Pinned story", [words(1000, 90), words(1001, 90)]).encode())
    public, internal = (
        outlet("127.0.0.61", {"/a/story": story}, {}, name="public"),
        outlet("127.0.0.62", {"/a/story": story}, {}, name="internal"),
    )
    answers = iter([["127.0.0.61"]] + [["127.0.0.62"]] * 10)
    calls = []

    async def rebinding(host, port):
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(safety, "is_public", lambda a: a == "127.0.0.61")
    web = NewsWeb([public, internal])
    async with web:
        sources = {
            "allow_private_networks": False,
            "sources": [{"name": "p", "urls": [f"http://rebind.test:{public.port}/a/story"]}],
        }
        _, _, pub = await crawl(web, tmp_path, sources=sources, resolver=rebinding)
    assert [a.title for a in pub.articles] == ["Pinned story"]
    assert not web.fetched(outlet="internal")


async def test_about_contact_privacy_tag_author_pages_are_never_published(tmp_path):
    nav = {
        "/about": "About us",
        "/contact-us": "Contact",
        "/privacy-policy": "Privacy",
        "/tag/trade": "Tag: trade",
        "/author/jane-doe": "Jane Doe",
        "/team": "Our team",
    }
    routes = {p: html(page(t, [words(1100 + i, 90), words(1200 + i, 90)]).encode()) for i, (p, t) in enumerate(nav.items())}
    typed = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"AboutPage"}</script>'
    routes["/company"] = html(page("Company", [words(1300, 90), words(1301, 90)], head=typed).encode())
    routes["/news/privacy-rules-for-traders"] = html(
        page(
            "Privacy rules for traders", [words(1400, 90), words(1401, 90)], head='<meta property="og:type" content="article">'
        ).encode()
    )
    routes["/"] = html(("<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in routes) + "</body></html>").encode())
    web = NewsWeb([outlet("127.0.0.63", routes, {"homepages": ["/"]})])
    async with web:
        crawler, _, pub = await crawl(web, tmp_path)
    assert [a.title for a in pub.articles] == ["Privacy rules for traders"]
    assert crawler.stats.errors["not_article"] == len(nav) + 1


async def test_syndicated_copy_with_new_headline_and_credit_line_is_an_alias(tmp_path):
    paras = [words(1500 + i, 70) for i in range(5)]
    original = page("Bavarian delegation signs port deal in Qingdao", paras)
    copy = page(
        "Qingdao port deal: what the Bavarian visit means",
        ["This article first appeared in Harbour Business Daily and is republished with permission.", *paras],
    )
    web = NewsWeb(
        [
            outlet("127.0.0.64", {"/a/original": html(original.encode())}, {"urls": ["/a/original"]}, name="Orig"),
            outlet("127.0.0.65", {"/b/copy": html(copy.encode())}, {"urls": ["/b/copy"]}, name="Copy"),
        ]
    )
    async with web:
        crawler, store, pub = await crawl(web, tmp_path, per_host_delay_s=0.0)
    assert len(pub.articles) == 1
    other = "/b/copy" if pub.articles[0].url.endswith("/a/original") else "/a/original"
    assert [kind for url, kind in store.aliases_of(pub.articles[0].id) if url.endswith(other)] == ["near"]


async def test_a_slow_source_does_not_starve_a_fast_one(tmp_path):
    slow_urls = [f"/s/{i}" for i in range(30)]
    slow = outlet(
        "127.0.0.66",
        {p: html(b"<html>gone</html>") for p in slow_urls},
        {"urls": slow_urls},
        name="Slow",
        robots=html(b"User-agent: *\nCrawl-delay: 0.5\n", "text/plain"),
    )
    fast = outlet(
        "127.0.0.67",
        {"/feed.xml": html(b'<rss version="2.0"><channel><title>f</title></channel></rss>', "application/rss+xml")},
        {"feeds": ["/feed.xml"]},
        name="Fast",
        interval="1s",
    )
    web = NewsWeb([slow, fast])
    async with web:
        crawler = new_crawler(web, tmp_path, max_crawl_delay_s=1.0)
        stop = asyncio.Event()
        async with crawler:
            runner = asyncio.create_task(crawler.run_forever(stop))
            await asyncio.to_thread(
                wait_for,
                lambda: len(web.fetched("/feed.xml", outlet="Fast")) >= 3,
                30,
                "the fast source's feed fetched three times",
            )
            slow_done = len(web.fetched("/s/", outlet="Slow"))
            stop.set()
            await runner
    assert slow_done < len(slow_urls), "the fast source was re-crawled while the slow pass was still running"


@pytest.mark.parametrize(
    "text",
    [
        "sources:\n  - name: A\n    interval: yes\n",
        "sources:\n  - name: A\n    interval: 1ms\n",
        "sources:\n  - name: A\n    interval: .inf\n",
        "sources:\n  - name: '  '\n",
        "sources:\n  - name: A\n    feeds: ['http://']\n",
        "sources:\n  - name: A\n    feeds: ['http://a.example/x y']\n",
        "sources:\n  - name: A\nsources:\n  - name: B\n",
    ],
)
def test_bad_sources_files_fail_at_start(text):
    with pytest.raises(ConfigError):
        parse_sources(text)
