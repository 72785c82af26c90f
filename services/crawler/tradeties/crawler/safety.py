"""SSRF guard: which addresses the crawler may connect to.

A feed, sitemap, homepage link or redirect can point anywhere, including the crawler's own
loopback services or a cloud metadata endpoint. Unless the sources file sets
``allow_private_networks: true``, every URL is checked before it is fetched: IP literals
directly, host names through their DNS answers (all of them — one private answer refuses the
host). IPv6 addresses that embed an IPv4 address (IPv4-mapped and -compatible, NAT64
``64:ff9b::/96`` and ``64:ff9b:1::/48``, 6to4 ``2002::/16``, Teredo) are judged by that address too.

The connection is pinned to the checked answer: ``PinnedBackend`` connects to the addresses this
policy approved for the host, never resolving it again, so a DNS answer that changes between the
check and the connection (rebinding) cannot reach a private address. Host names are IDNA 2008
(``faß.de`` is ``xn--fa-hia.de``, as httpx sends it; IDNA 2003 would check ``fass.de``); a name
IDNA 2008 refuses is a bad URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpcore
import httpx
import idna

from tradeties.common.errors import PermanentError, RetryableError
from tradeties.common.settings import CrawlerSettings

from .netstream import AsyncioBackend

Resolver = Callable[[str, int], Awaitable[list[str]]]

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}


class UnsafeAddress(PermanentError):
    reason = "unsafe_address"


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_V4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _V4_COMPATIBLE or any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (v4 := _embedded_v4(ip)) is not None:
        if not is_public(str(v4)):
            return False
        if ip.ipv4_mapped:
            return True
    return ip.is_global and ip not in _METADATA


def ascii_host(host: str) -> str:
    """The host name as sent on the wire (IDNA 2008, as httpx encodes it)."""
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host.lower()).decode("ascii")
    except idna.IDNAError as exc:
        raise PermanentError(f"host name {host!r} is not valid IDNA 2008: {exc}", reason="bad_url") from exc


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class AddressPolicy:
    """Decides whether a URL may be fetched; caches DNS answers for ``dns_ttl_s``."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver, *, dns_ttl_s: float = 300.0) -> None:
        self.allow_private = allow_private
        self._resolver = resolver
        self._ttl = dns_ttl_s
        self._cache: dict[str, tuple[float, list[str]]] = {}
        self._pinned: dict[str, list[str]] = {}

    async def check_url(self, url: str) -> None:
        """Raise UnsafeAddress (or PermanentError for an unusable URL) when ``url`` must not be fetched."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentError(f"not an http(s) URL: {url}", reason="bad_url")
        if self.allow_private:
            return
        host = parts.hostname
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            host = ascii_host(host)
            addresses = await self._resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            raise UnsafeAddress(f"{host} resolves to non-public address {bad[0]}")
        if not addresses:
            raise RetryableError(f"{host} has no address", reason="dns")
        self._pinned[host] = addresses

    def pinned(self, host: str) -> list[str] | None:
        """The approved addresses of ``host`` (None: not checked, or private networks allowed)."""
        return None if self.allow_private else self._pinned.get(host.lower())

    def check_peer(self, address: str | None) -> None:
        if self.allow_private or address is None:
            return
        if not is_public(address):
            raise UnsafeAddress(f"connected to non-public address {address}")

    async def _resolve(self, host: str, port: int) -> list[str]:
        cached = self._cache.get(host)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            addresses = await self._resolver(host, port)
        except OSError as exc:
            raise RetryableError(f"cannot resolve {host}: {exc}", reason="dns") from exc
        self._cache[host] = (time.monotonic() + self._ttl, addresses)
        return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend connecting to the addresses ``policy`` approved for a host
    (TLS still verifies and sends the host name: httpcore passes it to ``start_tls``)."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._inner = inner or AsyncioBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._policy.pinned(host)
        if addresses is None:
            if not self._policy.allow_private:
                raise httpcore.ConnectError(f"{host} was not checked by the address policy")
            addresses = [host]
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                error = exc
        raise error if isinstance(error, httpcore.ConnectError) else httpcore.ConnectError(str(error))

    async def connect_unix_socket(self, *args, **kwargs):
        raise httpcore.ConnectError("unix sockets are not crawled")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport(policy: AddressPolicy, crawler: CrawlerSettings) -> httpx.AsyncHTTPTransport:
    """The crawler's HTTP/1.1 + HTTP/2 transport, its connections made by ``PinnedBackend``."""
    transport = httpx.AsyncHTTPTransport(
        http2=True, limits=httpx.Limits(max_connections=crawler.concurrency * 2, max_keepalive_connections=crawler.concurrency)
    )
    # httpx exposes no backend option; its pool (httpcore.AsyncConnectionPool) takes one, and every
    # connection it opens later goes through it (tests/crawler/test_hostile_safety.py proves the pin).
    transport._pool._network_backend = PinnedBackend(policy)
    return transport
