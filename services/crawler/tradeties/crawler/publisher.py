"""Publishing RawArticles to Kafka with kafka-python, awaited until the broker acknowledges, and
the DeadLetters of pages given up on (acked in the background: a dead letter never holds the crawl).

``publish`` returns only after the broker acked the record (acks=all, idempotent producer from
``tradeties.common.kafka.producer_config``), so the caller records an article as crawled only
then; any failure raises ``RetryableError`` and the article stays in the frontier for the next
pass. The producer's own buffer and retries handle short broker outages.

``send`` is called on the event loop, not in a thread: it only appends to the producer's buffer.
It could block on two things, neither of which happens here: unknown topic metadata (fetched
once in ``from_settings``) and a full buffer (the crawler's ``publish_window`` bounds the
unacknowledged articles far below ``buffer_memory``) — backpressure is the window, whose slots
are held until the ack, by dead letters too (``outcomes.GiveUps``).

While articles flow (the one before the previous sent within ``kafka.linger_busy_ms``) the producer
lingers that long, so a produce request carries several; a record after a pause, or the last of
a burst (``more_coming`` False: nothing else fetched, queued or in hand), lingers only
``kafka.linger_ms``, so a lone article or the end of a burst is not held back (``FlowLinger``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaError

from tradeties.common import codec
from tradeties.common.errors import RetryableError
from tradeties.common.events import DeadLetter, Event, RawArticle
from tradeties.common.kafka import FlowLinger, name, producer_config
from tradeties.common.settings import KafkaSettings
from tradeties.common.topics import Topic


class Publisher(Protocol):
    async def publish(self, article: RawArticle, *, more_coming: bool = True) -> None: ...
    def dead_letter(self, letter: DeadLetter, on_settled: Callable[[str | None], None]) -> None: ...
    def close(self) -> None: ...


def flow_linger(producer: KafkaProducer, busy_ms: int, clock: Callable[[], float] | None = None) -> FlowLinger:
    """``FlowLinger`` for a kafka-python producer: its sender thread reads the accumulator's
    ``linger_ms`` at every readiness check."""
    config: dict[str, Any] = producer._accumulator.config

    def apply(linger_s: float) -> None:
        shorter = linger_s * 1000 < config["linger_ms"]
        config["linger_ms"] = linger_s * 1000
        if shorter:  # the sender thread sleeps until the longer linger's end: the batch may be due now
            producer._sender.wakeup()

    return FlowLinger(apply, config["linger_ms"] / 1000, busy_ms / 1000, clock)


class KafkaPublisher:
    def __init__(
        self, producer: KafkaProducer, topic: str, dead_letters: str, *, timeout_s: float, linger_busy_ms: int = 0
    ) -> None:
        self._producer = producer
        self._topic = topic
        self._dead_letters = dead_letters
        self._timeout_s = timeout_s
        self._linger = flow_linger(producer, linger_busy_ms)

    @classmethod
    def from_settings(cls, kafka: KafkaSettings, *, timeout_s: float) -> KafkaPublisher:
        try:
            producer = KafkaProducer(**producer_config(kafka))
            topic, dead_letters = name(kafka, Topic.RAW_ARTICLES), name(kafka, Topic.DLQ_CRAWLER)
            for t in (topic, dead_letters):
                producer.partitions_for(t)  # metadata now, so no send() waits for it on the event loop
        except KafkaError as exc:
            raise RetryableError(f"cannot reach Kafka at {kafka.bootstrap}: {exc}", reason="kafka") from exc
        return cls(producer, topic, dead_letters, timeout_s=timeout_s, linger_busy_ms=kafka.linger_busy_ms)

    async def publish(self, article: RawArticle, *, more_coming: bool = True) -> None:
        """``more_coming`` False: no other article is on its way (nothing fetched, queued or in hand),
        so the batch lingers only ``linger_ms``, not ``linger_busy_ms``."""
        acked = self._send(self._topic, article.id.encode(), article, more_coming)
        try:
            await asyncio.wait_for(acked, self._timeout_s)
        except TimeoutError as exc:
            raise RetryableError(f"no ack within {self._timeout_s}s", reason="kafka") from exc

    def dead_letter(self, letter: DeadLetter, on_settled: Callable[[str | None], None]) -> None:
        """Sends ``letter`` to the crawler's dead-letter topic without waiting: the ack comes in the
        background (``close`` flushes the rest). ``on_settled`` is called once, on the event loop:
        with None when the broker acked, with the error when it never will."""

        def settled(acked: asyncio.Future[None]) -> None:
            exc = acked.exception()
            on_settled(None if exc is None else str(exc))

        try:
            self._send(self._dead_letters, letter.key, letter).add_done_callback(settled)
        except RetryableError as exc:
            on_settled(str(exc))

    def _send(self, topic: str, key: bytes | None, event: Event, more_coming: bool = True) -> asyncio.Future[None]:
        """The record handed to the producer; the future is settled on the event loop by the broker's ack."""
        loop = asyncio.get_running_loop()
        acked: asyncio.Future[None] = loop.create_future()

        def settle(error: BaseException | None) -> None:  # on the event loop; the first outcome stands
            if acked.done():
                return
            if error is None:
                acked.set_result(None)
            else:
                acked.set_exception(error)

        def done(_metadata: object) -> None:
            loop.call_soon_threadsafe(settle, None)

        def failed(exc: BaseException) -> None:
            loop.call_soon_threadsafe(settle, RetryableError(f"not acknowledged: {exc}", reason="kafka"))

        self._linger.sending(more_coming)
        try:
            future = self._producer.send(topic, key=key, value=codec.encode(event), headers=codec.headers_for(event))
        except KafkaError as exc:
            raise RetryableError(f"cannot send: {exc}", reason="kafka") from exc
        future.add_callback(done)
        future.add_errback(failed)
        return acked

    def close(self) -> None:
        self._producer.flush()
        self._producer.close()
