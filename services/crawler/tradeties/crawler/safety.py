"""SSRF guard: which addresses the crawler may connect to.

A feed, sitemap, homepage link or redirect can point anywhere, including the crawler's own
loopback services or a cloud metadata endpoint. Unless the sources file sets
``allow_private_networks: true``, every URL is checked before it is fetched: IP literals
directly, host names through their DNS answers (all of them — one private answer refuses the
host). The fetcher checks the peer address of the connection once more after connecting, which
closes the DNS-rebinding gap between this check and the connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from typing import Awaitable, Callable
from urllib.parse import urlsplit

from tradeties.common.errors import PermanentError, RetryableError

Resolver = Callable[[str, int], Awaitable[list[str]]]

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
             ipaddress.ip_address("100.100.100.200")}


class UnsafeAddress(PermanentError):
    reason = "unsafe_address"


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and ip not in _METADATA


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


class AddressPolicy:
    """Decides whether a URL may be fetched; caches DNS answers for ``dns_ttl_s``."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver, *, dns_ttl_s: float = 300.0) -> None:
        self.allow_private = allow_private
        self._resolver = resolver
        self._ttl = dns_ttl_s
        self._cache: dict[str, tuple[float, list[str]]] = {}

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
            addresses = await self._resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            raise UnsafeAddress(f"{host} resolves to non-public address {bad[0]}")

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
