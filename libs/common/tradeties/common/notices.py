"""What a webhook is told about a delegation alert: the generic JSON body and the Slack message.

The idempotency key is ``{alert_id}:{revision}``: each revision (a new outlet reporting the event)
is one notice, a redelivery of it carries the same key.
"""

from __future__ import annotations

from typing import Any

from .events import DelegationAlert, RegionTag
from .webhooks import Notice, slack_escape


def idempotency_key(alert: DelegationAlert) -> str:
    return f"{alert.alert_id}:{alert.revision}"


def json_payload(alert: DelegationAlert) -> dict[str, Any]:
    return {
        "type": "delegation_alert",
        "event": "raised" if alert.revision == 1 else "updated",
        "idempotency_key": idempotency_key(alert),
        "alert": alert.model_dump(mode="json"),
    }


def place(region: RegionTag | None) -> str:
    return f"{region.name} ({region.country})" if region else "unknown"


def slack_payload(alert: DelegationAlert) -> dict[str, Any]:
    what = "New delegation" if alert.revision == 1 else f"Delegation update (report {len(alert.article_ids)})"
    route = f"{place(alert.origin)} → {place(alert.destination)}"
    text = f"{what}: {route} — {alert.title}"
    date = alert.event_date.date().isoformat() if alert.event_date else "date unknown"
    return {
        "text": slack_escape(text),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": f"{what}: {route}"[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{alert.url}|{slack_escape(alert.title)}>*"}},
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": slack_escape(
                            f"{date} · sources: {', '.join(alert.sources)} · alert {alert.alert_id} rev {alert.revision}"
                        ),
                    }
                ],
            },
        ],
    }


def alert_notice(alert: DelegationAlert) -> Notice:
    return Notice(key=idempotency_key(alert), json=json_payload(alert), slack=slack_payload(alert))
