"""Atom and JSON feeds of watches, searches and delegation alerts, parsed with feedparser as a
reader would: required elements, stable ids, paging links, validators and 304s."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import httpx
import jsonschema
import pytest
from indexer.factories import T0, alert
from indexer.helpers import prepare

from .support import article, index, serving

pytestmark = pytest.mark.integration


def parse(url: str, **kw) -> tuple[feedparser.FeedParserDict, httpx.Response]:
    r = httpx.get(url, **kw)
    assert r.status_code == 200, r.text
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed, r


def test_watch_feed_atom_has_the_required_elements_newest_first(api):
    feed, r = parse(f"{api}/feeds/liaoning.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.feed.id == "urn:tradeties:feed:watch:liaoning" and feed.feed.title == "tradeties: Liaoning delegations"
    assert feed.feed.updated_parsed and feed.feed.author == "tradeties"
    assert [link.rel for link in feed.feed.links] == ["alternate", "self", "first"]
    assert len(feed.entries) == 4
    published = [e.published for e in feed.entries]
    assert published == sorted(published, reverse=True), "newest first"
    e = feed.entries[0]
    assert e.id.startswith("urn:tradeties:article:") and e.title.startswith("Liaoning delegation visits Birmingham")
    assert e.updated_parsed and e.link.startswith("https://news.example/business/")
    assert any(link.rel == "related" and "/articles/" in link.href for link in e.links)
    assert e.summary == (
        "regions: Liaoning (CN), Birmingham (GB) · Liaoning (CN) → Birmingham (GB) · "
        "delegation_visit · sectors: advanced_manufacturing"
    )
    assert {t.term for t in e.tags} >= {"delegation_visit", "advanced_manufacturing", "CN-LN"}


# The JSON Feed 1.1 spec's required members and types (feedparser 6.0 reads XML feeds only).
JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "next_url": {"type": "string", "format": "uri"},
        "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "external_url": {"type": "string"},
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def test_json_feed_1_1(api):
    r = httpx.get(f"{api}/feeds/liaoning.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/feed+json")
    body = r.json()
    jsonschema.validate(body, JSON_FEED_1_1, format_checker=jsonschema.FormatChecker())
    assert body["feed_url"].endswith("/feeds/liaoning.json")
    assert len(body["items"]) == 4 and all(
        {"url", "external_url", "title", "summary", "date_modified"} <= set(i) for i in body["items"]
    )
    atom, _ = parse(f"{api}/feeds/liaoning.atom")
    assert [i["id"] for i in body["items"]] == [e.id for e in atom.entries], "same entries, same order"


def test_paging_links_rfc5005(api):
    first, _ = parse(f"{api}/feeds/search.atom", params={"q": "delegation", "size": 3})
    links = {link.rel: link.href for link in first.feed.links}
    assert "next" in links and "previous" not in links and len(first.entries) == 3
    second, _ = parse(links["next"])
    links2 = {link.rel: link.href for link in second.feed.links}
    assert "previous" in links2 and "next" not in links2 and len(second.entries) == 1
    assert not {e.id for e in first.entries} & {e.id for e in second.entries}
    assert httpx.get(f"{api}/feeds/search.json", params={"size": 3}).json()["next_url"].endswith("page=2")


def test_etag_and_last_modified_give_304(api):
    _, r = parse(f"{api}/feeds/liaoning.atom")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert httpx.get(f"{api}/feeds/liaoning.atom", headers={"If-None-Match": etag}).status_code == 304
    assert httpx.get(f"{api}/feeds/liaoning.atom", headers={"If-Modified-Since": modified}).status_code == 304
    assert httpx.get(f"{api}/feeds/liaoning.atom", headers={"If-None-Match": '"other"'}).status_code == 200
    assert (
        httpx.get(f"{api}/feeds/liaoning.atom", headers={"If-Modified-Since": "Thu, 01 Jan 2015 00:00:00 GMT"}).status_code == 200
    )


def test_unknown_feeds_and_bad_parameters(api):
    assert httpx.get(f"{api}/feeds/nope.atom").status_code == 404
    assert httpx.get(f"{api}/feeds/liaoning.rss").status_code == 404
    assert httpx.get(f"{api}/feeds/search.atom", params={"size": "x"}).status_code == 400


def test_alert_revised_by_a_new_outlet_is_updated_not_duplicated_and_polling_sees_no_duplicates(settings):
    prepare(settings)
    first = alert(5, revision=1)
    index(settings, [article(1)], [first])
    with serving(settings) as api:
        before, r1 = parse(f"{api}/feeds/alerts.atom")
        assert [e.id for e in before.entries] == [f"urn:tradeties:alert:{first.alert_id}"]
        assert before.entries[0].title == f"Delegation Liaoning (CN) → Birmingham (GB): {first.title}"
        assert "1 outlet: Midlands Daily" in before.entries[0].summary
        # The same poll again: nothing new, 304 with the validators a reader keeps.
        assert httpx.get(f"{api}/feeds/alerts.atom", headers={"If-None-Match": r1.headers["etag"]}).status_code == 304
        revised = first.model_copy(
            update={
                "revision": 2,
                "sources": ["Midlands Daily", "Birmingham Post"],
                "article_ids": ["a5", "a6"],
                "updated_at": T0 + timedelta(days=3),
            }
        )
        index(settings, [article(2)], [revised, alert(6)])
        after, r2 = parse(f"{api}/feeds/alerts.atom", headers={"If-None-Match": r1.headers["etag"]})
        ids = [e.id for e in after.entries]
        assert len(ids) == len(set(ids)) == 2, "one entry per alert"
        entry = next(e for e in after.entries if e.id == f"urn:tradeties:alert:{first.alert_id}")
        assert entry.updated_parsed > before.entries[0].updated_parsed
        assert "2 outlets: Midlands Daily, Birmingham Post" in entry.summary
        assert r2.headers["etag"] != r1.headers["etag"]
        seen = [e.id for e in before.entries + after.entries]
        assert sorted(set(seen)) == sorted(ids), "a reader merging both polls holds each alert once"
