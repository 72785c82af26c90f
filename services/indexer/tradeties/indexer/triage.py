"""Per-item bulk results → what to do with the document (pure).

Elasticsearch reports each bulk item with an HTTP status and an ``error.type``. The verdicts:

- ``OK``: stored, or a version conflict (the index already holds this or a newer version: a replay).
- ``MALFORMED``: the document can never be stored as it is (mapping/parsing errors) → the
  ``indexer.on_malformed`` policy (dead letter, fail or ignore).
- ``BACKPRESSURE``: the cluster is overloaded or unavailable (429, 503, rejected execution,
  circuit breaker, unreachable) → pause consumption and retry with backoff until it recovers.
- ``RETRY``: anything else → bounded retries, then fail loudly.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Verdict(str, Enum):
    OK = "ok"
    CONFLICT = "conflict"
    MALFORMED = "malformed"
    BACKPRESSURE = "backpressure"
    RETRY = "retry"


MALFORMED_TYPES = frozenset(
    {
        "mapper_parsing_exception",
        "document_parsing_exception",
        "strict_dynamic_mapping_exception",
        "illegal_argument_exception",
        "parse_exception",
        "x_content_parse_exception",
        "json_parse_exception",
        "mapper_exception",
        "invalid_type_name_exception",
        "document_source_missing_exception",
    }
)

BACKPRESSURE_TYPES = frozenset(
    {
        "es_rejected_execution_exception",
        "circuit_breaking_exception",
        "unavailable_shards_exception",
        "no_shard_available_action_exception",
        "cluster_block_exception",  # e.g. flood-stage disk watermark: clears when space is freed
        "node_not_connected_exception",
        "node_closed_exception",
        "connection_error",
        "timeout",
    }
)

BACKPRESSURE_STATUS = frozenset({429, 502, 503, 504})


def error_type(item: dict[str, Any]) -> str:
    error = item.get("error")
    if isinstance(error, dict):
        return str(error.get("type", "unknown"))
    exc = item.get("exception")
    if isinstance(exc, Exception):  # helpers report a whole failed request once per item, like this
        kind = getattr(exc, "error", None)  # ApiError: the error type of the response body
        return kind if isinstance(kind, str) and kind else type(exc).__name__
    return "unknown" if error else "none"


def error_reason(item: dict[str, Any]) -> str:
    error = item.get("error")
    if isinstance(error, dict):
        reason = str(error.get("reason", ""))
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" (caused by {cause.get('type')}: {cause.get('reason')})"
        return reason
    return str(error or "")


def verdict(item: dict[str, Any]) -> Verdict:
    """Verdict for one bulk item result (the value under its op type, e.g. ``item["index"]``)."""
    status = int(item.get("status", 500))
    kind = error_type(item)
    if 200 <= status < 300:
        return Verdict.OK
    if status == 409 or kind == "version_conflict_engine_exception":
        return Verdict.CONFLICT
    if status == 400 and kind in MALFORMED_TYPES:
        return Verdict.MALFORMED
    if status in BACKPRESSURE_STATUS or kind in BACKPRESSURE_TYPES:
        return Verdict.BACKPRESSURE
    return Verdict.RETRY
