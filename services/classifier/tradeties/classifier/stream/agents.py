"""The three faust agents of the classifier service.

    raw articles ──classify──▶ classified articles           (keyed by article id)
                        └────▶ delegation reports            (internal, keyed by alert id)
    delegation reports ──alerts──▶ alerts topic              (keyed by alert id; table alert-state)
    alerts topic ──deliver──▶ webhooks                       (table webhook-deliveries)

Re-keying delegation reports by alert id puts every article of one event on one partition, so
one worker owns the event's alert state. Delivery reads the alerts topic in its own agent: a slow
or dead webhook delays deliveries, never classification. Processing is at-least-once (faust
flushes the producer before it commits offsets); the tables make replays harmless, see
docs/classifier-service.md for the remaining windows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import faust
import httpx
import structlog

from tradeties.common import codec
from tradeties.common.dead_letters import dead_letter
from tradeties.common.errors import PermanentError
from tradeties.common.events import ClassifiedArticle, DelegationAlert, Stage
from tradeties.common.notices import alert_notice
from tradeties.common.settings import Settings
from tradeties.common.webhooks import WebhookSender, targets

from .. import metrics
from ..alerts.rules import DelegationReport, alert_id_for, apply_report, is_delegation
from ..model.classifier import Classifier
from .messages import Message, classify_message
from .topology import Topology

log = structlog.get_logger(__name__)

ALERT_STATE_TABLE = "alert-state"
DELIVERIES_TABLE = "webhook-deliveries"
REPORTS_TOPIC = "delegation-reports"

Decoded = TypeVar("Decoded", DelegationReport | ClassifiedArticle, DelegationAlert)
# reports an older version wrote (a rolling upgrade) are whole classified articles
OLDER_REPORTS: Mapping[str, type[DelegationReport | ClassifiedArticle]] = {"ClassifiedArticle": ClassifiedArticle}


@dataclass(frozen=True)
class Topics:
    raw: faust.TopicT
    classified: faust.TopicT
    reports: faust.TopicT
    alerts: faust.TopicT
    dlq_classifier: faust.TopicT
    dlq_alerts: faust.TopicT


def _raw_topic(app: faust.App, name: str, partitions: int | None = None) -> faust.TopicT:
    # Bytes in, bytes out: decoding is ours (tradeties.common.codec), so a poison message reaches
    # the agent and is dead-lettered instead of being dropped inside faust's deserializer.
    return app.topic(name, key_serializer="raw", value_serializer="raw", partitions=partitions)


def _message(event: faust.EventT) -> Message:
    m = event.message
    headers = list(m.headers.items()) if isinstance(m.headers, Mapping) else list(m.headers or [])
    return Message(
        topic=m.topic, partition=m.partition, offset=m.offset, key=m.key, value=m.value, headers=codec.headers_dict(headers)
    )


async def _send(topic: faust.TopicT, key: str | bytes | None, event: Any) -> None:
    await topic.send(
        key=key.encode() if isinstance(key, str) else key, value=codec.encode(event), headers=codec.headers_for(event)
    )


async def _dead_letter(topic: faust.TopicT, stage: Stage, message: Message, error: PermanentError) -> None:
    letter = dead_letter(stage, message, error.reason, str(error), consumer=topic.app.conf.id)
    metrics.DEAD_LETTERS.labels(stage, error.reason).inc()
    log.warning(
        "dead-lettered",
        stage=stage,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        reason=error.reason,
        error=str(error)[:300],
    )
    await _send(topic, message.key, letter)


async def _decode_or_dead_letter(
    event: faust.EventT, schema: type[Decoded], dlq: faust.TopicT, stage: Stage, older: Mapping[str, type[Decoded]] = {}
) -> tuple[Message, Decoded | None]:
    """The event's message and its value decoded as ``schema`` (as ``older[event type]`` where its
    event-type header names one); ``None`` once a poison value is dead-lettered (the agent then
    moves on to the next event)."""
    message = _message(event)
    try:
        return message, codec.decode(message.value, older.get(message.headers.get("event-type", ""), schema))
    except PermanentError as exc:
        await _dead_letter(dlq, stage, message, exc)
        return message, None


def install(app: faust.App, settings: Settings, topology: Topology, classifier: Classifier) -> Topics:
    """Register the agents and tables on ``app``."""
    n = topology.alerts_partitions
    topics = Topics(
        raw=_raw_topic(app, topology.raw, topology.raw_partitions),
        classified=_raw_topic(app, topology.classified),
        reports=_raw_topic(app, topology.reports, n),
        alerts=_raw_topic(app, topology.alerts, n),
        dlq_classifier=_raw_topic(app, topology.dlq_classifier),
        dlq_alerts=_raw_topic(app, topology.dlq_alerts),
    )
    # alert id → current DelegationAlert (JSON); its article_ids are the articles already counted.
    json_schema: faust.Schema = faust.Schema(key_serializer="json", value_serializer="json")
    alert_state = app.Table(ALERT_STATE_TABLE, default=None, partitions=n, schema=json_schema)
    # alert id → {webhook target id: highest revision delivered}.
    deliveries = app.Table(DELIVERIES_TABLE, default=None, partitions=n, schema=json_schema)
    # The classifier is CPU-bound and synchronous: run it off the event loop so heartbeats and
    # the other agents keep going, on one thread since the model need not be thread-safe.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classify")

    @app.agent(topics.raw, name="classify")
    async def classify(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        async for event in stream.events():
            message = _message(event)
            try:
                result = await loop.run_in_executor(executor, classify_message, classifier, message)
            except PermanentError as exc:
                await _dead_letter(topics.dlq_classifier, "classifier", message, exc)
                continue
            await _send(topics.classified, result.article.id, result)
            metrics.CLASSIFIED.labels(str(result.classification.relevant).lower()).inc()
            if is_delegation(result.classification):
                await _send(topics.reports, alert_id_for(result.classification.cluster_id), DelegationReport.of(result))

    @app.agent(topics.reports, name="alerts")
    async def alerts(stream: faust.StreamT) -> None:
        async for event in stream.events():
            _, report = await _decode_or_dead_letter(event, DelegationReport, topics.dlq_classifier, "classifier", OLDER_REPORTS)
            if report is None:
                continue
            alert_id = alert_id_for(report.classification.cluster_id)
            stored = alert_state.get(alert_id)
            change = apply_report(DelegationAlert.model_validate(stored) if stored else None, report)
            metrics.ALERTS.labels(change.outcome).inc()
            if change.outcome != "duplicate":
                alert_state[alert_id] = change.alert.model_dump(mode="json")
            log.info(
                "delegation alert",
                outcome=change.outcome,
                alert_id=alert_id,
                revision=change.alert.revision,
                article_id=report.article.id,
            )
            # A duplicate is re-published too (same alert id and revision, so harmless): a crash
            # may have written the table's changelog but not the alert, and this replay is the only
            # chance to publish it.
            await _send(topics.alerts, alert_id, change.alert)

    alert_targets = targets(settings.classifier.webhooks, settings.classifier.slack_webhooks)

    @app.agent(topics.alerts, name="deliver")
    async def deliver(stream: faust.StreamT) -> None:
        async with httpx.AsyncClient(timeout=settings.classifier.webhook_timeout_s) as client:
            sender = WebhookSender(client, settings.retry)
            async for event in stream.events():
                message, alert = await _decode_or_dead_letter(event, DelegationAlert, topics.dlq_alerts, "alerts")
                if alert is None:
                    continue
                done: dict[str, int] = dict(deliveries.get(alert.alert_id) or {})
                due = [t for t in alert_targets if done.get(t.id, 0) < alert.revision]
                if not due:
                    continue
                notice = alert_notice(alert)
                failures = await asyncio.gather(*(sender.deliver(t, notice) for t in due))
                for target, failure in zip(due, failures, strict=True):
                    if failure is None:
                        done[target.id] = alert.revision
                    else:
                        await _dead_letter(
                            topics.dlq_alerts,
                            "alerts",
                            message,
                            PermanentError(f"webhook {target.id} failed: {failure}", reason="webhook_failed"),
                        )
                deliveries[alert.alert_id] = done

    return topics
