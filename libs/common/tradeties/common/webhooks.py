"""Webhook delivery of notices (delegation alerts, a watch's new articles): a generic JSON body or a
Slack-compatible one.

Every delivery carries the notice's idempotency key (``Idempotency-Key`` header and in the JSON
body), so a receiver can drop the rare redelivery that at-least-once processing allows. Transient
failures (connection errors, timeouts, 408/425/429/5xx) are retried with the shared backoff policy;
any other 4xx is permanent. Webhook URLs are secrets (Slack's embed a token): logs, metrics and
state name a target by a short hash only. Who keeps the record of what was delivered is the
caller's business (a faust table for alerts, an Elasticsearch index for watches).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import structlog
from prometheus_client import Counter

from .errors import PermanentError, RetryableError
from .retry import acall_with_retry, parse_retry_after
from .settings import RetrySettings

log = structlog.get_logger(__name__)

Kind = Literal["json", "slack"]
KINDS: tuple[Kind, ...] = ("json", "slack")
RETRYABLE_STATUS = {408, 425, 429}

DELIVERIES = Counter("tradeties_webhook_deliveries_total", "Notices delivered, by webhook kind.", ["kind"])
FAILURES = Counter("tradeties_webhook_failures_total", "Notices not delivered after retries.", ["kind", "reason"])


@dataclass(frozen=True)
class Target:
    kind: Kind
    url: str

    @property
    def id(self) -> str:
        """Short stable name of the target, safe for logs, metrics and delivery records."""
        return f"{self.kind}-{hashlib.sha256(self.url.encode()).hexdigest()[:12]}"


def targets(json_urls: list[str], slack_urls: list[str]) -> list[Target]:
    return [Target("json", u) for u in json_urls] + [Target("slack", u) for u in slack_urls]


@dataclass(frozen=True)
class Notice:
    """One thing to tell a webhook, in both shapes, with the key that identifies it."""

    key: str
    json: dict[str, Any]
    slack: dict[str, Any]

    def body(self, kind: Kind) -> dict[str, Any]:
        return self.slack if kind == "slack" else self.json


def slack_escape(text: str) -> str:
    # Slack mrkdwn treats these three as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WebhookSender:
    """Posts notices to targets with bounded retries; returns instead of raising on failure."""

    def __init__(self, client: httpx.AsyncClient, retry: RetrySettings) -> None:
        self._client = client
        self._retry = retry

    async def deliver(self, target: Target, notice: Notice) -> str | None:
        """Deliver one notice; None on success, else the failure reason (already logged)."""
        body = notice.body(target.kind)
        headers = {"Idempotency-Key": notice.key, "User-Agent": "tradeties-webhooks/0.1"}

        async def post() -> None:
            try:
                resp = await self._client.post(target.url, json=body, headers=headers)
            except httpx.HTTPError as exc:  # connect/read errors and timeouts
                raise RetryableError(f"{type(exc).__name__}: {exc}", reason="webhook_unreachable") from exc
            if resp.status_code >= 500 or resp.status_code in RETRYABLE_STATUS:
                raise RetryableError(
                    f"HTTP {resp.status_code}",
                    reason=f"http_{resp.status_code}",
                    server_wait_s=parse_retry_after(resp.headers.get("retry-after")),
                )
            if resp.status_code >= 400:
                raise PermanentError(f"HTTP {resp.status_code}: {resp.text[:200]}", reason=f"http_{resp.status_code}")

        try:
            await acall_with_retry(f"webhook:{target.id}", self._retry, post)
        except (RetryableError, PermanentError) as exc:
            FAILURES.labels(target.kind, exc.reason).inc()
            log.error("webhook delivery failed", target=target.id, key=notice.key, reason=exc.reason, error=str(exc))
            return exc.reason
        DELIVERIES.labels(target.kind).inc()
        log.info("webhook delivered", target=target.id, key=notice.key)
        return None
