"""The fixture news web crawled end to end: every article searchable once with its facets,
syndicated copies merged, robots.txt obeyed, one alert per delegation event."""

from __future__ import annotations

import json

import pytest

from tradeties.pipeline.runner import run_cli

from .harness import check_invariants, running, settle, tune

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_crawl_classify_index_search(settings, tmp_path):
    tune(settings, tmp_path)
    with running(settings, tmp_path) as (pipeline, web):
        settle(pipeline, web.expected_articles)
        out = check_invariants(settings, web)
        restarts = {n: c.restarts for n, c in pipeline.supervisor.children.items()}
    assert restarts == {"crawler": 0, "classifier": 0, "indexer": 0}, "no service crashed on clean input"

    # robots.txt: the access log proves no disallowed path was ever requested.
    hits = web.web.access_log
    assert not web.web.fetched("/private/"), "fetched a robots.txt-disallowed URL"
    assert {h.outlet for h in hits if h.path == "/robots.txt"} == {o.name for o in web.web.outlets}, "robots.txt read per host"

    # Facets: the indexed document carries the classification that went through Kafka, unchanged,
    # and the source/language facets match the outlet and the article.
    latest = {e.article.id: e for e in sorted(out.classified, key=lambda e: e.classified_at)}
    site_of = {o.base_url: o.name for o in web.web.outlets}
    for d in out.docs:
        c = latest[d["id"]].classification
        assert d["countries"] == c.countries and d["sectors"] == [s.id for s in c.sectors]
        assert d["event_types"] == [t.id for t in c.event_types] and d["region_ids"] == sorted({r.id for r in c.regions})
        assert d["source"] == site_of["/".join(d["url"].split("/")[:3])]
        assert d["language"] == web.articles[out.corpus_of_doc[d["id"]]].lang

    # The classifier's verdicts through the pipeline agree with the labels (a floor, not the
    # classifier's own evaluation: this catches a pipeline that mangles text or drops fields).
    labelled = [(web.articles[out.corpus_of_doc[d["id"]]].labels, d) for d in out.docs]
    agree = sum(bool(lab.get("relevant")) == d["relevant"] for lab, d in labelled)
    assert agree / len(labelled) >= 0.8, f"relevance agreement {agree}/{len(labelled)}"

    # Search from the CLI: facet counts equal what the documents say.
    result = json.loads(run_cli(settings, "search", "", "--country", "CN", "--json", "--size", "100"))
    expected_cn = sum("CN" in d["countries"] for d in out.docs)
    assert result["total"] == expected_cn
    alerts_out = run_cli(settings, "alerts", "--json")
    assert len([line for line in alerts_out.splitlines() if line.strip()]) >= len(out.alerts) > 0
