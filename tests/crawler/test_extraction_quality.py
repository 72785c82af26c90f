"""Extraction quality through the crawler's own code path (process_page), not bare trafilatura.

Metric of the Scrapinghub article-extraction benchmark: 4-gram shingles of \\w+ tokens,
true/false positives summed over all pages, F1 of the totals. Gate: ≥ 0.95 (trafilatura alone
publishes 0.958 on this set).
"""

from __future__ import annotations

import gzip
import json

import pytest

from tradeties.crawler.extraction import NoArticle
from tradeties.crawler.pool import process_page

from .helpers import SHARED, shingles

BENCH = SHARED / "benchmarks" / "article-extraction"
pytestmark = pytest.mark.evaluation


def test_body_f1_on_article_extraction_benchmark():
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    assert len(truth) >= 180, f"benchmark missing at {BENCH}"
    tp = fp = fn = 0
    for key, item in truth.items():
        body = gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes())
        try:
            text = process_page(body, item["url"], None, 0).extracted.text
        except NoArticle:
            text = ""
        want, got = shingles(item["articleBody"]), shingles(text)
        tp += sum((want & got).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95, f"F1 {f1:.4f} (precision {precision:.4f}, recall {recall:.4f})"
