"""The labelled corpus's gold regions that are never a candidate, each with a snippet of its article
where the text most likely writes it — for the misses `tradeties classifier candidates` gives no
snippet (name-form-missing, label-unresolved): the window around the longest piece of any of the
place's names (or, unresolved, the label's) that the text holds.

    .venv/bin/python scripts/candidate_misses.py [--kind name-form-missing] [FILE.jsonl ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tradeties.classifier.training.candidates import _geonames_names, misses
from tradeties.classifier.training.evaluate import load
from tradeties.classifier.training.train import Sources
from tradeties.places import gazetteer
from tradeties.places.text import fold

ROOT = Path(__file__).resolve().parents[1]


def _pieces(name: str) -> list[str]:
    """Pieces of a name to look for, longest first: CJK runs of two or more characters, Latin word
    stems of four letters."""
    out = set()
    for n in range(len(name), 1, -1):
        for i in range(len(name) - n + 1):
            s = name[i : i + n]
            if s.strip() and (not s.isascii() or (n >= 4 and " " not in s)):
                out.add(s)
    return sorted(out, key=len, reverse=True)


def snippet(text: str, names: set[str], width: int = 50) -> str:
    folded = fold(text)
    best = ""
    for name in names:
        for p in _pieces(name):
            if len(p) <= len(best):
                break
            if p in folded:
                best = p
                break
    if not best:
        return text[:100]
    i = folded.index(best)
    return f"[{best}] " + text[max(0, i - width) : i + len(best) + width]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--kind", action="append", default=None)
    args = ap.parse_args()
    kinds = set(args.kind or ("name-form-missing", "label-unresolved"))
    paths = args.files or Sources.default(ROOT).batches
    texts = {a["id"]: a["title"] + "  " + " ".join(a["paragraphs"]) for a in load(paths)}
    gaz, geonames = gazetteer(), _geonames_names()
    _, _, out = misses(paths)
    for m in sorted(out, key=lambda m: (m.kind, m.lang, m.label)):
        if m.kind not in kinds:
            continue
        place = gaz.lookup(m.label)
        names = {fold(m.label.split(":", 1)[1])}
        if place is not None:
            names |= {fold(s) for s in (place.name, *place.surfaces)} | geonames.get(place.geonames_id or -1, set())
        line = f"{m.kind}\t{m.lang}\t{m.article}\t{m.label}\t{snippet(texts[m.article], names)}"
        sys.stdout.write(line.replace("\n", " ") + "\n")


if __name__ == "__main__":
    main()
