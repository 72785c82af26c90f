"""The one way to build a DeadLetter: from a consumed record (every stage but the crawler), or from a
page the crawler gave up on (no consumed record: the URL is the key and the original)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from .codec import headers_dict
from .events import DeadLetter, Stage, utcnow

#: Longest error message kept (a stack of validation errors can be long; the original is kept whole).
MAX_MESSAGE_CHARS = 2000


class ConsumedRecord(Protocol):
    """What a dead letter keeps of a consumed Kafka record (kafka-python's ConsumerRecord fits)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def headers(self) -> Mapping[str, str] | Iterable[tuple[str, bytes]] | None: ...


def dead_letter(
    stage: Stage,
    record: ConsumedRecord,
    error_type: str,
    message: str,
    *,
    consumer: str | None,
    failed_at: datetime | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> DeadLetter:
    """A dead letter of ``record`` read by the consumer group ``consumer``: original bytes, key, headers,
    topic, partition and offset, so it can be replayed to that group; ``error_type`` is the reason code."""
    headers = record.headers
    kept = dict(headers) if isinstance(headers, Mapping) else headers_dict(list(headers or []))
    return DeadLetter(
        stage=stage,
        consumer=consumer,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        original=record.value or b"",
        headers={**kept, **(extra_headers or {})},
        error_type=error_type,
        error_message=message[:MAX_MESSAGE_CHARS],
        failed_at=failed_at or utcnow(),
    )


def page_dead_letter(
    url: str, error_type: str, message: str, *, headers: Mapping[str, str] | None = None, failed_at: datetime | None = None
) -> DeadLetter:
    """A dead letter of the crawler's page ``url``, given up on for ``error_type``; replaying it is
    crawling the URL again (the state store rechecks it after ``recheck_rejected_after_s``)."""
    return DeadLetter(
        stage="crawler",
        key=url.encode(),
        original=url.encode(),
        headers=dict(headers or {}),
        error_type=error_type,
        error_message=message[:MAX_MESSAGE_CHARS],
        failed_at=failed_at or utcnow(),
    )
