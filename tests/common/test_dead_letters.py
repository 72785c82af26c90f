"""One dead-letter builder for every consumed record: a faust message's dict headers or kafka-python's
list of byte headers, everything kept for a replay, the message bounded."""

from __future__ import annotations

from collections import namedtuple

from tradeties.common import codec
from tradeties.common.dead_letters import MAX_MESSAGE_CHARS, dead_letter
from tradeties.common.events import DeadLetter

Record = namedtuple("Record", "topic partition offset key value headers")


def test_a_kafka_python_record_is_kept_whole_for_replay():
    record = Record("p.articles.raw", 3, 42, b"k", b"\xff\x00", [("event-type", b"RawArticle")])
    letter = dead_letter("classifier", record, "undecodable", "bad bytes", consumer="p.tradeties-classifier")
    assert (letter.topic, letter.partition, letter.offset, letter.key) == ("p.articles.raw", 3, 42, b"k")
    assert letter.consumer == "p.tradeties-classifier" and letter.stage == "classifier"
    assert letter.original == b"\xff\x00" and letter.error_type == "undecodable"
    assert letter.headers == {"event-type": "RawArticle"}
    assert codec.decode(codec.encode(letter), DeadLetter) == letter


def test_mapping_headers_extra_headers_a_tombstone_and_a_long_message():
    record = Record("p.alerts", 0, 7, None, None, {"event-type": "DelegationAlert"})
    letter = dead_letter(
        "indexer", record, "mapper_parsing_exception", "x" * 5000, consumer="g", extra_headers={"indexer-document": "{}"}
    )
    assert letter.original == b"" and letter.key is None
    assert letter.headers == {"event-type": "DelegationAlert", "indexer-document": "{}"}
    assert len(letter.error_message) == MAX_MESSAGE_CHARS
