"""scripts/bench_table.py: the table in docs/scaling.md shows what the benchmarks measure now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench_table():
    spec = importlib.util.spec_from_file_location("bench_table", ROOT / "scripts" / "bench_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(part: str, name: str, measured: float) -> dict:
    return {"part": part, "name": name, "measured": measured}


def test_rows_the_newest_run_of_their_part_no_longer_produces_leave_the_table():
    runs = [
        {"parts": ["e2e", "places"], "rows": [_row("e2e", "e2e: FAILED", 0), _row("places", "load (old name)", 1)]},
        {"parts": ["e2e"], "rows": [_row("e2e", "e2e p95", 0.9)]},
        {"parts": ["places"], "rows": [_row("places", "start-up", 2)]},
        {"parts": ["e2e"], "rows": [_row("e2e", "e2e p95", 0.8)]},
    ]
    rows = _bench_table().latest_rows(runs)
    assert [(r["name"], r["measured"]) for r in rows] == [("e2e p95", 0.8), ("start-up", 2)]


def test_a_part_the_newest_run_skipped_keeps_its_last_rows():
    runs = [
        {"parts": ["crawler", "e2e"], "rows": [_row("crawler", "pages/s", 0.7), _row("e2e", "e2e p95", 0.9)]},
        {"parts": ["e2e"], "rows": [_row("e2e", "e2e p95", 0.8)]},
    ]
    assert {r["name"]: r["measured"] for r in _bench_table().latest_rows(runs)} == {"pages/s": 0.7, "e2e p95": 0.8}
