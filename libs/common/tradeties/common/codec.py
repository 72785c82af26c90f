"""Event ⇄ Kafka message (key, value bytes, headers).

Values are UTF-8 JSON of the pydantic model. Headers name the event type and schema version, so
a consumer can tell a misrouted message from a corrupt one. ``decode`` raises only the poison
errors of ``errors`` — the caller dead-letters them with their reason.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from .errors import SchemaViolation, UndecodableMessage
from .events import SCHEMA_VERSION, Event

E = TypeVar("E", bound=Event)

CONTENT_TYPE = "application/json"
Headers = list[tuple[str, bytes]]


def encode(event: Event) -> bytes:
    return event.model_dump_json().encode("utf-8")


def headers_for(event: Event) -> Headers:
    return [
        ("content-type", CONTENT_TYPE.encode()),
        ("event-type", type(event).__name__.encode()),
        ("schema-version", str(SCHEMA_VERSION).encode()),
    ]


def decode(value: bytes | None, model: type[E]) -> E:
    """Parse ``value`` as a ``model``; raise UndecodableMessage or SchemaViolation otherwise."""
    if value is None:
        raise UndecodableMessage("message has no value (tombstone)", reason="undecodable")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UndecodableMessage(f"value is not UTF-8: {exc}") from exc
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        kinds = {e["type"] for e in exc.errors()}
        if kinds == {"json_invalid"}:
            raise UndecodableMessage(f"value is not JSON: {exc.errors()[0]['msg']}") from exc
        raise SchemaViolation(f"not a valid {model.__name__}: {_summary(exc)}") from exc


def headers_dict(headers: Headers | None) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for k, v in headers or []}


def _summary(exc: ValidationError, limit: int = 5) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()[:limit]]
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
