"""HTTP fetching: one GET with conditional headers, manual redirects, limits and retries.

Contract of ``Fetcher.fetch``: it returns a ``Fetched`` (status 200 with the decoded body, or
304 with none) or raises a ``TradetiesError`` whose ``reason`` names the failure (``http_404``,
``timeout``, ``too_large``, ``redirect_loop``, ``robots``, ``unsafe_address``, ...). Timeouts,
connection errors, 429 and 5xx are retried with the shared backoff policy (the Retry-After of a
429 or 503, delta-seconds or an HTTP-date, replaces the backoff's own wait, capped by
``retry.max_s``: waited once, never on top); other 4xx are not. Every hop of a redirect chain is
checked against the address policy and robots.txt and passes the politeness gate of its host.

Bodies are decompressed here, not by httpx, so the size cap holds after decompression: a small
gzip bomb is cut off at ``max_response_bytes`` without ever inflating further.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import urljoin

import httpx

from tradeties.common.errors import PermanentError, RetryableError, TradetiesError
from tradeties.common.retry import acall_with_retry, parse_retry_after
from tradeties.common.settings import CrawlerSettings, RetrySettings

from .identity import host_of
from .safety import AddressPolicy

REDIRECTS = {301, 302, 303, 307, 308}
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Content types under which an HTML body is accepted when it starts as HTML (misconfigured servers).
SNIFFED_TYPES = ("", "text/plain", "application/octet-stream")
_CHUNK = 64 * 1024


class FetchError(PermanentError):
    """The URL gave no usable response; not worth retrying now."""

    reason = "fetch"


class Disallowed(PermanentError):
    reason = "robots"


class TransientFetchError(RetryableError):
    reason = "transient"


class RateLimited(TransientFetchError):
    """HTTP 429; its Retry-After is ``server_wait_s``, which the shared backoff waits instead of its own."""

    reason = "http_429"


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        h = {}
        if self.etag:
            h["If-None-Match"] = self.etag
        if self.last_modified:
            h["If-Modified-Since"] = self.last_modified
        return h


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    validators: Validators = field(default_factory=Validators)
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Gate(Protocol):
    """Politeness: held around every single request to ``host``."""

    def __call__(self, host: str) -> AbstractAsyncContextManager[object]: ...


RobotsCheck = Callable[[str], Awaitable[bool]]


def content_type_of(values: list[str]) -> tuple[str, str | None]:
    """(MIME type, charset) of a response's Content-Type header(s): the last one that names a type
    wins (duplicates are common and httpx joins them with commas)."""
    for value in reversed([part for v in values for part in v.split(",")]):
        mime, charset = split_content_type(value)
        if "/" in mime:
            return mime, charset
    return "", None


def looks_like_html(body: bytes) -> bool:
    """A body served without a usable Content-Type that starts as HTML does (WHATWG sniffing, briefly)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))


def split_content_type(value: str) -> tuple[str, str | None]:
    mime, _, params = value.partition(";")
    charset = None
    for p in params.split(";"):
        k, _, v = p.strip().partition("=")
        if k.lower() == "charset" and v:
            charset = v.strip().strip("'\"").lower()
    return mime.strip().lower(), charset


class _Decoder:
    """Content-Encoding decoder with an output cap enforced while inflating."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        encoding = encoding.strip().lower()
        self._z: zlib._Decompress | None = None  # typeshed's name of a decompressobj
        # deflate is zlib-wrapped (RFC 9110) or raw (what many servers send): seen in the first bytes.
        self._sniff_deflate = encoding == "deflate"
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", reason="bad_encoding")

    def feed(self, data: bytes) -> bytes:
        if self._sniff_deflate:
            if not data:
                return b""
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
            self._sniff_deflate = False
        if self._z is None:
            return self._count(data)
        try:
            out = self._z.decompress(data, self.limit - self.size + 1)
            parts = [self._count(out)]
            while self._z.unconsumed_tail:
                out = self._z.decompress(self._z.unconsumed_tail, self.limit - self.size + 1)
                parts.append(self._count(out))
            return b"".join(parts)
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}", reason="bad_encoding") from exc

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(f"body larger than {self.limit} bytes", reason="too_large")
        return data


class Fetcher:
    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: CrawlerSettings,
        retry: RetrySettings,
        policy: AddressPolicy,
        gate: Gate,
        robots: RobotsCheck | None = None,
    ) -> None:
        self._client = client
        self._s = settings
        self._retry = retry
        self._policy = policy
        self._gate = gate
        self._robots = robots

    async def fetch(
        self, url: str, *, validators: Validators | None = None, html_only: bool = False, check_robots: bool = True
    ) -> Fetched:
        async def attempt() -> Fetched:  # a coroutine function: tenacity awaits it
            return await self._follow(url, validators, html_only, check_robots)

        return await acall_with_retry("crawler.fetch", self._retry, attempt)

    async def _follow(self, url: str, validators: Validators | None, html_only: bool, check_robots: bool) -> Fetched:
        chain: list[str] = []
        current = url
        for _ in range(self._s.max_redirects + 1):
            if current in chain:
                raise FetchError(f"redirect loop at {current}", reason="redirect_loop")
            chain.append(current)
            await self._policy.check_url(current)
            if check_robots and self._robots is not None and not await self._robots(current):
                raise Disallowed(f"robots.txt disallows {current}")
            # Validators belong to the URL asked for; a redirect target is fetched unconditionally.
            conditional = validators if current == url else None
            result = await self._request(current, conditional, html_only)
            if isinstance(result, str):
                current = result
                continue
            return replace(result, redirects=tuple(chain[:-1]))
        raise FetchError(f"more than {self._s.max_redirects} redirects from {url}", reason="too_many_redirects")

    async def _request(self, url: str, validators: Validators | None, html_only: bool) -> Fetched | str:
        headers = {"Accept-Encoding": "gzip, deflate"}
        if validators:
            headers.update(validators.headers())
        async with self._gate(host_of(url)):
            try:
                async with asyncio.timeout(self._s.total_timeout_s):
                    request = self._client.build_request("GET", url, headers=headers)
                    response = await self._client.send(request, stream=True)
                    try:
                        return await self._read(url, response, html_only)
                    finally:
                        await response.aclose()
            except TimeoutError as exc:
                raise TransientFetchError(f"no complete response within {self._s.total_timeout_s}s", reason="timeout") from exc
            except httpx.TimeoutException as exc:
                raise TransientFetchError(f"{type(exc).__name__}: {exc}", reason="timeout") from exc
            except httpx.ConnectError as exc:
                raise TransientFetchError(f"cannot connect: {exc}", reason="connect") from exc
            except httpx.TransportError as exc:
                raise TransientFetchError(f"{type(exc).__name__}: {exc}", reason="protocol") from exc
            except httpx.InvalidURL as exc:
                raise FetchError(str(exc), reason="bad_url") from exc

    async def _read(self, url: str, response: httpx.Response, html_only: bool) -> Fetched | str:
        stream = response.extensions.get("network_stream")
        if stream is not None:
            peer = stream.get_extra_info("server_addr")
            self._policy.check_peer(peer[0] if peer else None)
        status = response.status_code
        if status in REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {status} without Location", reason="bad_redirect")
            return urljoin(url, location)
        if status == 304:
            return Fetched(url=url, status=304)
        if status in (429, 503):  # both may say when to come back (RFC 9110 §10.2.3)
            wait = parse_retry_after(response.headers.get("retry-after"))
            if status == 429:
                raise RateLimited(f"HTTP 429 from {url}", server_wait_s=wait)
            raise TransientFetchError(f"HTTP 503 from {url}", reason="http_5xx", server_wait_s=wait)
        if status >= 500:
            raise TransientFetchError(f"HTTP {status} from {url}", reason="http_5xx")
        if status >= 400:
            raise FetchError(f"HTTP {status} from {url}", reason="http_404" if status in (404, 410) else "http_4xx")
        if status != 200:
            raise FetchError(f"unexpected HTTP {status} from {url}", reason=f"http_{status}")
        mime, charset = content_type_of(response.headers.get_list("content-type"))
        if html_only and mime not in HTML_TYPES and mime not in SNIFFED_TYPES:
            raise FetchError(f"not HTML: {mime}", reason="not_html")
        limit = self._s.max_response_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"Content-Length {declared} over {limit}", reason="too_large")
        decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
        parts = []
        async for chunk in response.aiter_raw(_CHUNK):
            parts.append(decoder.feed(chunk))
        body = b"".join(parts)
        if html_only and mime in SNIFFED_TYPES:
            if not looks_like_html(body):
                raise FetchError(f"not HTML: {mime or 'no content type'} and no HTML start", reason="not_html")
            mime = "text/html"
        return Fetched(
            url=url,
            status=200,
            body=body,
            content_type=mime,
            charset=charset,
            validators=Validators(response.headers.get("etag"), response.headers.get("last-modified")),
        )


def reason_of(exc: BaseException) -> str:
    return exc.reason if isinstance(exc, TradetiesError) else type(exc).__name__
