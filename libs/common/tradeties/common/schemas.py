"""JSON Schemas of the event models, exported to ``schemas/`` for non-Python consumers."""

from __future__ import annotations

import json
from pathlib import Path

from .events import EVENT_MODELS


def schema_documents() -> dict[str, str]:
    """File name → JSON text of each event model's schema (stable formatting)."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(mode="serialization"), indent=2, sort_keys=True) + "\n"
        for name, model in EVENT_MODELS.items()
    }


def export(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_documents().items():
        path = folder / filename
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
