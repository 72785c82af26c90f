"""Watch channels: `tradeties api deliver` pushes each new matching article and alert to the watch's
webhooks once, across a kill -9 of the deliverer and a restart; a webhook that refuses is
dead-lettered with the reason and not tried again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from indexer.factories import alert
from indexer.helpers import es, prepare

from tradeties.api.channels import Deliverer, deliveries_index
from tradeties.api.watches import Channel, Watch, WatchStore
from tradeties.common.settings import RetrySettings
from tradeties.common.waiting import wait_for
from tradeties.common.webhooks import WebhookSender
from tradeties.pipeline.envmap import settings_env

from .support import GUANGDONG, article, index, region, serving

pytestmark = pytest.mark.integration
TRADETIES = str(Path(sys.executable).parent / "tradeties")


def keys(sink, path: str) -> list[str]:
    with sink.lock:
        return [r.headers["Idempotency-Key"] for r in sink.received if r.path == path]


def deliverer(settings, log: Path, *args: str) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRADETIES_")}, **settings_env(settings)}
    with open(log, "ab") as out:
        return subprocess.Popen([TRADETIES, "api", "deliver", *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def watch_for(sink, **over) -> Watch:
    fields = dict(
        name="liaoning",
        regions=["CN-LN"],
        alerts=True,
        channels=[Channel(kind="json", url=f"{sink.url}/json"), Channel(kind="slack", url=f"{sink.url}/slack")],
    )
    return Watch(**{**fields, **over})


def test_each_new_match_once_across_a_kill_9_of_the_deliverer(settings, webhook_sink, tmp_path):
    prepare(settings)
    settings.api.deliver_interval_s, settings.api.watches = 0.2, tmp_path / "none.yaml"
    index(settings, [article(100)])  # matches, but indexed before the watch existed: not new
    WatchStore(es(settings), settings.elasticsearch.index_prefix).ensure_index()
    WatchStore(es(settings), settings.elasticsearch.index_prefix).put(watch_for(webhook_sink))
    new = [article(i) for i in range(30)]
    other = [
        article(200 + i, title=f"Guangdong agreement #{i}", origin=region(GUANGDONG, "party"), event_types=("agreement",))
        for i in range(5)
    ]
    raised = alert(7)
    webhook_sink.delay_s = 0.05  # 62 posts take seconds: the kill lands mid-stream
    log = tmp_path / "deliver.log"
    proc = deliverer(settings, log)
    try:
        index(settings, new + other, [raised])
        wait_for(lambda: len(keys(webhook_sink, "/json")) >= 8, 60, "the first deliveries")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        at_kill = len(webhook_sink.received)
        assert at_kill < 62, "the kill came after everything was delivered; nothing was tested"
        proc = deliverer(settings, log)
        expected = {f"liaoning:{a.article.id}" for a in new} | {f"{raised.alert_id}:1"}
        for path in ("/json", "/slack"):
            wait_for(lambda p=path: set(keys(webhook_sink, p)) >= expected, 120, f"every notice on {path}")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()[-3000:]
    for path in ("/json", "/slack"):
        got = keys(webhook_sink, path)
        assert set(got) == expected, "nothing older than the watch, nothing that does not match"
        repeated = [k for k, n in Counter(got).items() if n > 1]
        # At least once: only the one notice in flight when the process died may come twice, same key.
        assert len(repeated) <= 1, repeated
    body = next(b for b in webhook_sink.bodies("/json") if b["type"] == "article")
    assert body["watch"] == "liaoning" and body["article"]["page_url"].endswith(f"/articles/{body['article']['id']}")
    assert "Liaoning (CN) → Birmingham (GB)" in body["article"]["summary"]
    assert {"text", "blocks"} == set(webhook_sink.bodies("/slack")[0])

    before = len(webhook_sink.received)
    once = deliverer(settings, log, "--once")
    assert once.wait(timeout=60) == 0
    assert len(webhook_sink.received) == before, "a restart repeats nothing"


def test_a_refusing_webhook_is_dead_lettered_with_the_reason(settings, webhook_sink, tmp_path):
    prepare(settings)
    settings.api.watches = tmp_path / "none.yaml"
    client = es(settings)
    store = WatchStore(client, settings.elasticsearch.index_prefix)
    store.ensure_index()
    store.put(watch_for(webhook_sink, alerts=False))
    index(settings, [article(1)])
    webhook_sink.status = 404

    async def one_pass() -> int:
        async with httpx.AsyncClient(timeout=5) as http:
            d = Deliverer(settings, client, WebhookSender(http, RetrySettings(attempts=2, initial_s=0.01, max_s=0.02)))
            d.ensure_index()
            return await d.run_pass()

    assert asyncio.run(one_pass()) == 2
    client.indices.refresh(index=deliveries_index(settings.elasticsearch.index_prefix))
    dead = client.search(index=deliveries_index(settings.elasticsearch.index_prefix), query={"term": {"status": "dead"}}).body[
        "hits"
    ]["hits"]
    assert sorted(h["_source"]["reason"] for h in dead) == ["http_404", "http_404"]
    assert dead[0]["_source"]["key"] == f"liaoning:{article(1).article.id}"
    webhook_sink.status = 200
    assert asyncio.run(one_pass()) == 0, "a dead letter is final, not retried on the next pass"
    assert webhook_sink.received == []
    with serving(settings) as api:
        listed = httpx.get(f"{api}/api/watches/liaoning/deliveries", params={"status": "dead"}).json()["deliveries"]
        assert [d["reason"] for d in listed] == ["http_404", "http_404"]
        assert all(webhook_sink.url not in str(d) for d in listed), "targets are named by a hash only"
