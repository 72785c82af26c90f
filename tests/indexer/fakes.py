"""In-memory stand-ins for the Kafka consumer and dead-letter sink (unit tests only)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from kafka import TopicPartition

from tradeties.common import codec

Record = namedtuple("Record", "topic partition offset key value headers")


def record(topic: str, offset: int, value: Any, partition: int = 0, key: bytes | None = None) -> Record:
    if hasattr(value, "model_dump_json"):
        return Record(topic, partition, offset, key, codec.encode(value), codec.headers_for(value))
    return Record(topic, partition, offset, key, value, [])


class FakeConsumer:
    """Hands out the given records once, in polls of at most max_records; records commits and pauses."""

    def __init__(self, records: list[Record]) -> None:
        self._records = list(records)
        self.subscribed: list[str] = []
        self.commits: list[dict] = []
        self.pause_calls = 0
        self._paused: set[TopicPartition] = set()
        self.events: list[str] = []

    def subscribe(self, topics):
        self.subscribed = list(topics)

    def assignment(self):
        return {TopicPartition(r.topic, r.partition) for r in self._records} | {TopicPartition(t, 0) for t in self.subscribed}

    def poll(self, timeout_ms=0, max_records=None, update_offsets=True):
        if self._paused or not self._records:
            return {}
        batch, self._records = self._records[: max_records or 500], self._records[max_records or 500 :]
        out: dict = {}
        for r in batch:
            out.setdefault(TopicPartition(r.topic, r.partition), []).append(r)
        self.events.append(f"poll:{len(batch)}")
        return out

    def commit(self, offsets=None):
        self.commits.append({tp: o.offset for tp, o in offsets.items()})
        self.events.append("commit")

    def pause(self, *parts):
        self.pause_calls += 1
        self._paused |= set(parts)
        self.events.append("pause")

    def paused(self):
        return set(self._paused)

    def resume(self, *parts):
        self._paused -= set(parts)
        self.events.append("resume")

    def seek(self, tp, offset):
        raise AssertionError("no seek expected")

    def close(self, autocommit=False):
        pass


class FakeSink:
    def __init__(self) -> None:
        self.letters: list = []

    def send(self, topic, letter, timeout_s: float = 30.0) -> None:
        self.letters.append((topic, letter))
