"""Rebuild an index version from its Kafka topic, then swap the aliases atomically.

1. Create ``{base}-v{n+1}`` from the current template (a mapping change lands here).
2. Copy the topic from the beginning up to its end offsets E1 into the new index.
3. Move the write alias to the new index (the live indexer now writes there).
4. Catch up from E1 to the end offsets E2 read after step 3: every message the live indexer
   wrote into the old index was on Kafka before the write alias moved, so it is below E2.
5. Refresh, move the read alias (one atomic ``_aliases`` call: searches never see a gap), and
   keep or delete the old index.

External versions make every overlap between the live indexer and the copy harmless. Poison
messages and rejected documents are counted and logged, not dead-lettered again: the live
indexer dead-lettered them when they first arrived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from elasticsearch import Elasticsearch
from kafka import KafkaConsumer, TopicPartition

from tradeties.common.indices import SOURCE_TOPIC, Kind, names_for
from tradeties.common.kafka import consumer, name
from tradeties.common.settings import Settings

from . import admin
from .capabilities import Capabilities, detect
from .records import Poison, to_doc
from .writer import BulkWriter

log = structlog.get_logger(__name__)


@dataclass
class ReindexReport:
    kind: str
    old_indices: list[str]
    new_index: str
    copied: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    deleted_old: bool = False


def make_reader(settings: Settings) -> KafkaConsumer:
    return consumer(
        settings.kafka,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=settings.indexer.batch_size,
    )


def reindex(
    settings: Settings,
    client: Elasticsearch,
    kinds: list[Kind],
    *,
    delete_old: bool = False,
    reader_factory: Callable[[Settings], KafkaConsumer] = make_reader,
    caps: Capabilities | None = None,
) -> list[ReindexReport]:
    prefix = settings.elasticsearch.index_prefix
    caps = caps or detect(client)
    admin.apply_templates(client, prefix, caps, settings.indexer)
    reports = []
    for kind in kinds:
        names = names_for(prefix)[kind]
        admin.bootstrap(client, names)
        old = admin.alias_targets(client, names.read_alias)
        versions = admin.existing_versions(client, names)
        new_index = names.index(max(versions, default=0) + 1)
        admin.create_index(client, new_index)
        report = ReindexReport(kind.value, old, new_index)
        reader = reader_factory(settings)
        try:
            topic = name(settings.kafka, SOURCE_TOPIC[kind])
            parts = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or [])]
            reader.assign(parts)
            reader.seek_to_beginning(*parts)
            writer = BulkWriter(
                client, settings.retry, require_alias=False, unavailable_timeout_s=settings.indexer.unavailable_timeout_s
            )
            _copy(reader, writer, settings, kind, new_index, reader.end_offsets(parts), report)
            admin.move_alias(client, names.write_alias, new_index, is_write=True)
            _copy(reader, writer, settings, kind, new_index, reader.end_offsets(parts), report)
        finally:
            reader.close()
        client.indices.refresh(index=new_index)
        admin.move_alias(client, names.read_alias, new_index)
        if delete_old and old:
            client.indices.delete(index=",".join(i for i in old if i != new_index))
            report.deleted_old = True
        log.info(
            "reindexed",
            kind=kind.value,
            new_index=new_index,
            copied=report.copied,
            old=",".join(old) or "-",
            deleted_old=report.deleted_old,
            **report.skipped,
        )
        reports.append(report)
    return reports


def _copy(
    reader: KafkaConsumer,
    writer: BulkWriter,
    settings: Settings,
    kind: Kind,
    index: str,
    end: dict[TopicPartition, int],
    report: ReindexReport,
    poll_timeout_s: float = 1.0,
) -> None:
    topic = SOURCE_TOPIC[kind]
    targets = {kind: index}
    deadline = time.monotonic() + settings.indexer.unavailable_timeout_s
    while any(reader.position(tp) < off for tp, off in end.items()):
        polled = reader.poll(timeout_ms=int(poll_timeout_s * 1000), max_records=settings.indexer.batch_size)
        if not polled:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"Kafka returned nothing for {settings.indexer.unavailable_timeout_s}s before reaching offsets {end}"
                )
            continue
        deadline = time.monotonic() + settings.indexer.unavailable_timeout_s
        now = datetime.now(UTC)
        docs = []
        for tp, records in polled.items():
            for r in records:
                if r.offset >= end.get(tp, 0):
                    continue  # beyond this round's end offsets: the next round (or the live indexer) has it
                item = to_doc(r, topic, targets, now)
                if isinstance(item, Poison):
                    report.skipped[item.letter.error_type] = report.skipped.get(item.letter.error_type, 0) + 1
                else:
                    docs.append(item)
        result = writer.write(docs)
        report.copied += result.stored + result.conflicts
        for rej in result.rejected:
            report.skipped[rej.error_type] = report.skipped.get(rej.error_type, 0) + 1
    # Leave positions at `end` for the next round even if records past it were fetched.
    for tp, off in end.items():
        reader.seek(tp, off)


def summary(reports: list[ReindexReport]) -> list[dict[str, Any]]:
    return [vars(r) for r in reports]
