"""What the agents do with one message, free of faust: decode, classify, build outputs (dead letters:
``tradeties.common.dead_letters``). Every permanent failure is a ``PermanentError`` whose ``reason`` names it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradeties.common import codec
from tradeties.common.errors import PermanentError
from tradeties.common.events import ClassifiedArticle, RawArticle, utcnow

from ..model.classifier import Classifier
from ..model.document import Document


class ClassificationFailed(PermanentError):
    """The classifier raised on an article: the pure function fails the same way on every retry."""

    reason = "classification_failed"


@dataclass(frozen=True)
class Message:
    """The parts of a consumed Kafka record the service needs (and a dead letter keeps)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str] = field(default_factory=dict)


def classify_message(classifier: Classifier, message: Message) -> ClassifiedArticle:
    """RawArticle bytes → ClassifiedArticle; raises PoisonMessage or ClassificationFailed."""
    article = codec.decode(message.value, RawArticle)
    try:
        classification = classifier.classify(Document.from_raw(article))
    except Exception as exc:  # any bug or data the model cannot handle: not retryable, dead-letter it
        raise ClassificationFailed(f"{type(exc).__name__}: {exc}") from exc
    return ClassifiedArticle(article=article, classification=classification, classified_at=utcnow())
