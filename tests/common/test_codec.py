from datetime import UTC, datetime

import pytest

from tradeties.common import codec
from tradeties.common.errors import PermanentError, SchemaViolation, UndecodableMessage
from tradeties.common.events import DeadLetter, Extraction, RawArticle, article_id_for, content_hash_for


def raw(**over) -> RawArticle:
    url = "https://news.example/a/liaoning-delegation"
    fields = dict(
        id=article_id_for(url),
        url=url,
        canonical_url=url,
        source="Example News",
        title="Liaoning delegation",
        text="A delegation from Liaoning visited Birmingham.",
        published_at=datetime(2019, 5, 23, tzinfo=UTC),
        language="en",
        fetched_at=datetime.now(UTC),
        content_hash=content_hash_for("x"),
        extraction=Extraction(extractor="trafilatura 2.3.1"),
    )
    return RawArticle(**{**fields, **over})


def test_round_trip_preserves_every_field():
    event = raw()
    assert codec.decode(codec.encode(event), RawArticle) == event


def test_headers_name_type_and_version():
    headers = codec.headers_dict(codec.headers_for(raw()))
    assert headers == {"content-type": "application/json", "event-type": "RawArticle", "schema-version": "2"}


@pytest.mark.parametrize("value", [b"\xff\xfe\x00garbage", b"{not json", None])
def test_undecodable_values_are_poison(value):
    with pytest.raises(UndecodableMessage) as err:
        codec.decode(value, RawArticle)
    assert isinstance(err.value, PermanentError) and err.value.reason == "undecodable"


def test_schema_invalid_names_the_fields():
    with pytest.raises(SchemaViolation, match="title") as err:
        codec.decode(b'{"id": "x", "url": "u"}', RawArticle)
    assert err.value.reason == "schema_invalid"


def test_unknown_fields_are_rejected():
    data = raw().model_dump(mode="json") | {"surprise": 1}
    import json

    with pytest.raises(SchemaViolation, match="surprise"):
        codec.decode(json.dumps(data).encode(), RawArticle)


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError):
        raw(fetched_at=datetime(2020, 1, 1))


def test_dead_letter_keeps_arbitrary_bytes():
    letter = DeadLetter(
        stage="classifier",
        topic="t",
        partition=0,
        offset=7,
        key=b"\x00k",
        original=b"\xff\x00\xfe",
        error_type="undecodable",
        error_message="bad",
        failed_at=datetime.now(UTC),
    )
    back = codec.decode(codec.encode(letter), DeadLetter)
    assert back.original == b"\xff\x00\xfe" and back.key == b"\x00k"


def test_article_id_is_stable_and_distinct():
    assert article_id_for("https://a.example/x") == article_id_for("https://a.example/x")
    assert article_id_for("https://a.example/x") != article_id_for("https://a.example/y")
