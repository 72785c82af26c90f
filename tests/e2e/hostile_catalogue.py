"""The hostile-inputs catalogue (docs/hostile-inputs.md renders the same list): each input, how it
is served or sent, and the outcome the real pipeline must produce.

Web cases are canned responses of fixture news web outlets (one loopback host per case) crawled by
the real crawler; message cases are bytes produced straight onto a topic. test_hostile.py drives
all of them through one pipeline run.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from tradeties.common.events import (
    Classification,
    ClassifiedArticle,
    Extraction,
    RawArticle,
    RegionTag,
    article_id_for,
    content_hash_for,
)
from tradeties.common.topics import Topic
from tradeties.newsweb import Canned, Recovering

Outcome = Literal["indexed", "not_indexed", "at_most_once", "dead_letter", "host_skipped", "feed_ignored", "never_requested"]

HTML = (("Content-Type", "text/html; charset=utf-8"),)
BODY = (
    "Officials from the Province of Testland met business leaders in Exampleton to discuss a "
    "trade partnership in advanced manufacturing and green energy. "
) * 6


def _html(title: str, body: str = BODY) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )


def _bomb(expanded_bytes: int) -> bytes:
    chunk = b"<p>" + b"a" * 1021 + b"</p>"
    return gzip.compress(b"<html><body>" + chunk * (expanded_bytes // len(chunk)), compresslevel=9)


def _billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(ents) + ']><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>&lol9;</title><link>http://127.0.0.1/never</link></item>"
        "</channel></rss>"
    ).encode()


@dataclass(frozen=True)
class WebCase:
    id: str
    what: str
    pages: Callable[[], dict[str, Canned | Recovering]]
    #: Path the crawler is pointed at (as a direct article URL of the hostile site).
    entry: str
    outcome: Outcome
    #: Upper bound on requests for this case's paths (retries and redirects are bounded).
    max_hits: int | None = None
    paths: tuple[str, ...] = ()
    #: How the crawler is told about ``entry`` (a sources-file key), and further entries of that kind.
    entry_kind: str = "urls"
    more_entries: tuple[str, ...] = ()
    #: An indexed document's body must contain this (correct decoding, not mojibake).
    expect_text: str | None = None


@dataclass(frozen=True)
class MessageCase:
    id: str
    what: str
    topic: Topic
    value: Callable[[], bytes | ClassifiedArticle]
    dlq: Topic
    reason: tuple[str, ...]
    #: Every consumer of the topic dead-letters it once, under its own stage name.
    stages: tuple[str, ...] = ()
    outcome: Outcome = "dead_letter"


def _rejected_by_es() -> ClassifiedArticle:
    """Valid against the event schema, but latitude 1000 is not a geo_point: Elasticsearch refuses it."""
    url = "http://127.0.0.1/hostile/es-rejects"
    now = datetime.now(UTC)
    text = "A document the search engine cannot store. " * 10
    bad = RegionTag(
        id="XX:Nowhere",
        name="Nowhere",
        country="XX",
        admin_level="city",
        lat=1000.0,
        lon=1000.0,
        role="party",
        confidence=0.9,
        evidence="Nowhere",
    )
    return ClassifiedArticle(
        article=RawArticle(
            id=article_id_for(url),
            url=url,
            canonical_url=url,
            source="Hostile",
            title="ES rejects me",
            text=text,
            fetched_at=now,
            content_hash=content_hash_for(text),
            extraction=Extraction(extractor="test"),
        ),
        classification=Classification(
            relevant=True, relevance=0.9, regions=[bad], countries=["XX"], cluster_id="hostile-es", model_version="test"
        ),
        classified_at=now,
    )


WEB_CASES: tuple[WebCase, ...] = (
    WebCase(
        "malformed-html",
        "unclosed and mis-nested tags around real text",
        lambda: {
            "/h/malformed": Canned(
                (
                    "<html><body><div><article><h1>Malformed but readable<p>"
                    + BODY
                    + "<div><span><p>"
                    + BODY
                    + "</b></i></table>"
                ).encode()
            )
        },
        "/h/malformed",
        "at_most_once",
    ),
    WebCase(
        "truncated-html",
        "the response stops mid-tag after the text",
        lambda: {"/h/truncated": Canned(_html("Truncated page").encode()[:-60] + b"<di")},
        "/h/truncated",
        "at_most_once",
    ),
    WebCase(
        "invalid-utf8",
        "declared UTF-8, contains invalid byte sequences",
        lambda: {"/h/invalid-utf8": Canned(_html("Invalid bytes").encode().replace(b"trade", b"tr\xff\xfede"))},
        "/h/invalid-utf8",
        "at_most_once",
    ),
    WebCase(
        "mislabelled-charset",
        "Windows-1252 bytes served as charset=utf-8",
        lambda: {"/h/mislabelled": Canned(_html("Zürich café Straße", BODY + " Zürich café Straße ").encode("cp1252"))},
        "/h/mislabelled",
        "at_most_once",
    ),
    WebCase(
        "50mb-page",
        "a 50 MB HTML page (cap: crawler.max_response_bytes = 10 MB)",
        lambda: {"/h/huge": Canned(b"<html><body><p>" + b"huge " * (50 * 1024 * 1024 // 5) + b"</p></body></html>")},
        "/h/huge",
        "not_indexed",
        max_hits=8,
    ),
    WebCase(
        "gzip-bomb",
        "200 KB of gzip that inflates to 200 MB (the cap applies after decompression)",
        lambda: {"/h/bomb": Canned(_bomb(200 * 1024 * 1024), headers=(*HTML, ("Content-Encoding", "gzip")))},
        "/h/bomb",
        "not_indexed",
        max_hits=8,
    ),
    WebCase(
        "redirect-loop",
        "a → b → a …",
        lambda: {
            "/h/loop-a": Canned(b"", 302, (("Location", "/h/loop-b"),)),
            "/h/loop-b": Canned(b"", 302, (("Location", "/h/loop-a"),)),
        },
        "/h/loop-a",
        "not_indexed",
        max_hits=14,
        paths=("/h/loop-a", "/h/loop-b"),
    ),
    WebCase(
        "trickle",
        "a server sending one byte per second (cut off by crawler.total_timeout_s)",
        lambda: {"/h/trickle": Canned(_html("Slow").encode(), trickle_bps=1.0)},
        "/h/trickle",
        "not_indexed",
        max_hits=8,
    ),
    WebCase(
        "5xx-storm",
        "every request answered 503",
        lambda: {"/h/503": Canned(b"unavailable", 503)},
        "/h/503",
        "not_indexed",
        max_hits=8,
    ),
    WebCase(
        "429-storm",
        "every request answered 429 with Retry-After: 1",
        lambda: {"/h/429": Canned(b"slow down", 429, (("Retry-After", "1"),))},
        "/h/429",
        "not_indexed",
        max_hits=8,
    ),
)

#: Sites of their own (a host-wide behaviour): robots.txt answering 500, a feed with an entity bomb.
ROBOTS_ERROR_PAGES = {
    "/robots.txt": Canned(b"oops", 500),
    "/feed.xml": Canned(b"", 200),
    "/a/story": Canned(_html("Behind broken robots").encode()),
}
ALLOW_ALL = Canned(b"User-agent: *\nAllow: /\n", headers=(("Content-Type", "text/plain"),))
XML_BOMB_PAGES = {
    "/robots.txt": ALLOW_ALL,
    "/feed.xml": Canned(_billion_laughs(), headers=(("Content-Type", "application/rss+xml"),)),
}

MESSAGE_CASES: tuple[MessageCase, ...] = (
    MessageCase(
        "raw-undecodable",
        "bytes that are not UTF-8 JSON on the raw-articles topic",
        Topic.RAW_ARTICLES,
        lambda: b"\xff\xfe\x00garbage",
        Topic.DLQ_CLASSIFIER,
        ("undecodable",),
        ("classifier",),
    ),
    MessageCase(
        "raw-schema-invalid",
        "JSON that is not a RawArticle",
        Topic.RAW_ARTICLES,
        lambda: b'{"schema_version": 1, "id": "x", "surprise": true}',
        Topic.DLQ_CLASSIFIER,
        ("schema_invalid",),
        ("classifier",),
    ),
    MessageCase(
        "classified-undecodable",
        "not JSON on the classified topic",
        Topic.CLASSIFIED_ARTICLES,
        lambda: b"{not json",
        Topic.DLQ_INDEXER,
        ("undecodable",),
        ("indexer",),
    ),
    MessageCase(
        "classified-schema-invalid",
        "JSON that is not a ClassifiedArticle",
        Topic.CLASSIFIED_ARTICLES,
        lambda: b'{"schema_version": 1, "article": {}}',
        Topic.DLQ_INDEXER,
        ("schema_invalid",),
        ("indexer",),
    ),
    MessageCase(
        "alerts-undecodable",
        "not JSON on the alerts topic",
        Topic.ALERTS,
        lambda: b"\x00\x01\x02",
        Topic.DLQ_ALERTS,
        ("undecodable",),
        ("alerts", "indexer"),
    ),
    MessageCase(
        "alerts-schema-invalid",
        "JSON that is not a DelegationAlert",
        Topic.ALERTS,
        lambda: b'{"schema_version": 1, "alert_id": 5}',
        Topic.DLQ_ALERTS,
        ("schema_invalid",),
        ("alerts", "indexer"),
    ),
    MessageCase(
        "es-rejects-document",
        "a valid ClassifiedArticle whose region has latitude 1000 (not a geo_point)",
        Topic.CLASSIFIED_ARTICLES,
        _rejected_by_es,
        Topic.DLQ_INDEXER,
        ("document_parsing_exception", "mapper_parsing_exception"),
        ("indexer",),
    ),
)
