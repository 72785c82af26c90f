"""`tradeties api deliver`: each watch's new matching articles (and, when asked, delegation alerts)
pushed to its webhooks, through the shared sender of tradeties.common.webhooks.

Guarantees:

- at least once: a notice counts as delivered only when its record is written after the
  webhook's 2xx; a crash in between redelivers it, with the same idempotency key
  (``{watch}:{article id}``, alerts ``{alert id}:{revision}``) in header and body;
- never repeated across restarts: the records live in ``{prefix}-deliveries`` (one per watch,
  webhook and subject), looked up before every send;
- retried with backoff (the retry settings), then dead-lettered: a ``dead`` record with the
  reason, logged and counted, not retried again;
- "new" means indexed after the watch was created: each watch keeps a cursor (the newest
  ``indexed_at`` done) and re-examines ``deliver_overlap_s`` before it, for documents a refresh
  made visible late.
"""

from __future__ import annotations

import asyncio
import hashlib
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import structlog
from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch
from prometheus_client import Counter

from tradeties.common.events import DelegationAlert
from tradeties.common.indices import Kind, names_for
from tradeties.common.metrics import serve_metrics
from tradeties.common.notices import alert_notice
from tradeties.common.settings import Settings
from tradeties.common.webhooks import Notice, Target, WebhookSender, slack_escape
from tradeties.search.alerts import AlertParams, build_alerts
from tradeties.search.client import client_for
from tradeties.search.query import Hit, build_search, parse_search

from .feeds import article_summary, when
from .watches import Watch, WatchStore, apply_file

log = structlog.get_logger(__name__)

OUTCOMES = Counter("tradeties_api_channel_deliveries_total", "Watch notices settled, by outcome.", ["outcome"])
PAGE = 200
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "watch": {"type": "keyword"},
        "target": {"type": "keyword"},
        "subject": {"type": "keyword"},
        "key": {"type": "keyword"},
        "status": {"type": "keyword"},
        "reason": {"type": "keyword"},
        "at": {"type": "date"},
        "cursor": {"type": "date"},
    },
}


def deliveries_index(prefix: str) -> str:
    return f"{prefix}-deliveries"


def records(es: Elasticsearch, prefix: str, watch: str, status: str | None, size: int = 100) -> list[dict[str, Any]]:
    """A watch's delivery records, newest first (``status``: delivered or dead); targets are hashes."""
    filters: list[dict[str, Any]] = [{"term": {"watch": watch}}, {"exists": {"field": "key"}}]
    if status:
        filters.append({"term": {"status": status}})
    resp = es.options(ignore_status=404).search(
        index=deliveries_index(prefix), size=size, query={"bool": {"filter": filters}}, sort=[{"at": "desc"}]
    )
    return [h["_source"] for h in resp.body.get("hits", {}).get("hits", [])]


def record_id(watch: str, target: Target, subject: str) -> str:
    return hashlib.sha256(f"{watch}\x00{target.id}\x00{subject}".encode()).hexdigest()


def article_notice(watch: Watch, hit: Hit, page_url: str) -> Notice:
    key = f"{watch.name}:{hit.id}"
    summary = article_summary(hit)
    label = watch.title or watch.name
    return Notice(
        key=key,
        json={
            "type": "article",
            "event": "matched",
            "watch": watch.name,
            "idempotency_key": key,
            "article": {
                "id": hit.id,
                "title": hit.title,
                "url": hit.url,
                "page_url": page_url,
                "source": hit.source,
                "published_at": hit.published_at,
                "summary": summary,
                "region_ids": hit.region_ids,
                "event_types": hit.event_types,
                "sectors": hit.sectors,
            },
        },
        slack={
            "text": slack_escape(f"{label}: {hit.title}"),
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{hit.url}|{slack_escape(hit.title)}>*"}},
                {
                    "type": "context",
                    "elements": [
                        {
                            "type": "mrkdwn",
                            "text": slack_escape(f"{label} · {hit.source} · {summary}") + f" · <{page_url}|details>",
                        }
                    ],
                },
            ],
        },
    )


def alert_model(doc: dict[str, Any]) -> DelegationAlert:
    """The DelegationAlert an alert document was built from (index-only fields dropped)."""
    fields = set(DelegationAlert.model_fields)
    data = {k: v for k, v in doc.items() if k in fields}
    for side in ("origin", "destination"):
        if data.get(side):
            data[side] = {k: v for k, v in data[side].items() if k != "location"}
    return DelegationAlert.model_validate(data)


class Deliverer:
    """One pass: every watch with channels, its new articles (and alerts), each notice once."""

    def __init__(self, settings: Settings, es: Elasticsearch, sender: WebhookSender) -> None:
        self.s, self.es, self.sender = settings, es, sender
        prefix = settings.elasticsearch.index_prefix
        self.index, self.names = deliveries_index(prefix), names_for(prefix)
        self.watches = WatchStore(es, prefix)
        self.base = (settings.api.base_url or f"http://{settings.api.host}:{settings.api.port}").rstrip("/")
        self.stopping = False

    def ensure_index(self) -> None:
        apply_file(self.watches, self.s.api.watches)
        if not self.es.indices.exists(index=self.index):
            self.es.options(ignore_status=400).indices.create(
                index=self.index, mappings=MAPPINGS, settings={"number_of_shards": 1, "number_of_replicas": 0}
            )

    async def run_pass(self) -> int:
        """Notices settled (delivered or dead) in this pass."""
        settled = 0
        for watch in self.watches.list():
            if watch.channels and not self.stopping:
                settled += await self._watch(watch)
        return settled

    async def _watch(self, watch: Watch) -> int:
        targets = [Target(c.kind, c.url.get_secret_value()) for c in watch.channels]
        cursor = self._cursor(watch)
        since = cursor - timedelta(seconds=self.s.api.deliver_overlap_s)
        settled, newest = 0, cursor
        for hit in self._articles(watch, since):
            if self.stopping:
                break
            if (when(hit.indexed_at) or cursor) < (watch.created_at or cursor):
                continue  # indexed before the watch existed: not new to it
            notice = article_notice(watch, hit, f"{self.base}/articles/{hit.id}")
            settled += await self._deliver(watch, targets, f"article:{hit.id}", notice)
            newest = max(newest, when(hit.indexed_at) or newest)
        if watch.alerts:
            for doc in self._alerts(watch, since):
                if self.stopping:
                    break
                if (when(doc.get("indexed_at")) or cursor) < (watch.created_at or cursor):
                    continue
                alert = alert_model(doc)
                settled += await self._deliver(watch, targets, f"alert:{alert.alert_id}:{alert.revision}", alert_notice(alert))
                newest = max(newest, when(doc.get("indexed_at")) or newest)
        if newest > cursor:
            self.es.index(
                index=self.index, id=f"cursor:{watch.name}", document={"watch": watch.name, "cursor": newest.isoformat()}
            )
        return settled

    def _cursor(self, watch: Watch) -> datetime:
        doc = self.es.options(ignore_status=404).get(index=self.index, id=f"cursor:{watch.name}").body
        found = when(doc.get("_source", {}).get("cursor")) if doc.get("found") else None
        return found or watch.created_at or datetime.now(UTC)

    def _pages(self, index: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every hit of ``body`` in its sort order, PAGE at a time with search_after."""
        body = {**body, "size": PAGE, "track_total_hits": False}
        while not self.stopping:
            hits = self.es.search(index=index, body=body).body["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE:
                return
            body["search_after"] = hits[-1]["sort"]

    def _articles(self, watch: Watch, since: datetime) -> Iterator[Hit]:
        body = build_search(watch.params(indexed_since=since, sort="indexed", facets=False))
        body.pop("highlight")
        for h in self._pages(self.names[Kind.ARTICLES].read_alias, body):
            yield from parse_search({"hits": {"hits": [h]}}).hits

    def _alerts(self, watch: Watch, since: datetime) -> Iterator[dict[str, Any]]:
        body = build_alerts(AlertParams(regions=tuple(watch.regions), countries=tuple(watch.countries), indexed_since=since))
        for h in self._pages(self.names[Kind.ALERTS].read_alias, body):
            yield h["_source"]

    async def _deliver(self, watch: Watch, targets: list[Target], subject: str, notice: Notice) -> int:
        ids = {t.id: record_id(watch.name, t, subject) for t in targets}
        found = {d["_id"] for d in self.es.mget(index=self.index, ids=list(ids.values())).body["docs"] if d.get("found")}
        settled = 0
        for target in targets:
            if ids[target.id] in found:
                continue
            reason = await self.sender.deliver(target, notice)
            status = "delivered" if reason is None else "dead"
            self.es.index(
                index=self.index,
                id=ids[target.id],
                document={
                    "watch": watch.name,
                    "target": target.id,
                    "subject": subject,
                    "key": notice.key,
                    "status": status,
                    "reason": reason,
                    "at": datetime.now(UTC).isoformat(),
                },
            )
            OUTCOMES.labels(status).inc()
            if reason is not None:
                log.error("notice dead-lettered", watch=watch.name, target=target.id, key=notice.key, reason=reason)
            settled += 1
        return settled


async def _serve(settings: Settings, *, once: bool) -> None:
    es = client_for(settings.elasticsearch)
    async with httpx.AsyncClient(timeout=settings.api.webhook_timeout_s) as client:
        deliverer = Deliverer(settings, es, WebhookSender(client, settings.retry))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: setattr(deliverer, "stopping", True))
        ready = False
        while not deliverer.stopping:
            try:
                if not ready:
                    deliverer.ensure_index()
                    ready = True
                settled = await deliverer.run_pass()
                if settled:
                    log.info("delivery pass", settled=settled)
            except (TransportConnectionError, ConnectionTimeout) as exc:
                log.warning(
                    "elasticsearch unreachable; next pass later", url=settings.elasticsearch.url, error=type(exc).__name__
                )
            if once:
                return
            for _ in range(int(settings.api.deliver_interval_s * 10)):
                if deliverer.stopping:
                    break
                await asyncio.sleep(0.1)


def run_deliverer(settings: Settings, *, once: bool = False) -> None:
    serve_metrics(settings.api.deliver_metrics_host, settings.api.deliver_metrics_port)
    log.info("deliverer started", interval_s=settings.api.deliver_interval_s, once=once)
    asyncio.run(_serve(settings, once=once))
    log.info("deliverer stopped")
