"""The crawler's HTTP client keeps no cookies and reads nothing from the environment."""

from __future__ import annotations

import httpx
import pytest

from tradeties.common.settings import CrawlerSettings
from tradeties.crawler.client import crawl_client
from tradeties.crawler.loop import run


def _server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Set-Cookie": "session=abc; Path=/"}, text=request.headers.get("cookie", "none"))


def test_a_set_cookie_is_never_sent_back() -> None:
    async def two_requests() -> list[str]:
        async with crawl_client(httpx.MockTransport(_server), CrawlerSettings()) as client:
            return [(await client.get("http://news.test/a")).text, (await client.get("http://news.test/b")).text]

    assert run(two_requests()) == ["none", "none"]


def test_environment_proxies_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    client = crawl_client(httpx.MockTransport(_server), CrawlerSettings())
    assert client.trust_env is False
    assert not client._mounts  # an env proxy would be mounted here and bypass the pinned transport


def test_the_loop_runs_a_coroutine_to_its_result() -> None:
    async def answer() -> int:
        return 42

    assert run(answer()) == 42
