"""Fixtures of the classifier-core tests: the shared corpus (found beside the clone, or higher up
for nested worktrees), the dev corpus and one process-wide classifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradeties.classifier.model.classifier import Classifier

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    for d in REPO.parents:
        if (d / "shared" / "corpus" / "seeds.jsonl").is_file():
            return d / "shared"
    pytest.fail(f"../shared/corpus/seeds.jsonl not found beside {REPO}: the shared corpus must sit next to the clone")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared() -> Path:
    return _shared()


@pytest.fixture(scope="session")
def seeds_path() -> Path:
    return _shared() / "corpus" / "seeds.jsonl"


@pytest.fixture(scope="session")
def dev_path() -> Path:
    return REPO / "corpus" / "dev.jsonl"


@pytest.fixture(scope="session")
def seeds(seeds_path: Path) -> dict[str, dict]:
    return {a["id"]: a for a in map(json.loads, seeds_path.read_text(encoding="utf-8").splitlines()) if a}


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier()
