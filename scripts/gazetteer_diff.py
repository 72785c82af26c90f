"""Compare two gazetteer artefacts place for place: whether a change to the build's mechanics or
the artefact's layout changed what it holds.

    .venv/bin/python scripts/gazetteer_diff.py OLD.pkl NEW.pkl
    .venv/bin/python scripts/gazetteer_diff.py --canon OLD.pkl OLD.canon   # before a layout change

Reads both bodies through `Gazetteer` (an artefact of another layout: through its `.canon` dump,
written by the code that reads that layout), and compares every
place's fields, the name automaton's keys with their flags and places, the old ids and the other
indexes. Prints the differences (up to 20 per part) and exits 1 if there are any.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def canonical(path: Path) -> dict[str, object]:
    if path.suffix == ".canon":
        return pickle.loads(path.read_bytes())
    from tradeties.places.gazetteer import Gazetteer

    with open(path, "rb") as f:
        pickle.load(f)  # header
        body = pickle.load(f)
    from tradeties.places.text import _CASE, _PREFIX, _SUFFIX

    gaz = Gazetteer(body)
    matcher = body["place_matcher"]
    # each name as the layout before the flags moved into Matcher._meta wrote it (length, prefix,
    # suffix, exact, lower case allowed, places), so older .canon dumps stay comparable; a
    # capitalised matcher is one whose keys need a capital
    names = {}
    for key, i in matcher._auto.items():
        meta, (exact, values) = matcher._meta[i], matcher._values[i]
        names[key] = (meta >> 4, bool(meta & _PREFIX), bool(meta & _SUFFIX), exact, not meta & _CASE, values)
    return {
        "places": {pid: tuple(gaz.places[pid].row()) for pid in gaz.places},
        "names": names,
        "capitalised": any(meta & _CASE for meta in matcher._meta),
        # the order of each list was that of a set before the build sorted it: compared as sets
        "shadowing": {k: sorted(v) for k, v in body["shadowing"].items()},
        **{k: v for k, v in body.items() if k not in ("ids", "rows", "place_matcher", "shadowing")},
    }


def diff(a: dict, b: dict) -> list[str]:
    out = []
    for part in sorted(set(a) | set(b)):
        x, y = a.get(part), b.get(part)
        if x == y:
            continue
        if isinstance(x, dict) and isinstance(y, dict):
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            out.append(f"{part}: {len(keys)} differ")
            out += [f"  {k!r}: {x.get(k)!r} → {y.get(k)!r}" for k in keys[:20]]
        else:
            out.append(f"{part}: differs")
    return out


def main(argv: list[str]) -> int:
    if argv[1] == "--canon":
        Path(argv[3]).write_bytes(pickle.dumps(canonical(Path(argv[2])), protocol=pickle.HIGHEST_PROTOCOL))
        return 0
    old, new = (canonical(Path(p)) for p in argv[1:3])
    lines = diff(old, new)
    print("\n".join(lines) or f"same: {len(new['places'])} places, {len(new['names'])} names")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
