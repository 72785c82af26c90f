"""The exported JSON Schemas in schemas/ must match the event models."""

from pathlib import Path

from tradeties.common.schemas import schema_documents

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_exported_schemas_match_models():
    expected = schema_documents()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert set(on_disk) == set(expected), "run `make schemas` to re-export"
    drifted = [name for name, text in expected.items() if on_disk[name] != text]
    assert not drifted, f"models and schemas drifted: {drifted}; run `make schemas` and review the diff"


def test_version_1_events_with_old_region_ids_still_validate():
    """Stored version-1 messages ("CC:Name" ids, no parent chain) replay and reindex unchanged."""
    from tradeties.common.events import SCHEMA_VERSION, DelegationAlert

    tag = {
        "id": "CN:Liaoning",
        "name": "Liaoning",
        "country": "CN",
        "admin_level": "province-or-state",
        "role": "origin",
        "confidence": 0.9,
        "evidence": "Liaoning",
    }
    old = DelegationAlert.model_validate(
        {
            "schema_version": 1,
            "alert_id": "a",
            "cluster_id": "c",
            "revision": 1,
            "origin": tag,
            "destination": None,
            "title": "t",
            "url": "https://example.org/a",
            "article_ids": ["x"],
            "sources": ["s"],
            "first_seen_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        }
    )
    assert old.schema_version == 1 and old.origin.parents == [] and SCHEMA_VERSION == 2
