"""The learned decisions: the shipped artifact is current and reproducible, real text nobody here
wrote is not called relevant, and the lexicon matches each language's own words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradeties.classifier.document import Document
from tradeties.classifier.features import FEATURE_VERSION
from tradeties.classifier.learned import Weights, artifact_text, model_version
from tradeties.classifier.lexicon import lexicon
from tradeties.classifier.text import fold_aligned
from tradeties.classifier.training import Sources, examples, train
from tradeties.classifier.model import Classifier
from tradeties.classifier.validation import pages_relevant

SHIPPED = json.loads(artifact_text())


def test_shipped_model_is_trained_on_the_current_data_and_features(repo):
    # fails when a corpus file, the real negatives, the lexicon or FEATURE_VERSION changed since
    # the model was trained: run `make train` and commit data/model.json
    assert SHIPPED["feature_version"] == FEATURE_VERSION
    assert SHIPPED["training_hash"] == Sources.default(repo).training_hash(), "stale model: run make train"


def test_model_version_is_derived_from_the_artifact(classifier):
    r = classifier.classify(Document(id="x", title="Liaoning delegation visits Birmingham", text="A delegation."))
    assert r.model_version == model_version(SHIPPED) and r.model_version.startswith("lexgaz-2-")


def test_make_train_rebuilds_the_shipped_model_bit_for_bit(tmp_path, repo):
    out = tmp_path / "model.json"
    env = dict(os.environ, PYTHONHASHSEED="12345")  # another hash seed: no set-order dependence
    subprocess.run([str(Path(sys.executable).parent / "tradeties"), "classifier", "train", "--out", str(out)],
                   cwd=repo, env=env, check=True, capture_output=True, timeout=600)
    assert out.read_text(encoding="utf-8") == artifact_text()


def test_real_negatives_are_not_relevant_to_a_model_trained_without_their_publisher(repo):
    from sklearn.model_selection import GroupKFold

    exs = examples(Sources.default(repo))
    negatives = [i for i, e in enumerate(exs) if e.group.startswith("publisher:")]
    assert len(negatives) >= 125
    relevant = []
    for _, test in GroupKFold(n_splits=5).split(negatives, groups=[exs[i].group for i in negatives]):
        held = {negatives[j] for j in test}
        clf = Classifier(weights=Weights.from_json(train([e for i, e in enumerate(exs) if i not in held])))
        relevant += [exs[i].article["id"] for i in held if clf.decide(exs[i].analysis).relevant]
    assert relevant == []


def test_no_real_benchmark_page_is_relevant(classifier, shared):
    n, hits = pages_relevant(classifier, shared / "benchmarks" / "article-extraction" / "ground-truth.json")
    assert n == 181 and hits == []


def _labels(text: str, lang: str | None, kind: str = "event") -> set[str]:
    return {t.label for h in lexicon().find(text, fold_aligned(text), lang)[kind] for t in h.value}


def test_a_word_of_one_language_is_not_matched_in_another():
    assert "agreement" not in _labels("According to the police, the fire started at night.", "en")
    assert "agreement" in _labels("La région et la province ont signé un accord de coopération.", "fr")
    assert "trade_event" not in _labels("Der Stadtrat plant eine neue Messe.", "en")  # not an English word
    assert "investment" not in _labels("Die Stadt plant ein neues Schwimmbad.", "de")  # "plant": plans
    assert "mention" not in _labels("Dijo que la delegación llegó a Sevilla.", "es", "mention")


@pytest.mark.parametrize(("lang", "text", "label"), [
    ("es", "Una delegación de empresarios de Jalisco visitó Shanghái para firmar un memorando de entendimiento.",
     "delegation_visit"),
    ("it", "Il presidente della Regione ha firmato un protocollo d'intesa con la provincia cinese.", "agreement"),
    ("ja", "愛知県の知事が率いる経済訪問団が上海を訪問した。", "delegation_visit"),
    ("ja", "県は海外企業の誘致に向け、新たな補助金制度を導入する。", "policy"),
])
def test_cue_words_of_spanish_italian_and_japanese(lang, text, label):
    assert label in _labels(text, lang)
