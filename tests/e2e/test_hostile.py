"""The hostile-inputs catalogue through the real pipeline: one run serves every hostile page and
sends every poison message, then each case's expected outcome is checked on its own."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tradeties.classifier.stream.topology import app_id
from tradeties.common.events import ClassifiedArticle
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic
from tradeties.newsweb import Outlet
from tradeties.pipeline.demoweb import build_demo_web

from . import harness
from .hostile_catalogue import ALLOW_ALL, MESSAGE_CASES, ROBOTS_ERROR_PAGES, XML_BOMB_PAGES
from .hostile_catalogue import WEB_CASES as FIRST_CASES
from .hostile_catalogue_13 import ISSUE_13_CASES

WEB_CASES = FIRST_CASES + ISSUE_13_CASES

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture(scope="module")
def hostile_run(kafka_bootstrap, es_url, tmp_path_factory, extraction_deadline):
    tmp: Path = tmp_path_factory.mktemp("hostile")
    tag = f"hostile{uuid.uuid4().hex[:8]}"
    settings = harness.tune(Settings(), tmp)
    settings.kafka.bootstrap, settings.kafka.topic_prefix = kafka_bootstrap, tag
    settings.elasticsearch.url, settings.elasticsearch.index_prefix = es_url, tag
    harness.tune(settings, tmp)  # again: group ids derive from the prefix

    corpus = harness.demo_corpus()[:8]  # a few good articles: the crawl must go on around the hostile ones
    web = build_demo_web(corpus, first_host=50)
    # The slow-extraction case's page never finishes; the good pages meet a deadline measured on them.
    good = [web.web.document(o, a.url_path) for o in web.web.outlets for a in o.articles]
    settings.crawler.extract_timeout_s = extraction_deadline([body for body, _ in filter(None, good)][:8])
    # Each web case on a host of its own: per-host politeness serialises one host's requests, so a
    # shared host would make the run last the sum of the cases' timeouts and retries, not the longest.
    hostile = {
        case.id: Outlet(
            name=f"Hostile {case.id}",
            ip=f"127.0.0.{70 + i}",
            interval="30m",
            extra_routes={"/robots.txt": ALLOW_ALL, **case.pages()},
            entry_points={case.entry_kind: [case.entry, *case.more_entries]},
        )
        for i, case in enumerate(WEB_CASES)
    }
    broken = Outlet(
        name="Broken Robots Daily",
        ip="127.0.0.61",
        interval="30m",
        extra_routes=dict(ROBOTS_ERROR_PAGES),
        entry_points={"feeds": ["/feed.xml"], "urls": ["/a/story"]},
    )
    bomb = Outlet(
        name="Entity Bomb News",
        ip="127.0.0.62",
        interval="30m",
        extra_routes=dict(XML_BOMB_PAGES),
        entry_points={"feeds": ["/feed.xml"]},
    )
    web.web.outlets += [*hostile.values(), broken, bomb]
    with harness.running(settings, tmp, web=web) as (pipeline, web):
        harness.mid_stream(pipeline, "indexed", at_least=1)
        for case in MESSAGE_CASES:
            harness.produce(settings, case.topic, [(case.id.encode(), case.value())])
        # The crawler is done with the hostile hosts once its first pass ended (every case requested,
        # every retry over); the sources' 30 min interval keeps it away for the rest of the test.
        harness.wait_for(lambda: harness.crawl_pass_done(tmp), 300, "the crawler's first pass to end")
        for case in WEB_CASES:
            if case.outcome != "never_requested":
                assert case.entry in {h.path for h in web.web.fetched(outlet=hostile[case.id].name)}, f"{case.id} requested"
        # Settled: the good articles indexed, consumers caught up, every poison message dead-lettered.
        harness.settle(pipeline, web.expected_articles)
        harness.wait_for(
            lambda: len(_letters(settings)) >= sum(len(c.stages) for c in MESSAGE_CASES),
            120,
            "every poison message dead-lettered",
            every_s=0.5,
        )
        restarts = {n: c.restarts for n, c in pipeline.supervisor.children.items()}
        _record_figures(web, hostile, settings, tmp)
        yield {
            "settings": settings,
            "web": web,
            "hostile": hostile,
            "broken": broken,
            "bomb": bomb,
            "docs": harness.articles(settings),
            "restarts": restarts,
            "letters": _letters(settings),
        }


def _record_figures(web, hostile, settings, tmp: Path) -> None:
    """Requests and seconds spent per hostile case, for docs/hostile-inputs.md (printed, and kept as JSON)."""
    import json

    docs = harness.articles(settings)
    figures = {}
    for case in WEB_CASES:
        site = hostile[case.id]
        mine = [h for h in web.web.fetched(outlet=site.name) if h.path in (case.paths or (case.entry,))]
        indexed = [d for d in docs if any(d["url"].startswith(site.url(p)) for p in (case.paths or (case.entry,)))]
        figures[case.id] = {
            "requests": len(mine),
            "statuses": sorted({h.status for h in mine}),
            "indexed": len(indexed),
            "seconds_first_to_last": round(max(h.at for h in mine) - min(h.at for h in mine), 1) if mine else None,
        }
    out = tmp / "hostile-figures.json"
    out.write_text(json.dumps(figures, indent=2))
    print(f"hostile figures: {json.dumps(figures)}")


def _letters(settings) -> list:
    """(original key, DeadLetter) from every dead-letter topic the catalogue uses."""
    return [
        ((letter.key or b"").decode("utf-8", "replace"), letter)
        for dlq in sorted({c.dlq for c in MESSAGE_CASES}, key=lambda t: t.value)
        for letter in harness.dead_letters(settings, dlq)
    ]


def test_no_service_crashed_and_good_articles_all_indexed(hostile_run):
    assert hostile_run["restarts"] == {"crawler": 0, "classifier": 0, "indexer": 0}
    web = hostile_run["web"]
    urls = {d["url"] for d in hostile_run["docs"]}
    assert all(any(u in urls for u in placed) for placed in web.placements.values())


@pytest.mark.parametrize("case", WEB_CASES, ids=[c.id for c in WEB_CASES])
def test_web_case(hostile_run, case):
    site = hostile_run["hostile"][case.id]
    paths = case.paths or (case.entry,)
    docs = [d for d in hostile_run["docs"] if any(d["url"].startswith(site.url(p)) for p in paths)]
    if case.outcome in ("not_indexed", "feed_ignored"):
        assert docs == []
    elif case.outcome == "never_requested":
        assert docs == []
        assert not [h for h in hostile_run["web"].web.fetched(outlet=site.name) if h.path in paths]
    elif case.outcome == "indexed":
        assert len(docs) == 1, [d["url"] for d in docs]
        if case.expect_text:
            assert case.expect_text in " ".join((docs[0]["title"] + " " + docs[0]["body"]).split()), docs[0]["body"][:200]
    elif case.outcome == "at_most_once":
        assert len(docs) <= 1
        for d in docs:  # what got in is text, not mojibake or markup
            assert "<" not in d["title"] and d["body"].strip()
    if case.max_hits is not None:
        hits = [h for h in hostile_run["web"].web.fetched(outlet=site.name) if h.path in paths]
        assert 1 <= len(hits) <= case.max_hits, f"{len(hits)} requests for {paths}"


def test_no_good_article_lost_and_no_other_page_indexed(hostile_run):
    """Every indexed document is a demo article or a case whose page is an article (and no demo
    article is missing: test_no_service_crashed_and_good_articles_all_indexed)."""
    web = hostile_run["web"]
    allowed = {u for placed in web.placements.values() for u in placed}
    for case in WEB_CASES:
        if case.outcome in ("indexed", "at_most_once"):
            site = hostile_run["hostile"][case.id]
            allowed |= {site.url(p) for p in (case.paths or (case.entry,))}
    stray = [d["url"] for d in hostile_run["docs"] if d["url"] not in allowed]
    assert stray == [], f"indexed pages that are no article of the web: {stray}"


def test_robots_txt_that_errors_disallows_the_host(hostile_run):
    hits = hostile_run["web"].web.fetched(outlet=hostile_run["broken"].name)
    assert {h.path for h in hits} == {"/robots.txt"}, "after a 5xx robots.txt nothing else may be fetched"


def test_entity_expansion_feed_is_ignored(hostile_run):
    hits = hostile_run["web"].web.fetched(outlet=hostile_run["bomb"].name)
    assert "/feed.xml" in {h.path for h in hits}
    assert not [d for d in hostile_run["docs"] if d["source"] == hostile_run["bomb"].name]


def test_a_page_given_up_on_is_dead_lettered_by_the_crawler(hostile_run):
    settings = hostile_run["settings"]
    slow = hostile_run["hostile"]["slow-extraction"].url("/a/slow").encode()

    def letters():  # acked in the background: the pass may end before the ack
        return [m for m in harness.dead_letters(settings, Topic.DLQ_CRAWLER) if m.key == slow] or None

    mine = harness.wait_for(letters, 30, "the slow page's dead letter", every_s=0.5)
    assert [(m.stage, m.error_type, m.original) for m in mine] == [("crawler", "extract_timeout", slow)]


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=[c.id for c in MESSAGE_CASES])
def test_message_case_is_dead_lettered_with_its_reason(hostile_run, case):
    settings = hostile_run["settings"]
    # Each consumer group of the topic dead-letters it once, naming itself (docs/hostile-inputs.md).
    group = {"classifier": app_id(settings), "alerts": app_id(settings), "indexer": settings.indexer.group_id}
    mine = [letter for key, letter in hostile_run["letters"] if key == case.id]
    assert sorted((letter.stage, letter.consumer) for letter in mine) == sorted((s, group[s]) for s in case.stages), (
        f"{[(m.stage, m.consumer, m.error_type) for m in mine]} for {case.id} on {case.dlq.value}: one per consumer group"
    )
    for letter in mine:
        _check_letter(case, letter)


def _check_letter(case, letter):
    assert letter.error_type in case.reason, letter.error_type
    value = case.value()
    original = value if isinstance(value, bytes) else None
    if original is not None:
        assert letter.original == original
    else:
        assert ClassifiedArticle.model_validate_json(letter.original).article.id == value.article.id
