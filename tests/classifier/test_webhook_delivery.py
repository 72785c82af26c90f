import httpx
from service_support import classified, raw_article

from tradeties.classifier.alerts.rules import apply_report
from tradeties.common.notices import alert_notice, json_payload, slack_payload
from tradeties.common.settings import RetrySettings
from tradeties.common.webhooks import Target, WebhookSender, targets

FAST = RetrySettings(attempts=3, initial_s=0.01, max_s=0.05)


def alerts():
    first = apply_report(None, classified(raw_article("https://a.example/1", "DELEGATION c1: <Liaoning> & co"))).alert
    second = apply_report(first, classified(raw_article("https://b.example/2", "DELEGATION c1: again"))).alert
    return first, second


def test_json_payload_carries_the_alert_and_its_idempotency_key():
    first, second = alerts()
    body = json_payload(second)
    assert body["type"] == "delegation_alert" and body["event"] == "updated"
    assert body["idempotency_key"] == f"{second.alert_id}:2"
    assert body["alert"]["revision"] == 2 and len(body["alert"]["article_ids"]) == 2
    assert json_payload(first)["event"] == "raised"


def test_slack_payload_has_text_and_blocks_with_escaped_title():
    first, second = alerts()
    body = slack_payload(first)
    assert set(body) == {"text", "blocks"}
    assert body["text"].startswith("New delegation: Liaoning (CN) → Birmingham (GB)")
    assert "&lt;Liaoning&gt; &amp; co" in body["text"] and "<Liaoning>" not in body["text"]
    assert [b["type"] for b in body["blocks"]] == ["header", "section", "context"]
    assert "<https://a.example/1|" in body["blocks"][1]["text"]["text"]
    assert slack_payload(second)["text"].startswith("Delegation update (report 2)")


def test_targets_hide_their_urls():
    found = targets(["https://h.example/secret"], ["https://hooks.slack.example/T0/B0/token"])
    assert [t.kind for t in found] == ["json", "slack"]
    assert all("secret" not in t.id and "token" not in t.id for t in found)


async def test_delivers_with_idempotency_header(webhook_sink):
    first, _ = alerts()
    async with httpx.AsyncClient(timeout=5) as client:
        failure = await WebhookSender(client, FAST).deliver(Target("slack", webhook_sink.url + "/slack"), alert_notice(first))
    assert failure is None
    [got] = webhook_sink.received
    assert got.path == "/slack" and got.body == slack_payload(first)
    assert got.headers["Idempotency-Key"] == f"{first.alert_id}:1"


async def test_retries_transient_failures(webhook_sink):
    first, _ = alerts()
    webhook_sink.fail_next = 2  # 503, 503, then 200: within 3 attempts
    async with httpx.AsyncClient(timeout=5) as client:
        failure = await WebhookSender(client, FAST).deliver(Target("json", webhook_sink.url), alert_notice(first))
    assert failure is None and len(webhook_sink.received) == 1 and webhook_sink.fail_next == 0


async def test_gives_up_after_the_retry_budget(webhook_sink):
    first, _ = alerts()
    webhook_sink.fail_next = 10
    async with httpx.AsyncClient(timeout=5) as client:
        failure = await WebhookSender(client, FAST).deliver(Target("json", webhook_sink.url), alert_notice(first))
    assert failure == "http_503" and webhook_sink.fail_next == 7, "exactly 3 attempts"


async def test_client_errors_are_not_retried(webhook_sink):
    first, _ = alerts()
    webhook_sink.status = 404
    async with httpx.AsyncClient(timeout=5) as client:
        failure = await WebhookSender(client, FAST).deliver(Target("json", webhook_sink.url), alert_notice(first))
    assert failure == "http_404"


async def test_unreachable_webhook_fails_without_raising():
    from service_support import free_port

    first, _ = alerts()
    async with httpx.AsyncClient(timeout=2) as client:
        failure = await WebhookSender(client, FAST).deliver(
            Target("json", f"http://127.0.0.1:{free_port()}"), alert_notice(first)
        )
    assert failure == "webhook_unreachable"
