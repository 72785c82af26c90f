"""`tradeties classifier candidates`: gold regions that are never a candidate place, classed by why."""

from __future__ import annotations

import json

from tradeties.classifier.training.candidates import misses, report


def _corpus(tmp_path):
    article = {
        "id": "t1",
        "lang": "en",
        "title": "Delegation from Primorsky Krai visits Harbin",
        "paragraphs": ["A delegation from Primorsky Krai visited Harbin on Monday and met Heilongjiang officials."],
        "labels": {"regions": ["RU:Primorsky Krai", "CN:Harbin", "RU:Amur Oblast", "XX:Nowhere"]},
    }
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    return path


def test_each_gold_region_that_is_no_candidate_is_classed(tmp_path):
    total, found, out = misses([_corpus(tmp_path)])
    assert total["en"] == 4 and found["en"] == 2
    assert {(m.label, m.kind) for m in out} == {("RU:Amur Oblast", "name-form-missing"), ("XX:Nowhere", "label-unresolved")}


def test_the_report_counts_and_lists_them(tmp_path):
    text = report([_corpus(tmp_path)])
    assert text.splitlines()[0] == "gold regions that are candidates: 2 of 4 (0.500)"
    assert "label-unresolved\ten\tt1\tXX:Nowhere" in text
