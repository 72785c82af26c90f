"""The crawler's HTTP client: httpx without the per-request work a crawler does not need.

- No cookies: a crawler keeps no session, and httpx's cookie jar (``http.cookiejar`` through a
  ``urllib.request.Request`` built for every response) cost ~5 % of the main process's CPU per
  page although no cookie was ever sent back.
- No environment look-ups (``trust_env=False``): proxies and certificates are configuration,
  not whatever ``HTTP_PROXY`` or ``SSL_CERT_FILE`` the process happens to inherit.
- Redirects are followed by ``Fetcher`` (each hop checked), not by httpx.
"""

from __future__ import annotations

import httpx

from tradeties.common.settings import CrawlerSettings


class _NoCookies(httpx.Cookies):
    """A jar that never keeps a cookie (``extract_cookies`` is httpx's only way in)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class CrawlClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose cookie jar stays empty: requests carry no Cookie header."""

    _no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, value: object) -> None:
        raise AttributeError("the crawler keeps no cookies")


def crawl_client(transport: httpx.AsyncBaseTransport, crawler: CrawlerSettings) -> CrawlClient:
    return CrawlClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": crawler.user_agent},
        timeout=httpx.Timeout(crawler.read_timeout_s, connect=crawler.connect_timeout_s),
    )
