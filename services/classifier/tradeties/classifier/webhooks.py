"""Webhook delivery of delegation alerts: a generic JSON payload and a Slack-compatible one.

Every delivery carries the idempotency key ``{alert_id}:{revision}`` (header and payload), so a
receiver can drop the rare redelivery that at-least-once processing allows. Transient failures
(connection errors, timeouts, 408/425/429/5xx) are retried with the shared backoff policy; any
other 4xx is permanent. Webhook URLs are secrets (Slack's embed a token): logs and state name a
target by a short hash only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import structlog

from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.events import DelegationAlert, RegionTag
from tradeties.common.retry import acall_with_retry, parse_retry_after
from tradeties.common.settings import ClassifierSettings, RetrySettings

from . import metrics

log = structlog.get_logger(__name__)

Kind = Literal["json", "slack"]
RETRYABLE_STATUS = {408, 425, 429}


@dataclass(frozen=True)
class Target:
    kind: Kind
    url: str

    @property
    def id(self) -> str:
        """Short stable name of the target, safe for logs, metrics and the delivery table."""
        return f"{self.kind}-{hashlib.sha256(self.url.encode()).hexdigest()[:12]}"


def targets_from(settings: ClassifierSettings) -> list[Target]:
    return [Target("json", u) for u in settings.webhooks] + [Target("slack", u) for u in settings.slack_webhooks]


def idempotency_key(alert: DelegationAlert) -> str:
    return f"{alert.alert_id}:{alert.revision}"


def json_payload(alert: DelegationAlert) -> dict[str, Any]:
    return {
        "type": "delegation_alert",
        "event": "raised" if alert.revision == 1 else "updated",
        "idempotency_key": idempotency_key(alert),
        "alert": alert.model_dump(mode="json"),
    }


def _place(region: RegionTag | None) -> str:
    return f"{region.name} ({region.country})" if region else "unknown"


def _escape(text: str) -> str:
    # Slack mrkdwn treats these three as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(alert: DelegationAlert) -> dict[str, Any]:
    what = "New delegation" if alert.revision == 1 else f"Delegation update (report {len(alert.article_ids)})"
    route = f"{_place(alert.origin)} → {_place(alert.destination)}"
    text = f"{what}: {route} — {alert.title}"
    date = alert.event_date.date().isoformat() if alert.event_date else "date unknown"
    return {
        "text": _escape(text),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": f"{what}: {route}"[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{alert.url}|{_escape(alert.title)}>*"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(
                f"{date} · sources: {', '.join(alert.sources)} · alert {alert.alert_id} rev {alert.revision}")}]},
        ],
    }


def payload_for(target: Target, alert: DelegationAlert) -> dict[str, Any]:
    return slack_payload(alert) if target.kind == "slack" else json_payload(alert)


class WebhookSender:
    """Posts alerts to targets with bounded retries; returns instead of raising on failure."""

    def __init__(self, client: httpx.AsyncClient, retry: RetrySettings) -> None:
        self._client = client
        self._retry = retry

    async def deliver(self, target: Target, alert: DelegationAlert) -> str | None:
        """Deliver one alert revision; None on success, else the failure reason (already logged)."""
        body = payload_for(target, alert)
        headers = {"Idempotency-Key": idempotency_key(alert), "User-Agent": "tradeties-alerts/0.1"}

        async def post() -> None:
            try:
                resp = await self._client.post(target.url, json=body, headers=headers)
            except httpx.HTTPError as exc:  # connect/read errors and timeouts
                raise RetryableError(f"{type(exc).__name__}: {exc}", reason="webhook_unreachable") from exc
            if resp.status_code >= 500 or resp.status_code in RETRYABLE_STATUS:
                raise RetryableError(f"HTTP {resp.status_code}", reason=f"http_{resp.status_code}",
                                     server_wait_s=parse_retry_after(resp.headers.get("retry-after")))
            if resp.status_code >= 400:
                raise PermanentError(f"HTTP {resp.status_code}: {resp.text[:200]}", reason=f"http_{resp.status_code}")

        try:
            await acall_with_retry(f"webhook:{target.id}", self._retry, post)
        except (RetryableError, PermanentError) as exc:
            metrics.WEBHOOK_FAILURES.labels(target.kind, exc.reason).inc()
            log.error("webhook delivery failed", target=target.id, alert_id=alert.alert_id,
                      revision=alert.revision, reason=exc.reason, error=str(exc))
            return exc.reason
        metrics.WEBHOOK_DELIVERIES.labels(target.kind).inc()
        log.info("webhook delivered", target=target.id, alert_id=alert.alert_id, revision=alert.revision)
        return None
