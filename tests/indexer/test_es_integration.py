"""Indexer against the real local Elasticsearch node and Kafka broker."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from elasticsearch import ApiError

from tradeties.common.errors import RejectedDocument
from tradeties.common.indices import Kind, names_for
from tradeties.common.topics import Topic
from tradeties.indexer import admin
from tradeties.indexer.capabilities import ENGLISH_PROBE, Capabilities, detect
from tradeties.indexer.reindex import reindex
from tradeties.indexer.search import export_rows
from tradeties.indexer.service import run_service
from tradeties.indexer.templates import index_settings
from tradeties.search.query import SearchParams
from tradeties.search.reader import search

from .factories import GUANGDONG, LIAONING, T0, alert, article, guangdong_agreement, region
from .helpers import alias, committed_total, count, es, prepare, produce, read_dead_letters, wait_for

pytestmark = pytest.mark.integration

PROD = Capabilities(english_stemming=True, modules=frozenset({"analysis-common"}))


def _run(settings, idle: float = 1.5, **kw):
    return run_service(settings, until_idle_s=idle, install_signals=False, **kw)


def test_capability_detection_picks_the_analyzer_the_node_supports(settings):
    prepare(settings)
    client = es(settings)
    caps = detect(client)
    names = names_for(settings.elasticsearch.index_prefix)[Kind.ARTICLES]
    admin.ensure_ready(client, settings.elasticsearch.index_prefix, settings.indexer, caps)
    template = client.indices.get_index_template(name=names.template).body["index_templates"][0]
    assert template["index_template"]["_meta"]["analysis"] == caps.analysis
    # The node took the template's merge policy for the live index (a name it did not know would fail).
    live = client.indices.get_settings(index=names.read_alias).body
    assert [v["settings"]["index"]["merge"]["policy"]["segments_per_tier"] for v in live.values()] == [
        str(settings.indexer.segments_per_tier)
    ]
    tokens = [
        t["token"]
        for t in client.indices.analyze(index=names.read_alias, analyzer="tradeties_text", text="The delegations signing").body[
            "tokens"
        ]
    ]
    probe_index = f"{settings.elasticsearch.index_prefix}-probe-english"
    if caps.english_stemming:
        # Production path: analysis-common is there, the index stems English.
        assert tokens == ["deleg", "sign"]
        client.indices.create(index=probe_index, settings=index_settings(PROD))
    else:
        # Local dev node (no analysis-common): built-in standard analyzer, English stop words, no stemming...
        assert tokens == ["delegations", "signing"]
        assert "analysis-common" not in caps.modules
        with pytest.raises(ApiError) as err:  # ...and the production analysis chain is refused, which is why we detect.
            client.indices.analyze(**ENGLISH_PROBE)
        assert err.value.status_code == 400
        with pytest.raises(ApiError):
            client.indices.create(index=probe_index, settings=index_settings(PROD))


def test_index_search_facets_highlighting_and_export(settings):
    prepare(settings)
    # region names carry their diacritics (the classifier prints "Düsseldorf")
    duesseldorf = dict(
        id="DE:Düsseldorf",
        name="Düsseldorf",
        country="DE",
        geonames_id=2934246,
        admin_level="city",
        lat=51.22,
        lon=6.78,
        parent_id="DE:North Rhine-Westphalia",
    )
    events = [article(i) for i in range(6)] + [guangdong_agreement(duesseldorf)]
    produce(settings, Topic.CLASSIFIED_ARTICLES, events)
    stats = _run(settings)
    assert stats.stored == 7 and stats.dead_lettered == 0
    client = es(settings)
    assert count(client, alias(settings)) == 7
    prefix = settings.elasticsearch.index_prefix

    r = search(client, prefix, SearchParams(query="memorandum vehicles"))
    assert r.total == 1 and r.hits[0].title.startswith("Guangdong signs")
    assert any("<em>memorandum</em>" in s for s in r.hits[0].snippets)

    r = search(client, prefix, SearchParams(query="delegation", size=3))
    assert r.total == 6 and len(r.hits) == 3
    assert dict(r.facets["region"])["CN-LN"] == 6
    assert dict(r.facets["source"]) == {"Midlands Daily": 6}
    assert dict(r.facets["event_type"]) == {"delegation_visit": 6}

    everything = search(client, prefix, SearchParams())
    assert everything.total == 7
    assert dict(everything.facets["sector"]) == {"advanced_manufacturing": 6, "automotive": 1}
    assert dict(everything.facets["country"]) == {"CN": 7, "GB": 7}
    assert search(client, prefix, SearchParams(event_types=("agreement",))).total == 1
    assert search(client, prefix, SearchParams(regions=(GUANGDONG["id"],))).total == 1
    assert dict(everything.facets["region"])["DE:Düsseldorf"] == 1
    assert search(client, prefix, SearchParams(regions=("DE:Düsseldorf",))).total == 1
    assert search(client, prefix, SearchParams(sources=("Shenzhen Daily",), countries=("cn",))).total == 1
    assert search(client, prefix, SearchParams(since=(T0 + timedelta(hours=3)).date())).total == 7
    assert search(client, prefix, SearchParams(until=(T0 - timedelta(days=1)).date())).total == 0

    rows = sorted(export_rows(client, prefix), key=lambda r: r["url"])
    assert len(rows) == 7
    by_url = {e.article.url: e for e in events}
    for row in rows:
        e = by_url[row["url"]]
        assert row["id"] == e.article.id and row["title"] == e.article.title and row["source"] == e.article.source
        assert {k: row[k] for k in e.classification.model_dump(mode="json")} == e.classification.model_dump(mode="json")

    # Role-aware query on the nested regions.
    hits = client.search(
        index=alias(settings),
        query={
            "nested": {
                "path": "regions",
                "query": {"bool": {"filter": [{"term": {"regions.id": GUANGDONG["id"]}}, {"term": {"regions.role": "party"}}]}},
            }
        },
    ).body
    assert hits["hits"]["total"]["value"] == 1


def test_replay_is_a_no_op_and_the_newest_classification_wins(settings):
    prepare(settings)
    old = article(1, model_version="v1", classified_at=T0)
    new = article(1, model_version="v2", classified_at=T0 + timedelta(hours=1))
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(2, 5)] + [new, old])
    first = _run(settings)
    assert first.messages == 5
    client = es(settings)
    assert count(client, alias(settings)) == 4
    doc = client.get(index=alias(settings), id=new.article.id).body
    assert doc["_source"]["model_version"] == "v2"  # the older one, read later, did not overwrite
    version = doc["_version"]

    # Replay everything from the start under another consumer group: nothing changes.
    settings.indexer.group_id += "-replay"
    replay = _run(settings)
    assert replay.messages == 5 and replay.stored == 0 and replay.conflicts == 5
    assert count(client, alias(settings)) == 4
    again = client.get(index=alias(settings), id=new.article.id).body
    assert again["_version"] == version and again["_source"] == doc["_source"]


def test_alerts_index_keeps_the_newest_revision(settings):
    prepare(settings)
    produce(settings, Topic.ALERTS, [alert(1, 1), alert(1, 3, title="third"), alert(1, 2), alert(2, 1)])
    stats = _run(settings)
    assert stats.messages == 4
    client = es(settings)
    a = alias(settings, Kind.ALERTS)
    assert count(client, a) == 2
    doc = client.get(index=a, id="alert-1").body["_source"]
    assert doc["revision"] == 3 and doc["title"] == "third" and doc["article_count"] == 3


def test_malformed_documents_and_poison_messages_are_dead_lettered_with_their_reason(settings):
    prepare(settings)
    bad = article(7, origin=region(LIAONING, "origin", lat=123.0, lon=41.0))  # latitude out of range
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(1), bad, b"\xff not json", b'{"schema_version": 1}', article(2)])
    stats = _run(settings)
    assert stats.stored == 2 and stats.dead_lettered == 3
    letters = read_dead_letters(settings, Topic.DLQ_INDEXER, expected=3)
    reasons = sorted(letter.error_type for letter in letters)
    assert reasons == ["document_parsing_exception", "schema_invalid", "undecodable"]
    doc_letter = next(letter for letter in letters if letter.error_type == "document_parsing_exception")
    assert "location" in doc_letter.error_message or "lat" in doc_letter.error_message
    assert bad.article.id in doc_letter.headers["indexer-document"]
    assert doc_letter.original.decode() == bad.model_dump_json()
    assert doc_letter.stage == "indexer" and doc_letter.offset is not None
    assert {letter.consumer for letter in letters} == {settings.indexer.group_id}
    assert count(es(settings), alias(settings)) == 2


@pytest.mark.parametrize("policy", ["fail", "ignore"])
def test_on_malformed_fail_stops_without_committing_and_ignore_counts_and_commits(settings, policy):
    prepare(settings, on_malformed=policy)
    bad = article(7, origin=region(LIAONING, "origin", lat=123.0, lon=41.0))  # latitude out of range
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(1), bad, b"\xff not json"])
    if policy == "fail":
        with pytest.raises(RejectedDocument):
            _run(settings)
        # The batch holding the malformed input is not committed (a batch before it may be).
        assert committed_total(settings, Topic.CLASSIFIED_ARTICLES)[0] < 3
        return
    stats = _run(settings)
    assert stats.stored == 1 and stats.ignored == 2 and stats.dead_lettered == 0
    assert committed_total(settings, Topic.CLASSIFIED_ARTICLES) == (3, 3)
    assert read_dead_letters(settings, Topic.DLQ_INDEXER, expected=1, timeout_s=3) == []


def test_reindex_swaps_aliases_atomically_while_searches_keep_answering(settings):
    prepare(settings)
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(40)])
    _run(settings)
    client = es(settings)
    prefix = settings.elasticsearch.index_prefix
    names = names_for(prefix)[Kind.ARTICLES]
    assert count(client, names.read_alias) == 40
    assert admin.alias_targets(client, names.read_alias) == [names.index(1)]

    failures: list[str] = []
    totals: set[int] = set()
    stop = threading.Event()

    def searching():
        c = es(settings)
        while not stop.is_set():
            try:
                totals.add(search(c, prefix, SearchParams(query="delegation", size=1)).total)
            except Exception as exc:  # any failure at all is what this test is about
                failures.append(repr(exc))

    t = threading.Thread(target=searching)
    t.start()
    try:
        wait_for(lambda: totals, 60, "first search")
        [report] = reindex(settings, client, [Kind.ARTICLES])
    finally:
        stop.set()
        t.join(timeout=30)
    assert failures == []
    assert totals == {40}
    assert report.new_index == names.index(2) and report.copied == 40 and report.old_indices == [names.index(1)]
    assert admin.alias_targets(client, names.read_alias) == [names.index(2)]
    assert admin.alias_targets(client, names.write_alias) == [names.index(2)]
    assert client.indices.exists(index=names.index(1))  # kept by default

    # The live indexer now writes into the new version through the write alias.
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(100)])
    _run(settings)
    assert count(client, names.index(2)) == 41

    [report] = reindex(settings, client, [Kind.ARTICLES], delete_old=True)
    assert report.new_index == names.index(3) and report.copied == 41
    assert not client.indices.exists(index=names.index(2))
    assert count(client, names.read_alias) == 41


def test_production_path_english_stemming_on_a_node_that_has_it(settings, es_english_url):
    prepare(settings)
    settings.elasticsearch.url = es_english_url
    client = es(settings)
    caps = detect(client)
    assert caps.english_stemming and caps.analysis == "english"
    prefix = settings.elasticsearch.index_prefix
    names = names_for(prefix)[Kind.ARTICLES]
    admin.ensure_ready(client, prefix, settings.indexer, caps)
    template = client.indices.get_index_template(name=names.template).body["index_templates"][0]["index_template"]
    assert template["_meta"]["analysis"] == "english"
    assert template["template"]["settings"]["index"]["analysis"] == index_settings(PROD)["analysis"]
    tokens = [
        t["token"]
        for t in client.indices.analyze(index=names.read_alias, analyzer="tradeties_text", text="The delegations signing").body[
            "tokens"
        ]
    ]
    assert tokens == ["deleg", "sign"]
    produce(
        settings,
        Topic.CLASSIFIED_ARTICLES,
        [
            article(1, title="Hubei signed a partnership", text="The province signed three partnerships."),
            article(2, title="Trade fair opens", text="Exhibitors from Guangdong arrived."),
        ],
    )
    assert _run(settings).stored == 2
    # Stemming: "signing partnership" finds "signed ... partnerships"; the standard analyzer would not.
    r = search(client, prefix, SearchParams(query="signing partnership"))
    assert r.total == 1 and r.hits[0].title == "Hubei signed a partnership"
    assert any("<em>signed</em>" in s for s in r.hits[0].snippets)


def test_reindex_while_the_live_indexer_keeps_writing_loses_nothing(settings):
    prepare(settings)
    produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i) for i in range(30)])
    _run(settings)
    client = es(settings)
    names = names_for(settings.elasticsearch.index_prefix)[Kind.ARTICLES]
    live_stats = {}
    live = threading.Thread(target=lambda: live_stats.update(stats=_run(settings, idle=4)))
    live.start()

    def trickle():  # new articles keep arriving before, during and after the swap
        for i in range(100, 130):
            produce(settings, Topic.CLASSIFIED_ARTICLES, [article(i)])

    feeder = threading.Thread(target=trickle)
    feeder.start()
    try:
        [report] = reindex(settings, client, [Kind.ARTICLES])
    finally:
        feeder.join(timeout=120)
        live.join(timeout=120)
    assert live_stats["stats"].messages == 30
    assert report.new_index == names.index(2)
    assert admin.alias_targets(client, names.read_alias) == [names.index(2)]
    assert count(client, names.index(2)) == 60  # everything, whichever index the live indexer wrote to
