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
