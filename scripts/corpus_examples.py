"""The analysed labelled corpus for the replica scripts (region_errors, direction_replica,
event_replica): `training.train.examples` over the training sources, or a pickle of them.

A pickle holds feature rows: it is valid only while the feature code (features.py, region_rows.py,
the lexicons, the places library) and the corpus are unchanged. Delete it after changing either."""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def add_cache_argument(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--cache", type=Path, help="pickle of the analysed examples: read when it exists, else written")


def load(cache: Path | None) -> list:
    """The examples, read from ``cache`` when it exists, else analysed now (and written to ``cache``)."""
    from tradeties.classifier.training.train import Sources, examples

    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    exs = examples(Sources.default(ROOT))
    if cache:
        cache.write_bytes(pickle.dumps(exs))
    return exs
