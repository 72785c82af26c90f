"""The web cases of issue 13 (the hostile and messy web) for the e2e catalogue: each served on a
loopback host of its own next to the demo web; docs/hostile-inputs.md lists them with outcomes."""

from __future__ import annotations

import codecs
import random
import zlib

from tradeties.newsweb import Canned, Recovering
from tradeties.newsweb.pages import endless_extraction_page

from .hostile_catalogue import BODY, HTML, WebCase

VOCAB = {
    "en": "delegation trade regional province governor investment port logistics agreement chamber exporters officials "
    "partnership memorandum visit industry cooperation agency ministry council fair hydrogen".split(),
    "ru": "делегация область торговля соглашение губернатор инвестиции порт логистика визит сотрудничество".split(),
    "zh": "浙江 代表团 访问 贸易 合作 港口 投资 省长 会谈 协议 企业 经济 物流 园区 签署".split(),
    "tw": "臺灣 縣市 代表團 參訪 經貿 合作 簽署 協議 產業 投資 交流 訪問 港口 綠能".split(),
    "ja": "県知事 経済 代表団 訪問 貿易 協力 覚書 締結 港湾 企業 投資 交流 水素 部品".split(),
    "ko": "경상북도 대표단 방문 무역 협력 협약 체결 투자 기업 교류 항만 경제 물류 수소".split(),
    "de": "Zürich Königstraße Delegation Handel Messe Straße Gespräche Häfen Vereinbarung Wirtschaft Besuch".split(),
}


def _text(seed: int, lang: str = "en", n: int = 120) -> str:
    """A text no other case's shares many shingles with (so no case is another's near-duplicate)."""
    rng = random.Random(seed)
    sep = "" if lang in ("zh", "tw", "ja") else " "
    return sep.join(rng.choice(VOCAB[lang]) for _ in range(n)) + "."


ROBOTS_DISALLOW = "User-agent: *\nDisallow: /a/\n"
PLAIN = (("Content-Type", "text/plain"),)


def _page(title: str, *paragraphs: str, charset: str | None = "utf-8", lang: str = "en", head: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title>{head}</head><body><article>'
        f"<h1>{title}</h1>{body}</article></body></html>"
    )


def _article(seed: int, title: str) -> bytes:
    return _page(title, _text(seed), _text(seed + 1)).encode()


def _feed(encoding: str, title: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{title}</title><link>/a/story</link></item></channel></rss>"
    ).encode(encoding)


def _cjk_feed_case(encoding: str, lang: str, seed: int) -> WebCase:
    text = _text(seed, lang)
    title = text[:12]
    return WebCase(
        f"feed-{encoding}",
        f"a feed and its article page in {encoding} (declared in the XML and <meta>)",
        lambda: {
            "/feed.xml": Canned(_feed(encoding, title), headers=(("Content-Type", "application/rss+xml"),)),
            "/a/story": Canned(
                _page(title, text, charset=encoding, lang=lang[:2]).encode(encoding), headers=(("Content-Type", "text/html"),)
            ),
        },
        "/feed.xml",
        "indexed",
        paths=("/a/story",),
        entry_kind="feeds",
        expect_text=text[:10],
    )


def _sitemap_index(request):
    n = int(request.path.rsplit("/", 1)[1].split(".")[0])
    children = "".join(f"<sitemap><loc>/sm/{2 * n + k}.xml</loc></sitemap>" for k in (0, 1))
    body = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>'
    return Canned(body.encode(), headers=(("Content-Type", "application/xml"),))(request)


def _deflate_raw(data: bytes) -> bytes:
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return z.compress(data) + z.flush()


def _nav(path: str, title: str, head: str = "") -> WebCase:
    return WebCase(
        f"nav{path.replace('/', '-')}",
        f"a site page with article-length text: {path}",
        lambda: {path: Canned(_page(title, BODY, BODY, head=head).encode())},
        path,
        "not_indexed",
    )


_ABOUT_LD = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"AboutPage"}</script>'
_WIRE = [_text(90 + i, n=60) for i in range(4)]
_WIRE_2 = [_text(80 + i, n=60) for i in range(4)]
_CREDIT = "This article first appeared in Harbour Daily and is republished with permission."


def _edited(paragraphs: list[str], seed: int) -> list[str]:
    """A copy desk's version: three words changed in every paragraph, the third paragraph dropped,
    one added (test_edited_copies.py does the same to real pages)."""
    rng = random.Random(seed)
    out = []
    for p in paragraphs:
        words = p.split()
        for i in rng.sample(range(len(words) - 1), 3):
            words[i] = rng.choice(VOCAB["en"])
        out.append(" ".join(words))
    del out[2]
    return [*out[:1], _text(seed, n=40), *out[1:]]


ISSUE_13_CASES: tuple[WebCase, ...] = (
    WebCase(
        "feed-dev-zero",
        "a feed whose body is the path /dev/zero (feedparser would open it)",
        lambda: {"/feed.xml": Canned(b"/dev/zero", headers=(("Content-Type", "application/rss+xml"),))},
        "/feed.xml",
        "feed_ignored",
        entry_kind="feeds",
        max_hits=1,
    ),
    _cjk_feed_case("gb2312", "zh", 10),
    _cjk_feed_case("big5", "tw", 11),
    _cjk_feed_case("shift_jis", "ja", 12),
    _cjk_feed_case("euc-kr", "ko", 13),
    WebCase(
        "sitemap-gbk",
        "a sitemap declared GBK listing an article",
        lambda: {
            "/sitemap.xml": Canned(
                (
                    '<?xml version="1.0" encoding="GBK"?><urlset xmlns="http://www.sitemaps.org/'
                    'schemas/sitemap/0.9"><url><loc>/a/story</loc></url></urlset>'
                ).encode("gbk"),
                headers=(("Content-Type", "application/xml"),),
            ),
            "/a/story": Canned(
                _page("广东代表团", _text(14, "zh"), charset="gbk", lang="zh").encode("gbk"),
                headers=(("Content-Type", "text/html"),),
            ),
        },
        "/sitemap.xml",
        "indexed",
        paths=("/a/story",),
        entry_kind="sitemaps",
        expect_text=_text(14, "zh")[:10],
    ),
    WebCase(
        "slow-extraction",
        "100,000 inline tags (trafilatura super-linear: never finishes): the extraction deadline",
        lambda: {"/a/slow": Canned(endless_extraction_page())},
        "/a/slow",
        "not_indexed",
        max_hits=1,
    ),
    WebCase(
        "robots-bom",
        "robots.txt with a UTF-8 BOM disallowing /a/",
        lambda: {
            "/robots.txt": Canned(codecs.BOM_UTF8 + ROBOTS_DISALLOW.encode(), headers=PLAIN),
            "/a/story": Canned(_article(30, "Behind a BOM")),
        },
        "/a/story",
        "never_requested",
    ),
    WebCase(
        "robots-utf16",
        "robots.txt in UTF-16 disallowing /a/",
        lambda: {
            "/robots.txt": Canned(ROBOTS_DISALLOW.encode("utf-16"), headers=PLAIN),
            "/a/story": Canned(_article(32, "Behind UTF-16")),
        },
        "/a/story",
        "never_requested",
    ),
    WebCase(
        "robots-binary",
        "robots.txt of binary bytes: the host is disallowed",
        lambda: {
            "/robots.txt": Canned(b"\x00\x01\xff\xfe" * 500, headers=PLAIN),
            "/a/story": Canned(_article(34, "Behind binary robots")),
        },
        "/a/story",
        "never_requested",
    ),
    WebCase(
        "robots-huge",
        "a 2 MB robots.txt (cap 512 KB) disallowing /a/ on its first lines",
        lambda: {
            "/robots.txt": Canned((ROBOTS_DISALLOW + "# generated\n" * 180_000).encode(), headers=PLAIN),
            "/a/story": Canned(_article(36, "Behind huge robots")),
        },
        "/a/story",
        "never_requested",
    ),
    WebCase(
        "sitemap-endless",
        "a generated sitemap index tree that never ends (depth cap 3)",
        lambda: {f"/sm/{n}.xml": _sitemap_index for n in range(1, 2**10)},
        "/sm/1.xml",
        "not_indexed",
        max_hits=15,
        paths=tuple(f"/sm/{n}.xml" for n in range(1, 2**10)),
        entry_kind="sitemaps",
    ),
    WebCase(
        "cp1251-as-utf8",
        "a Russian cp1251 page labelled UTF-8",
        lambda: {"/a/ru": Canned(_page("Делегация", _text(15, "ru"), lang="ru").encode("cp1251"))},
        "/a/ru",
        "indexed",
        expect_text=_text(15, "ru")[:30],
    ),
    WebCase(
        "gbk-unlabelled",
        "a GBK page without any charset label",
        lambda: {
            "/a/zh": Canned(
                _page("浙江代表团", _text(16, "zh"), charset=None, lang="zh").encode("gbk"),
                headers=(("Content-Type", "text/html"),),
            )
        },
        "/a/zh",
        "indexed",
        expect_text=_text(16, "zh")[:10],
    ),
    WebCase(
        "sjis-as-utf8",
        "a Shift_JIS page labelled UTF-8",
        lambda: {"/a/ja": Canned(_page("愛知県", _text(17, "ja"), charset=None, lang="ja").encode("shift_jis"))},
        "/a/ja",
        "indexed",
        expect_text=_text(17, "ja")[:10],
    ),
    WebCase(
        "utf8-as-latin1",
        "a UTF-8 page under Content-Type charset=iso-8859-1",
        lambda: {
            "/a/de": Canned(
                _page("Zürich", "Zürich " + _text(18, "de"), charset=None, lang="de").encode(),
                headers=(("Content-Type", "text/html; charset=iso-8859-1"),),
            )
        },
        "/a/de",
        "indexed",
        expect_text="Zürich",
    ),
    WebCase(
        "meta-utf16",
        "a UTF-8 page declaring <meta charset=utf-16>",
        lambda: {
            "/a/meta": Canned(
                _page("Königstraße", "Königstraße " + _text(19, "de"), charset="utf-16", lang="de").encode(),
                headers=(("Content-Type", "text/html"),),
            )
        },
        "/a/meta",
        "indexed",
        expect_text="Königstraße",
    ),
    _nav("/about", "About us"),
    _nav("/contact", "Contact"),
    _nav("/privacy-policy", "Privacy policy"),
    _nav("/tag/trade", "Tag: trade"),
    _nav("/author/jane-doe", "Jane Doe"),
    _nav("/company", "Company", head=_ABOUT_LD),
    WebCase(
        "syndicated-credit",
        "a wire story and its copy under a new headline with a credit line",
        lambda: {
            "/a/original": Canned(_page("Testland signs port deal", *_WIRE).encode()),
            "/b/copy": Canned(_page("What the Testland port deal means", _CREDIT, *_WIRE).encode()),
        },
        "/a/original",
        "indexed",
        paths=("/a/original", "/b/copy"),
        more_entries=("/b/copy",),
    ),
    WebCase(
        "syndicated-edited",
        "a wire story and a copy edited throughout, under a new headline with a credit line",
        lambda: {
            "/a/original": Canned(_page("Testland opens hydrogen hub", *_WIRE_2).encode()),
            "/b/copy": Canned(_page("Inside the Testland hydrogen hub", _CREDIT, *_edited(_WIRE_2, 7)).encode()),
        },
        "/a/original",
        "indexed",
        paths=("/a/original", "/b/copy"),
        more_entries=("/b/copy",),
    ),
    WebCase(
        "busy-503",
        "503 with Retry-After: 1 on the first request, then the article",
        lambda: {"/a/busy": Recovering(Canned(_article(26, "Busy but there")), 1, lambda: "1")},
        "/a/busy",
        "indexed",
        max_hits=2,
    ),
    WebCase(
        "json-feed-deep",
        "a JSON Feed nested 100,000 levels deep",
        lambda: {
            "/feed.json": Canned(
                b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", headers=(("Content-Type", "application/feed+json"),)
            )
        },
        "/feed.json",
        "feed_ignored",
        entry_kind="feeds",
        max_hits=1,
    ),
    WebCase(
        "no-content-type",
        "an article served without Content-Type",
        lambda: {"/a/untyped": Canned(_article(20, "Untyped but HTML"), headers=())},
        "/a/untyped",
        "indexed",
    ),
    WebCase(
        "two-content-types",
        "two Content-Type headers (text/plain, then text/html)",
        lambda: {"/a/twice": Canned(_article(22, "Typed twice"), headers=(("Content-Type", "text/plain"), *HTML))},
        "/a/twice",
        "indexed",
    ),
    WebCase(
        "raw-deflate",
        "Content-Encoding: deflate without the zlib wrapper",
        lambda: {
            "/a/deflate": Canned(_deflate_raw(_article(24, "Raw deflate")), headers=(*HTML, ("Content-Encoding", "deflate")))
        },
        "/a/deflate",
        "indexed",
    ),
)
