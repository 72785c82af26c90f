"""benchmarks/run.py loads each part by a name of its own."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_each_part_loads_as_itself_whatever_shadows_its_plain_name(monkeypatch):
    # tests/ first on sys.path (api.py once put it there): its crawler/ and e2e/ packages are
    # what plain `import crawler` / `import e2e` find, and a full `make bench` ran them instead.
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.syspath_prepend(str(ROOT / "tests"))
    import crawler as test_package  # noqa: F401 - the shadowing module, now in sys.modules

    from benchmarks import run

    parts = run.parts([])
    assert {"crawler", "e2e", "indexer"} <= {p.stem for p in parts}
    for path in parts:
        module = run.load(path)
        assert Path(module.__file__) == path
        assert callable(module.run), path.name
    assert sys.modules["crawler"] is not sys.modules["benchmarks.crawler"]
