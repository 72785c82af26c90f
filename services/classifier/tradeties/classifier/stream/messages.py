"""What the agents do with one message, free of faust: decode, classify, build outputs or a
dead letter. Every permanent failure is a ``PermanentError`` whose ``reason`` names it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradeties.common import codec
from tradeties.common.errors import PermanentError
from tradeties.common.events import ClassifiedArticle, DeadLetter, RawArticle, Stage, utcnow

from ..document import Document
from ..model import Classifier


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


def dead_letter(stage: Stage, message: Message, error: PermanentError, *, consumer: str) -> DeadLetter:
    """``consumer``: the consumer group (faust app id) that read ``message``."""
    return DeadLetter(
        stage=stage, consumer=consumer, topic=message.topic, partition=message.partition, offset=message.offset, key=message.key,
        original=message.value or b"", headers=message.headers, error_type=error.reason,
        error_message=str(error)[:2000], failed_at=utcnow(),
    )
