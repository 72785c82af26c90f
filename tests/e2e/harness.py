"""Shared steps of the end-to-end tests: the demo web on loopback, the supervised pipeline on the
session's real Kafka and Elasticsearch, and the invariants every run must keep."""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from tradeties.common import codec
from tradeties.common.events import ClassifiedArticle, DeadLetter, Event
from tradeties.common.kafka import client_config, name, producer_config
from tradeties.common.settings import Settings
from tradeties.common.topics import Topic
from tradeties.common.waiting import wait_for
from tradeties.newsweb import corpus_paths, load_records
from tradeties.pipeline.demo import wait_until_indexed
from tradeties.pipeline.demoweb import DemoWeb, build_demo_web
from tradeties.pipeline.es import client_for, read_alias
from tradeties.pipeline.progress import Progress
from tradeties.pipeline.runner import SERVICES, Pipeline, free_port, prepare
from tradeties.pipeline.supervisor import Backoff, ChildSpec

REPO = Path(__file__).resolve().parents[2]
#: How long a run may take to settle; generous for 2 busy cores, never slept through.
SETTLE_S = float(os.environ.get("TRADETIES_E2E_SETTLE_S", "420"))


def tune(settings: Settings, tmp_path: Path) -> Settings:
    """Per-test consumer groups, state and ports; polite but quick crawling; fast retries."""
    p = settings.kafka.topic_prefix
    settings.classifier.app_id = f"{p}-classifier"
    settings.classifier.data_dir = tmp_path / "classifier"
    settings.classifier.web_port = free_port()
    settings.api.port = free_port()  # `tradeties run` starts the API too: never the default 8080 in a test
    settings.indexer.group_id = f"{p}-indexer"
    settings.indexer.flush_interval_s = 0.3
    settings.crawler.state_path = tmp_path / "crawler" / "state.sqlite3"
    settings.crawler.per_host_delay_s = 0.2
    settings.crawler.total_timeout_s = 8.0
    # A killed worker leaves the consumer group after this, not the default 30 s (the indexer's 10 s):
    # the restarted or surviving worker gets its partitions that much sooner.
    settings.classifier.session_timeout_s = 10.0
    settings.crawler.read_timeout_s = 4.0
    settings.crawler.connect_timeout_s = 2.0
    settings.retry.initial_s, settings.retry.max_s = 0.1, 2.0
    return settings


def demo_corpus():
    return load_records(*corpus_paths(REPO))


@contextlib.contextmanager
def running(
    settings: Settings,
    tmp_path: Path,
    *,
    web: DemoWeb | None = None,
    services: tuple[str, ...] = SERVICES,
    extra: Callable[[Settings], list[ChildSpec]] | None = None,
) -> Iterator[tuple[Pipeline, DemoWeb]]:
    """The demo web, topics and templates, then the supervised services; everything stopped after."""
    web = web or build_demo_web(demo_corpus())
    with web:
        sources = web.write_sources(tmp_path / "sources.yaml")
        prepare(settings)
        pipeline = Pipeline(
            settings,
            sources,
            log_dir=tmp_path / "logs",
            services=services,
            backoff=Backoff(initial_s=0.5, max_s=5.0),
            extra=extra(settings) if extra else [],
        )
        pipeline.start(background=True)
        try:
            yield pipeline, web
        finally:
            codes = pipeline.stop(deadline_s=30)
            _dump_logs_on_failure(tmp_path, codes)


def _dump_logs_on_failure(tmp_path: Path, codes: dict) -> None:
    # pytest shows captured stdout for failing tests only: the service logs' tails explain failures.
    for log in sorted((tmp_path / "logs").glob("*.log")):
        tail = log.read_text("utf-8", "replace")[-3000:]
        print(f"----- {log.name} (exit {codes.get(log.stem)}) -----\n{tail}")


def settle(pipeline: Pipeline, expected: int | None, *, deadline_s: float = SETTLE_S) -> Progress:
    return wait_until_indexed(pipeline.probe, expected=expected, deadline_s=deadline_s, stable_s=4.0, emit=print, every_s=10.0)


def crawl_pass_done(tmp_path: Path) -> bool:
    """The crawler logged that every source's first pass ended: every entry point, page and retry
    of every source is done (each source's next pass waits for its interval)."""
    log = tmp_path / "logs" / "crawler.log"
    return log.is_file() and 'event="every source crawled"' in log.read_text("utf-8", "replace")


def mid_stream(pipeline: Pipeline, what: str = "published", at_least: int = 5) -> Progress:
    """Wait until the stream is under way (some articles past the given stage)."""
    return wait_for(
        lambda: (lambda p: p if (getattr(p, what) or 0) >= at_least else None)(pipeline.probe.snapshot()),
        240,
        f"{at_least} {what}",
        every_s=0.5,
    )


# -- reading back what the pipeline produced ----------------------------------------------------------------------


def read_topic(settings: Settings, topic: Topic) -> list:
    """Every record of a topic, from the beginning to the end offsets read now."""
    consumer = KafkaConsumer(**client_config(settings.kafka), group_id=None, enable_auto_commit=False)
    try:
        t = name(settings.kafka, topic)
        parts = [TopicPartition(t, p) for p in sorted(consumer.partitions_for_topic(t) or [])]
        if not parts:
            return []
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        out = []
        deadline = time.monotonic() + 60
        while any(consumer.position(tp) < ends[tp] for tp in parts) and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                out.extend(records)
        return out
    finally:
        consumer.close(autocommit=False)


def classified(settings: Settings) -> list[ClassifiedArticle]:
    return [codec.decode(r.value, ClassifiedArticle) for r in read_topic(settings, Topic.CLASSIFIED_ARTICLES)]


def dead_letters(settings: Settings, topic: Topic) -> list[DeadLetter]:
    return [codec.decode(r.value, DeadLetter) for r in read_topic(settings, topic)]


def articles(settings: Settings) -> list[dict]:
    from tradeties.search.reader import iter_documents

    es = client_for(settings.elasticsearch)
    es.indices.refresh(index=read_alias(settings.elasticsearch.index_prefix, "articles"))
    return list(iter_documents(es, settings.elasticsearch.index_prefix))


def alerts(settings: Settings) -> list[dict]:
    es = client_for(settings.elasticsearch)
    alias = read_alias(settings.elasticsearch.index_prefix, "alerts")
    es.indices.refresh(index=alias)
    return [h["_source"] for h in es.search(index=alias, size=10_000, query={"match_all": {}}).body["hits"]["hits"]]


def produce(settings: Settings, topic: Topic, values: list[tuple[bytes, bytes | Event]]) -> None:
    producer = KafkaProducer(**producer_config(settings.kafka))
    try:
        for key, value in values:
            if isinstance(value, Event):
                producer.send(name(settings.kafka, topic), key=key, value=codec.encode(value), headers=codec.headers_for(value))
            else:
                producer.send(name(settings.kafka, topic), key=key, value=value)
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)


# -- the invariants -------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    docs: list[dict]
    alerts: list[dict]
    classified: list[ClassifiedArticle]
    corpus_of_doc: dict[str, str]


def check_invariants(settings: Settings, web: DemoWeb) -> Outcome:
    """No article lost, no document duplicated, no alert duplicated (asserts; returns what it read)."""
    docs = articles(settings)
    url_to_corpus = {u: cid for cid, urls in web.placements.items() for u in urls}
    corpus_of_doc: dict[str, str] = {}
    for d in docs:
        cid = url_to_corpus.get(d["url"]) or url_to_corpus.get(d["canonical_url"])
        assert cid is not None, f"indexed a page the web does not serve as an article: {d['url']}"
        corpus_of_doc[d["id"]] = cid
    per_story = Counter(corpus_of_doc.values())
    missing = sorted(set(web.placements) - set(per_story))
    dupes = sorted(c for c, n in per_story.items() if n > 1)
    assert not missing, f"articles lost: {missing}"
    assert not dupes, f"stories indexed more than once (syndicated copies not merged?): {dupes}"
    assert len({d["id"] for d in docs}) == len(docs) == web.expected_articles

    events = classified(settings)
    alert_docs = alerts(settings)
    by_cluster = Counter(a["cluster_id"] for a in alert_docs)
    assert all(n == 1 for n in by_cluster.values()), f"duplicated alerts: {by_cluster}"
    delegation_clusters = {
        e.classification.cluster_id for e in events if e.classification.relevant and e.classification.delegation is not None
    }
    assert set(by_cluster) == delegation_clusters, "one alert per delegation event the classifier saw"
    in_alerts = Counter(aid for a in alert_docs for aid in a["article_ids"])
    assert all(n == 1 for n in in_alerts.values()), "an article counted in two alerts"
    return Outcome(docs=docs, alerts=alert_docs, classified=events, corpus_of_doc=corpus_of_doc)
