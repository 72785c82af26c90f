"""A 503's Retry-After is honoured like a 429's (delta-seconds and HTTP-date), capped by
``retry.max_s`` and counted: the real crawler against the hostile outlet over loopback."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tradeties.common.settings import RetrySettings
from tradeties.newsweb import Canned, NewsWeb
from tradeties.newsweb.faults import hostile_outlet

from .hostile_web import crawl, outlet

RETRY = RetrySettings(attempts=3, initial_s=0.01, max_s=4.0)


def server_waits(capped: bool) -> float:
    return (
        REGISTRY.get_sample_value(
            "tradeties_retry_server_waits_total", {"operation": "crawler.fetch", "capped": str(capped).lower()}
        )
        or 0.0
    )


async def test_a_503s_retry_after_is_waited_in_seconds_and_as_a_date(tmp_path):
    hostile = hostile_outlet("127.0.0.70")
    hostile.entry_points = {"urls": ["/fault/busy", "/fault/busy-until"]}
    web = NewsWeb([hostile])
    before = server_waits(False)
    async with web:
        crawler, _, pub = await crawl(web, tmp_path, retry=RETRY)
    assert sorted(a.url.rsplit("/", 1)[1] for a in pub.articles) == ["busy", "busy-until"]
    for path in ("/fault/busy", "/fault/busy-until"):  # "1", and a date 2 s ahead (1-s resolution): ≥ 1 s
        first, second = (a.at for a in web.fetched(path) if a.path == path)
        assert second - first >= 0.95, (path, second - first)
    assert server_waits(False) - before == 2
    assert crawler.stats.errors == {}


async def test_a_503s_retry_after_beyond_the_cap_waits_the_cap_and_is_counted(tmp_path):
    down = Canned(b"maintenance", 503, (("Content-Type", "text/plain"), ("Retry-After", "3600")))
    web = NewsWeb([outlet("127.0.0.71", {"/down": down}, {"urls": ["/down"]})])
    before = server_waits(True)
    async with web:
        crawler, store, pub = await crawl(web, tmp_path, retry=RetrySettings(attempts=3, initial_s=0.01, max_s=0.2))
    hits = [a.at for a in web.fetched("/down")]
    assert len(hits) == 3 and hits[-1] - hits[0] < 60  # two capped waits, not an hour
    assert server_waits(True) - before == 2
    assert crawler.stats.errors == {"http_5xx": 1} and pub.articles == []
    assert store.counts()["frontier"] == 1  # transient: tried again next pass
