from datetime import date

from tradeties.indexer.query import FACETS, SearchParams, build_search, format_table, parse_search, result_json


def test_full_text_query_with_every_filter():
    body = build_search(SearchParams(query="delegation Birmingham", regions=("CN:Liaoning",), countries=("gb",),
                                     sectors=("automotive",), event_types=("agreement",), sources=("BBC",),
                                     since=date(2024, 1, 1), until=date(2024, 12, 31), size=5))
    q = body["query"]["bool"]
    assert q["must"][0]["multi_match"]["query"] == "delegation Birmingham"
    assert q["must"][0]["multi_match"]["fields"] == ["title^3", "body"]
    assert {"terms": {"region_ids": ["CN:Liaoning"]}} in q["filter"]
    assert {"terms": {"countries": ["GB"]}} in q["filter"]
    assert {"terms": {"sectors": ["automotive"]}} in q["filter"]
    assert {"terms": {"event_types": ["agreement"]}} in q["filter"]
    assert {"terms": {"source": ["BBC"]}} in q["filter"]
    assert {"range": {"published_at": {"gte": "2024-01-01", "lt": "2024-12-31||+1d"}}} in q["filter"]
    assert body["size"] == 5
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    assert {k: v["terms"]["field"] for k, v in body["aggs"].items()} == FACETS


def test_empty_query_matches_all_without_filters():
    q = build_search(SearchParams())["query"]["bool"]
    assert q == {"must": [{"match_all": {}}], "filter": []}


RESPONSE = {
    "hits": {"total": {"value": 2, "relation": "eq"}, "hits": [
        {"_id": "a1", "_score": 3.2, "_source": {"id": "a1", "title": "Liaoning delegation", "url": "https://x/1",
                                                 "source": "BBC", "published_at": "2024-05-01T09:00:00+00:00",
                                                 "primary_event_type": "delegation_visit",
                                                 "region_ids": ["CN:Liaoning"]},
         "highlight": {"body": ["A <em>delegation</em> from Liaoning"]}},
        {"_id": "a2", "_score": 1.0, "_source": {"id": "a2", "title": "Other", "url": "https://x/2", "source": "FT"}},
    ]},
    "aggregations": {"region": {"buckets": [{"key": "CN:Liaoning", "doc_count": 2}]},
                     "source": {"buckets": [{"key": "BBC", "doc_count": 1}, {"key": "FT", "doc_count": 1}]}},
}


def test_parse_and_render():
    r = parse_search(RESPONSE)
    assert r.total == 2 and [h.id for h in r.hits] == ["a1", "a2"]
    assert r.hits[0].snippets == ["A <em>delegation</em> from Liaoning"]
    assert r.facets["region"] == [("CN:Liaoning", 2)]
    j = result_json(r)
    assert j["facets"]["source"] == [{"key": "BBC", "count": 1}, {"key": "FT", "count": 1}]
    table = format_table(r)
    assert "2 match(es)" in table and "Liaoning delegation" in table and "region: CN:Liaoning (2)" in table
    assert "2024-05-01" in table and "A <em>delegation</em> from Liaoning" in table
