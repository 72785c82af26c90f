from datetime import timedelta

import pytest
from service_support import T0, classified, raw_article

from tradeties.classifier.alerts.rules import DelegationReport, alert_id_for, apply_report, is_delegation
from tradeties.classifier.stream.agents import OLDER_REPORTS
from tradeties.common import codec
from tradeties.common.events import Classification, ClassifiedArticle, Label


def report(url: str, title: str = "DELEGATION c1: Liaoning delegation in Birmingham", **kw):
    return classified(raw_article(url, title, **kw))


def test_a_delegation_needs_relevance_and_the_event_type():
    base = dict(relevance=0.9, cluster_id="c", model_version="m")
    visit = [Label(id="delegation_visit", confidence=0.8, evidence="e")]
    assert is_delegation(Classification(relevant=True, primary_event_type="delegation_visit", **base))
    assert is_delegation(Classification(relevant=True, primary_event_type="agreement", event_types=visit, **base))
    assert not is_delegation(Classification(relevant=True, primary_event_type="agreement", **base))
    assert not is_delegation(Classification(relevant=False, primary_event_type="delegation_visit", event_types=visit, **base))


def test_first_report_raises_revision_one():
    change = apply_report(None, report("https://a.example/1", minutes=3))
    alert = change.alert
    assert change.outcome == "raised"
    assert (alert.alert_id, alert.cluster_id, alert.revision) == (alert_id_for("c1"), "c1", 1)
    assert alert.origin.id == "CN-LN" and alert.destination.id == "gn:2655603"
    assert alert.sources == ["a.example"] and alert.url == "https://a.example/1"
    assert alert.first_seen_at == alert.updated_at == T0 + timedelta(minutes=3)


def test_second_outlet_updates_the_same_alert():
    first = apply_report(None, report("https://a.example/1")).alert
    change = apply_report(first, report("https://b.example/2", "DELEGATION c1: Birmingham welcomes Liaoning", minutes=30))
    assert change.outcome == "updated"
    alert = change.alert
    assert alert.alert_id == first.alert_id and alert.revision == 2
    assert alert.article_ids == [first.article_ids[0], raw_article("https://b.example/2", "x").id]
    assert alert.sources == ["a.example", "b.example"]
    assert alert.title == first.title, "the alert keeps the first report's title"
    assert alert.first_seen_at == first.first_seen_at and alert.updated_at == T0 + timedelta(minutes=30)


def test_same_outlet_twice_counts_the_article_not_the_source():
    first = apply_report(None, report("https://a.example/1")).alert
    alert = apply_report(first, report("https://a.example/2")).alert
    assert alert.revision == 2 and alert.sources == ["a.example"] and len(alert.article_ids) == 2


def test_a_replayed_article_changes_nothing():
    first = apply_report(None, report("https://a.example/1")).alert
    second = apply_report(first, report("https://b.example/2")).alert
    for url in ("https://a.example/1", "https://b.example/2"):
        change = apply_report(second, report(url, minutes=99))
        assert change.outcome == "duplicate" and change.alert == second


def test_recomputing_a_revision_gives_the_same_alert():
    # After a crash the alert of a replayed article may be recomputed from older state.
    assert apply_report(None, report("https://a.example/1")) == apply_report(None, report("https://a.example/1"))


def test_a_report_of_another_cluster_is_a_bug():
    first = apply_report(None, report("https://a.example/1")).alert
    with pytest.raises(ValueError, match="c2"):
        apply_report(first, report("https://b.example/2", "DELEGATION c2: elsewhere"))


def test_the_slim_report_makes_the_alerts_its_article_makes():
    first, second = report("https://a.example/1", minutes=3), report("https://b.example/2", minutes=9)
    slim = [codec.decode(codec.encode(DelegationReport.of(r)), DelegationReport) for r in (first, second)]
    assert apply_report(None, slim[0]) == apply_report(None, first)
    alert = apply_report(None, first).alert
    assert apply_report(alert, slim[1]) == apply_report(alert, second)
    # a report an older version wrote (the whole classified article) is read by its event type
    older = OLDER_REPORTS[dict(codec.headers_for(first))["event-type"].decode()]
    assert older is ClassifiedArticle
    assert apply_report(None, codec.decode(codec.encode(first), older)) == apply_report(None, first)
