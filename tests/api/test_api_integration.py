"""GET /api/search, /api/articles/{id}, /api/alerts and the watches, over HTTP against the real
node holding articles the real indexer wrote."""

from __future__ import annotations

import httpx
import pytest

from .conftest import TOKEN
from .support import article

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_search_returns_relevant_articles_with_highlights_and_facets(api):
    r = httpx.get(f"{api}/api/search", params={"q": "delegation"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 4 and all("Contact" not in h["title"] for h in body["hits"])
    assert all("<em>" in " ".join(h["snippets"]) for h in body["hits"])
    assert {f["key"]: f["count"] for f in body["facets"]["region"]} == {"CN-LN": 4, "gn:2655603": 4}
    assert {f["key"]: f["label"] for f in body["facets"]["region"]} == {"CN-LN": "Liaoning", "gn:2655603": "Birmingham"}
    everything = httpx.get(f"{api}/api/search", params={"relevant": "any"}).json()
    assert everything["total"] == 6
    assert httpx.get(f"{api}/api/search", params={"relevant": "no"}).json()["hits"][0]["title"] == "Contact us #20"


def test_filters_dates_and_paging(api):
    r = httpx.get(f"{api}/api/search", params=[("event_type", "agreement"), ("country", "gb")]).json()
    assert [h["title"] for h in r["hits"]] == ["Guangdong signs agreement with Midlands Engine"]
    assert r["hits"][0]["delegation"]["origin"]["name"] == "Guangdong"
    pages = [httpx.get(f"{api}/api/search", params={"size": 2, "page": p, "sort": "newest"}).json() for p in (1, 2, 3)]
    ids = [h["id"] for page in pages for h in page["hits"]]
    assert len(ids) == 5 == len(set(ids)) and pages[0]["total"] == 5
    until = httpx.get(f"{api}/api/search", params={"until": "2026-05-01", "since": "2026-05-01"}).json()
    assert until["total"] == 5  # a bare until date includes that whole day


@pytest.mark.parametrize(
    "params, says",
    [
        ({"q": "x" * 501}, "at most 500"),
        ({"nope": "1"}, "unknown parameter 'nope'"),
        ({"since": "yesterday"}, "since: 'yesterday' is not an ISO date"),
        ({"size": "1000"}, "size: '1000' is not a whole number from 1 to 100"),
        ({"page": "-1"}, "page: '-1'"),
        ({"page": "9" * 40}, "page:"),
        ({"relevant": "maybe"}, "relevant:"),
        ([("region", f"R{i}") for i in range(21)], "region: 21 values"),
        ({"source": "a\x00b"}, "source:"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "is after until"),
        ([("q", "a"), ("q", "b")], "q given more than once"),
    ],
)
def test_hostile_parameters_are_answered_400_with_what_is_wrong(api, params, says):
    r = httpx.get(f"{api}/api/search", params=params)
    assert r.status_code == 400 and says in r.json()["error"], r.text


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "a AND (b",
        "title:x^99 OR body:/.*/",
        '{"query":{"match_all":{}}}',
        "*:*",
        "\\",
        "<script>alert(1)</script>",
        "delegation) OR (1=1",
        "~~~ ||| ---",
    ],
)
def test_query_syntax_cannot_break_the_search(api, q):
    r = httpx.get(f"{api}/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert "<script>" not in r.text  # snippets are HTML-escaped around the marks


def test_article_has_its_whole_classification_and_evidence(api):
    a = article(1)
    r = httpx.get(f"{api}/api/articles/{a.article.id}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["title"] == a.article.title and doc["relevant"] is True
    assert [x["evidence"] for x in doc["regions"]] == ["Liaoning", "Birmingham"]
    assert doc["event_type_labels"][0] == {"id": "delegation_visit", "confidence": 0.85, "evidence": "delegation_visit"}
    assert httpx.get(f"{api}/api/articles/nope").status_code == 404


def test_alerts_newest_revision_once_each(api):
    body = httpx.get(f"{api}/api/alerts").json()
    assert body["total"] == 2 and [a["alert_id"] for a in body["alerts"]] == ["alert-2", "alert-1"]
    assert body["alerts"][0]["revision"] == 2


def test_watches_from_the_file_and_the_api_with_secrets_masked(api):
    listed = httpx.get(f"{api}/api/watches").json()["watches"]
    assert [w["name"] for w in listed] == ["liaoning"]
    secret = "https://hooks.slack.example/T000/B000/s3cr3t"
    watch = {"name": "guangdong", "query": "agreement", "regions": ["CN-GD"], "channels": [{"kind": "slack", "url": secret}]}
    assert httpx.post(f"{api}/api/watches", json=watch).status_code == 401
    assert httpx.post(f"{api}/api/watches", json=watch, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = httpx.post(f"{api}/api/watches", json=watch, headers=AUTH)
    assert r.status_code == 201 and r.json()["channels"] == [{"kind": "slack", "url": "**********"}]
    assert httpx.post(f"{api}/api/watches", json=watch, headers=AUTH).status_code == 409
    for text in (
        httpx.get(f"{api}/api/watches").text,
        httpx.get(f"{api}/api/watches/guangdong").text,
        httpx.get(f"{api}/watches").text,
    ):
        assert "s3cr3t" not in text and "guangdong" in text
    r = httpx.put(f"{api}/api/watches/guangdong", json={**watch, "query": "memorandum"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["query"] == "memorandum"
    assert httpx.delete(f"{api}/api/watches/guangdong", headers=AUTH).status_code == 204
    assert httpx.get(f"{api}/api/watches/guangdong").status_code == 404


@pytest.mark.parametrize(
    "body, says",
    [
        ({"name": "Bad Name"}, "name"),
        ({"name": "alerts"}, "name"),
        ({"name": "w", "channels": [{"kind": "slack", "url": "ftp://x"}]}, "http:// or https://"),
        ({"name": "w", "query": "x" * 600}, "at most 500"),
        ({"name": "w", "unknown": 1}, "unknown"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not JSON"),
    ],
)
def test_invalid_watches_are_refused(api, body, says):
    kw = {"content": body} if isinstance(body, str) else {"json": body}
    r = httpx.post(f"{api}/api/watches", headers=AUTH, **kw)
    assert r.status_code == 400 and says in r.json()["error"], r.text
