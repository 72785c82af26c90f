from datetime import timedelta

from tradeties.indexer.documents import (alert_document, article_document, article_version, classification_of,
                                         export_row)
from tradeties.indexer.templates import alert_mappings, article_mappings, field_paths

from .factories import T0, alert, article


def _paths(doc: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in doc.items():
        out.add(prefix + k)
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, dict) and k not in ("extraction", "location") and not k.endswith("location"):
                out |= _paths(item, prefix + k + ".")
    return out


def test_article_document_round_trips_the_classification_for_export():
    event = article(3)
    doc = article_document(event, T0)
    assert classification_of(doc) == event.classification
    row = export_row(doc)
    assert list(row)[:5] == ["id", "url", "title", "published_at", "source"]
    assert row["id"] == event.article.id and row["primary_event_type"] == "delegation_visit"
    assert set(row) - {"id", "url", "title", "published_at", "source"} == set(type(event.classification).model_fields)


def test_article_document_has_flat_facets_and_geo_points():
    doc = article_document(article(1), T0)
    assert doc["region_ids"] == ["CN-LN", "gn:2655603"] and doc["region_names"] == ["Birmingham", "Liaoning"]
    assert doc["origin_region_id"] == "CN-LN" and doc["destination_region_id"] == "gn:2655603"
    assert doc["location"] == [{"lat": 41.0, "lon": 123.0}, {"lat": 52.48, "lon": -1.89}]
    assert doc["regions"][0]["location"] == {"lat": 41.0, "lon": 123.0}


def test_every_document_field_is_in_the_strict_mapping():
    assert _paths(article_document(article(1), T0)) <= field_paths(article_mappings())
    assert _paths(alert_document(alert(1, 2), T0)) <= field_paths(alert_mappings())


def test_newer_classification_gets_a_higher_external_version():
    old, new = article(1), article(1, classified_at=T0 + timedelta(days=3))
    assert article_version(new) > article_version(old) > 0
    assert article_version(old) < 9_223_372_036_854_775_807
