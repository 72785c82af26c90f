import pytest
from service_fakes import TitleClassifier
from service_support import raw_article

from tradeties.classifier.alerts.reader import newest
from tradeties.classifier.alerts.rules import apply_report
from tradeties.classifier.stream.messages import ClassificationFailed, Message, classify_message
from tradeties.common import codec
from tradeties.common.errors import SchemaViolation, UndecodableMessage


def message(value: bytes | None, key: bytes | None = b"k") -> Message:
    return Message(topic="p.articles.raw", partition=3, offset=42, key=key, value=value, headers={"event-type": "RawArticle"})


def test_classifies_a_raw_article():
    article = raw_article("https://a.example/1", "DELEGATION c9: visit")
    result = classify_message(TitleClassifier(), message(codec.encode(article)))
    assert result.article == article
    assert result.classification.cluster_id == "c9" and result.classification.relevant


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (b"\xff\x00", UndecodableMessage),
        (b"[1, 2", UndecodableMessage),
        (b'{"id": "x"}', SchemaViolation),
        (None, UndecodableMessage),
    ],
)
def test_poison_raises_its_reason(value, error):
    with pytest.raises(error):
        classify_message(TitleClassifier(), message(value))


def test_classifier_exceptions_become_permanent_failures():
    with pytest.raises(ClassificationFailed, match="exploded") as err:
        classify_message(TitleClassifier(), message(codec.encode(raw_article("https://a.example/2", "CRASH"))))
    assert err.value.reason == "classification_failed"


def test_listing_keeps_the_newest_revision_of_each_alert():
    from service_support import classified

    a1 = apply_report(None, classified(raw_article("https://a.example/1", "DELEGATION c1: x"))).alert
    a2 = apply_report(a1, classified(raw_article("https://b.example/1", "DELEGATION c1: y"))).alert
    b1 = apply_report(None, classified(raw_article("https://a.example/2", "DELEGATION c2: z", minutes=5))).alert
    assert newest([a2, b1, a1, a2]) == [a2, b1]
