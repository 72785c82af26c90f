"""API benchmark (`make bench`, or `python benchmarks/run.py api`):

1. p95 latency of ``GET /api/search`` with facets under 20 concurrent clients, as a ratio to the
   same query body (built by the same ``tradeties.search`` builder) sent straight to
   Elasticsearch's ``_search`` by the same HTTP client at the same concurrency (target ≤ 1.5);
2. a 100-entry Atom feed: median time of ``GET /feeds/search.atom?size=100`` vs the same query
   straight to Elasticsearch.

The API runs as a real `tradeties api` subprocess; the articles are real documents of the
indexer's document builder, bulk-loaded into indices made by the indexer's templates. Rounds
alternate baseline and API, each figure is the median over rounds: the 2-core machine is shared,
single runs swing.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]

N_DOCS = int(os.environ.get("TRADETIES_BENCH_API_DOCS", "2000"))
CLIENTS = 20
PER_CLIENT = int(os.environ.get("TRADETIES_BENCH_API_REQUESTS", "20"))
ROUNDS = int(os.environ.get("TRADETIES_BENCH_API_ROUNDS", "3"))
FEED_SAMPLES = 10
QUERY = {"q": "delegation manufacturing", "country": "GB"}


def _load(settings) -> None:
    from elasticsearch import helpers

    from tests.indexer.factories import BIRMINGHAM, LIAONING, article, region
    from tradeties.common.indices import Kind, names_for
    from tradeties.indexer.admin import ensure_ready, refresh
    from tradeties.indexer.documents import article_document
    from tradeties.search.client import client_for

    client = client_for(settings.elasticsearch)
    prefix = settings.elasticsearch.index_prefix
    ensure_ready(client, prefix, settings.indexer)
    now = datetime.now(UTC)
    sectors = ("advanced_manufacturing", "automotive", "education", "agriculture", "finance")
    events = ("delegation_visit", "agreement", "trade_mission", "investment")
    docs = []
    for i in range(N_DOCS):
        e = article(
            i,
            source=f"Outlet {i % 12}",
            sectors=(sectors[i % 5],),
            event_types=(events[i % 4],),
            origin=region({**LIAONING, "id": f"CN:P{i % 30}", "name": f"Province {i % 30}"}, "origin"),
            destination=region(BIRMINGHAM, "destination"),
        )
        docs.append({"_id": e.article.id, "_source": article_document(e, now - timedelta(seconds=N_DOCS - i))})
    write = names_for(prefix)[Kind.ARTICLES].write_alias
    for ok, item in helpers.streaming_bulk(client, docs, index=write, chunk_size=500, raise_on_error=True):
        assert ok, item
    refresh(client, prefix, Kind.ARTICLES)


def _start_api(settings, port: int, log: Path) -> subprocess.Popen:
    from tradeties.pipeline.envmap import settings_env
    from tradeties.pipeline.supervisor import tradeties_argv

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TRADETIES_")},
        **settings_env(settings),
        "TRADETIES_API_PORT": str(port),
        "TRADETIES_LOG_LEVEL": "WARNING",
        "TRADETIES_API_WATCHES": str(log.parent / "none.yaml"),
    }
    out = open(log, "ab")
    return subprocess.Popen(tradeties_argv("api"), env=env, stdout=out, stderr=subprocess.STDOUT)


async def _latencies(method: str, url: str, *, json_body: Any = None, params: Any = None) -> list[float]:
    """CLIENTS concurrent clients, PER_CLIENT sequential requests each; seconds per request."""
    out: list[float] = []
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one_client() -> None:
            for _ in range(PER_CLIENT):
                t0 = time.perf_counter()
                r = await client.request(method, url, json=json_body, params=params)
                out.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text[:300]

        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return out


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def _median_ms(fn) -> float:
    samples = []
    for _ in range(FEED_SAMPLES):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def run(ctx: Any) -> list[dict]:
    from starlette.datastructures import QueryParams

    from tradeties.api.params import search_params
    from tradeties.common.indices import Kind, names_for
    from tradeties.common.waiting import wait_for
    from tradeties.infra.process import free_port
    from tradeties.search.query import build_search

    settings = ctx.fresh_settings("api")
    _load(settings)
    es_search = f"{settings.elasticsearch.url}/{names_for(settings.elasticsearch.index_prefix)[Kind.ARTICLES].read_alias}/_search"
    body = build_search(search_params(QueryParams(QUERY), default_size=settings.api.page_size, encoder="html"))
    feed_body = build_search(search_params(QueryParams({**QUERY, "size": "100"}), default_size=20, sort="newest", facets=False))
    port = free_port()
    api = _start_api(settings, port, ctx.workdir / "api.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ok(f"{base}/readyz"), 60, "the API to answer")
        asyncio.run(_latencies("GET", f"{base}/api/search", params=QUERY))  # warm both paths up
        asyncio.run(_latencies("POST", es_search, json_body=body))
        bare, served = [], []
        for _ in range(ROUNDS):
            bare.append(_p95(asyncio.run(_latencies("POST", es_search, json_body=body))))
            served.append(_p95(asyncio.run(_latencies("GET", f"{base}/api/search", params=QUERY))))
        with httpx.Client(timeout=60) as client:
            feed = client.get(f"{base}/feeds/search.atom", params={**QUERY, "size": 100})
            assert feed.status_code == 200 and feed.text.count("<entry>") == 100, feed.text[:300]
            feed_ms = _median_ms(lambda: client.get(f"{base}/feeds/search.atom", params={**QUERY, "size": 100}))
            es_ms = _median_ms(lambda: client.post(es_search, json=feed_body))
    finally:
        api.terminate()
        api.wait(timeout=30)
    ratio = statistics.median(s / b for b, s in zip(bare, served, strict=True))
    return [
        {
            "name": "API /api/search p95 vs Elasticsearch _search, 20 clients",
            "measured": round(statistics.median(served) * 1000, 1),
            "baseline": round(statistics.median(bare) * 1000, 1),
            "ratio": round(ratio, 3),
            "target": "<= 1.5",
            "unit": "ms (p95)",
            "note": f"{N_DOCS} articles, query {QUERY} with 5 facet aggregations and highlights, {CLIENTS} clients x "
            f"{PER_CLIENT} requests, median of {ROUNDS} alternating rounds (ES p95 {[round(x * 1000) for x in bare]}"
            f" ms, API p95 {[round(x * 1000) for x in served]} ms); one uvicorn worker",
        },
        {
            "name": "100-entry Atom feed vs the same query straight to Elasticsearch",
            "measured": round(feed_ms, 1),
            "baseline": round(es_ms, 1),
            "ratio": round(feed_ms / es_ms, 3),
            "target": "-",
            "unit": "ms (median)",
            "note": f"GET /feeds/search.atom?size=100 end to end (query, entries, Atom XML, ETag) vs POST _search of the "
            f"same body; median of {FEED_SAMPLES} sequential requests",
        },
    ]


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
