from datetime import date

import pytest

from tradeties.search.query import (
    FACETS,
    LABELS,
    MAX_QUERY_CHARS,
    MAX_VALUES,
    InvalidSearch,
    SearchParams,
    build_search,
    format_table,
    parse_search,
    result_json,
    validate,
)


def test_full_text_query_with_every_filter():
    body = build_search(
        SearchParams(
            query="delegation Birmingham",
            regions=("CN:Liaoning",),
            countries=("gb",),
            sectors=("automotive",),
            event_types=("agreement",),
            sources=("BBC",),
            since=date(2024, 1, 1),
            until=date(2024, 12, 31),
            size=5,
        )
    )
    q = body["query"]["bool"]
    assert q["must"][0]["simple_query_string"]["query"] == "delegation Birmingham"
    assert q["must"][0]["simple_query_string"]["fields"] == ["title^3", "body"]
    assert q["must"][0]["simple_query_string"]["lenient"] is True
    assert {"terms": {"region_ids": ["CN:Liaoning"]}} in q["filter"]
    assert {"terms": {"countries": ["GB"]}} in q["filter"]
    assert {"terms": {"sectors": ["automotive"]}} in q["filter"]
    assert {"terms": {"event_types": ["agreement"]}} in q["filter"]
    assert {"terms": {"source": ["BBC"]}} in q["filter"]
    assert {"range": {"published_at": {"gte": "2024-01-01", "lt": "2024-12-31||+1d"}}} in q["filter"]
    assert body["size"] == 5
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    assert {k: v["terms"]["field"] for k, v in body["aggs"].items() if k != LABELS} == FACETS
    assert body["aggs"][LABELS]["nested"] == {"path": "regions"}


def test_empty_query_matches_all_relevant_articles():
    q = build_search(SearchParams())["query"]["bool"]
    assert q == {"must": [{"match_all": {}}], "filter": [{"term": {"relevant": True}}]}
    assert build_search(SearchParams(relevant=None))["query"]["bool"]["filter"] == []
    assert build_search(SearchParams(relevant=False))["query"]["bool"]["filter"] == [{"term": {"relevant": False}}]


def test_paging_sorting_and_no_facets():
    body = build_search(SearchParams(offset=20, size=10, sort="newest", facets=False))
    assert body["from"] == 20 and "aggs" not in body
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}


@pytest.mark.parametrize(
    "params, message",
    [
        (SearchParams(query="x" * (MAX_QUERY_CHARS + 1)), "at most 500"),
        (SearchParams(regions=tuple(f"r{i}" for i in range(MAX_VALUES + 1))), "region: 21 values"),
        (SearchParams(sources=("a" * 201,)), "source:"),
        (SearchParams(sectors=("bad\x00value",)), "sector:"),
        (SearchParams(query="nul\x00byte"), "control characters"),
        (SearchParams(offset=9_995, size=10), "beyond 10000"),
        (SearchParams(since=date(2025, 1, 2), until=date(2025, 1, 1)), "is after until"),
    ],
)
def test_out_of_bounds_parameters_are_refused_with_what_is_wrong(params, message):
    with pytest.raises(InvalidSearch, match=message):
        validate(params)


def test_query_syntax_is_never_an_error():
    # Unbalanced quotes, brackets and Lucene syntax stay plain text for simple_query_string.
    for text in ['"unbalanced', "a AND (b", "title:x^99 OR /regex/", '{"query": 1}', "\\"]:
        q = build_search(validate(SearchParams(query=text)))["query"]["bool"]["must"][0]
        assert q["simple_query_string"]["query"] == text and "FUZZY" not in q["simple_query_string"]["flags"]


RESPONSE = {
    "hits": {
        "total": {"value": 2, "relation": "eq"},
        "hits": [
            {
                "_id": "a1",
                "_score": 3.2,
                "_source": {
                    "id": "a1",
                    "title": "Liaoning delegation",
                    "url": "https://x/1",
                    "source": "BBC",
                    "published_at": "2024-05-01T09:00:00+00:00",
                    "primary_event_type": "delegation_visit",
                    "region_ids": ["CN:Liaoning"],
                },
                "highlight": {"body": ["A <em>delegation</em> from Liaoning"]},
            },
            {"_id": "a2", "_score": 1.0, "_source": {"id": "a2", "title": "Other", "url": "https://x/2", "source": "FT"}},
        ],
    },
    "aggregations": {
        "region": {"buckets": [{"key": "CN:Liaoning", "doc_count": 2}]},
        LABELS: {
            "doc_count": 3,
            "ids": {
                "buckets": [{"key": "CN:Liaoning", "doc_count": 2, "name": {"buckets": [{"key": "Liaoning", "doc_count": 2}]}}]
            },
        },
        "source": {"buckets": [{"key": "BBC", "doc_count": 1}, {"key": "FT", "doc_count": 1}]},
    },
}


def test_parse_and_render():
    r = parse_search(RESPONSE)
    assert r.total == 2 and [h.id for h in r.hits] == ["a1", "a2"]
    assert r.hits[0].snippets == ["A <em>delegation</em> from Liaoning"]
    assert r.facets["region"] == [("CN:Liaoning", 2)] and LABELS not in r.facets
    assert r.labels == {"CN:Liaoning": "Liaoning"}
    j = result_json(r)
    assert j["facets"]["source"] == [{"key": "BBC", "count": 1, "label": "BBC"}, {"key": "FT", "count": 1, "label": "FT"}]
    assert j["facets"]["region"] == [{"key": "CN:Liaoning", "count": 2, "label": "Liaoning"}]
    table = format_table(r)
    assert "2 match(es)" in table and "Liaoning delegation" in table and "region: Liaoning [CN:Liaoning] (2)" in table
    assert "2024-05-01" in table and "A <em>delegation</em> from Liaoning" in table
