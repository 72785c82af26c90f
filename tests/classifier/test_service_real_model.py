"""The real model inside the running service: the streaming path gives exactly what the offline
function gives (one implementation), and delegation alerts follow its verdicts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from service_support import REPO_ROOT, alert_messages, produce_articles, read_topic, service, wait_for  # noqa: F401 (fixture)

from tradeties.classifier.alerts.rules import is_delegation
from tradeties.classifier.model.classifier import Classifier
from tradeties.classifier.model.document import Document
from tradeties.classifier.stream.topology import ensure_topics
from tradeties.common import codec
from tradeties.common.events import (
    ClassifiedArticle,
    Extraction,
    RawArticle,
    article_id_for,
    content_hash_for,
)

pytestmark = pytest.mark.integration


def _seeds() -> Path:
    for d in REPO_ROOT.parents:
        if (p := d / "shared" / "corpus" / "seeds.jsonl").is_file():
            return p
    pytest.fail(f"../shared/corpus/seeds.jsonl not found beside {REPO_ROOT}")


def seed_articles() -> list[RawArticle]:
    articles = []
    for line in _seeds().read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        url = f"https://{s['outlet'].lower().replace(' ', '-')}.example{s['url_path']}"
        text = "\n\n".join(s["paragraphs"])
        published = datetime.combine(date.fromisoformat(s["published"]), datetime.min.time(), UTC)
        articles.append(
            RawArticle(
                id=article_id_for(url),
                url=url,
                canonical_url=url,
                source=s["outlet"],
                title=s["title"],
                text=text,
                published_at=published,
                language=s["lang"],
                fetched_at=published,
                content_hash=content_hash_for(text),
                extraction=Extraction(extractor="seed"),
            )
        )
    return articles


def test_service_classifies_as_the_offline_function_does(settings, service):
    topology = ensure_topics(settings)
    articles = seed_articles()
    offline = Classifier(settings.classifier)
    expected = {a.id: offline.classify(Document.from_raw(a)) for a in articles}
    service(model=None)
    produce_articles(settings, articles)

    def streamed() -> dict:
        return {
            (c := codec.decode(r.value, ClassifiedArticle)).article.id: c.classification
            for r in read_topic(settings, topology.classified)
        }

    wait_for(lambda: len(streamed()) == len(articles), 180, "every seed classified by the service")
    assert streamed() == expected

    clusters = {c.cluster_id for c in expected.values() if is_delegation(c)}
    assert clusters, "no seed classified as a delegation: the alert half of this test would prove nothing"
    wait_for(
        lambda: {a.cluster_id for a in alert_messages(settings, topology.alerts)} == clusters,
        60,
        f"alerts for {clusters}",
    )
