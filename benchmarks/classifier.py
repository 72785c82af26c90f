"""Classifier speed against page extraction, measured in one run on the same articles.

For each page of ../shared/benchmarks/article-extraction/html (real news pages), time bare
trafilatura extraction of the page (the baseline: what the crawler pays per article), then
time Classifier.classify on the extracted text. Target: classifying costs at most half of
extracting (ratio ≤ 0.5). The gazetteer/automaton build is a one-off per process and is
reported separately, not counted per article.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# shared/ sits beside the clone (CI); a worktree may be nested deeper, so look upwards.
PAGES = next(
    (
        d / "shared" / "benchmarks" / "article-extraction" / "html"
        for d in ROOT.parents
        if (d / "shared" / "benchmarks" / "article-extraction" / "html").is_dir()
    ),
    ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html",
)
REPEAT = 3  # best of three per page, for both sides alike


def _pages(limit: int | None = None) -> list[tuple[str, str]]:
    paths = sorted(PAGES.glob("*.html.gz"))[:limit]
    return [(p.name.split(".")[0], gzip.decompress(p.read_bytes()).decode("utf-8", "replace")) for p in paths]


def _best(fn, *args) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(ctx: Any = None, limit: int | None = None) -> list[dict]:
    import trafilatura

    from tradeties.classifier.model.classifier import Classifier
    from tradeties.classifier.model.document import Document

    t0 = time.perf_counter()
    clf = Classifier()
    clf.classify(Document(id="warm-up", title="Warm-up", text="A delegation from Liaoning visited Birmingham."))
    build_s = time.perf_counter() - t0

    extract_total = classify_total = 0.0
    n = 0
    for page_id, html in _pages(limit):
        t_extract, text = _best(trafilatura.extract, html)
        if not text:
            continue
        doc = Document(id=page_id, title="", text=text)
        t_classify, _ = _best(clf.classify, doc)
        extract_total += t_extract
        classify_total += t_classify
        n += 1
    if n == 0:
        raise RuntimeError(f"no extractable pages under {PAGES}")
    per_extract = extract_total / n * 1000
    per_classify = classify_total / n * 1000
    return [
        {
            "name": "classifier.classify per article",
            "measured": round(per_classify, 3),
            "baseline": round(per_extract, 3),
            "ratio": round(per_classify / per_extract, 3),
            "target": "ratio <= 0.5 (baseline: bare trafilatura.extract of the same page)",
            "unit": "ms",
            "note": f"{n} real news pages, best of {REPEAT} each",
        },
        {
            "name": "classifier.gazetteer+automata build (once per process)",
            "measured": round(build_s * 1000, 1),
            "baseline": round(per_extract, 3),
            "ratio": round(build_s * 1000 / per_extract, 1),
            "target": "one-off at start-up",
            "unit": "ms",
            "note": "gazetteer artefact load (tradeties.places) + lexicons + language model",
        },
    ]


if __name__ == "__main__":
    import json

    for row in run():
        print(json.dumps(row))
