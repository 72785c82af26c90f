"""httpcore on asyncio's streams (``netstream``): TLS with ALPN, read timeouts, a server's close.

Real sockets on loopback; the TLS certificate is made by the openssl command for the test."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from pathlib import Path

import httpcore
import httpx
import pytest

from tradeties.crawler.netstream import AsyncioBackend

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("tls")
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(crt)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, crt


async def _serve(handler, ssl_ctx: ssl.SSLContext | None = None) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=ssl_ctx)
    return server, server.sockets[0].getsockname()[1]


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(RESPONSE)
    await writer.drain()


async def test_https_through_httpx_negotiates_alpn_and_reads_the_body(cert: tuple[Path, Path]) -> None:
    key, crt = cert
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(crt, key)
    server_ctx.set_alpn_protocols(["http/1.1"])
    server, port = await _serve(_answer, server_ctx)
    transport = httpx.AsyncHTTPTransport(verify=ssl.create_default_context(cafile=str(crt)), http2=True)
    transport._pool._network_backend = AsyncioBackend()
    async with server, httpx.AsyncClient(transport=transport) as client:
        response = await client.get(f"https://localhost:{port}/")
        stream = response.extensions["network_stream"]
        assert (response.status_code, response.text, response.http_version) == (200, "ok", "HTTP/1.1")
        assert stream.get_extra_info("ssl_object").selected_alpn_protocol() == "http/1.1"
        assert stream.get_extra_info("server_addr")[:2] == ("127.0.0.1", port)


async def test_an_untrusted_certificate_is_a_connect_error(cert: tuple[Path, Path]) -> None:
    key, crt = cert
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(crt, key)
    server, port = await _serve(_answer, server_ctx)
    async with server:
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        with pytest.raises(httpcore.ConnectError):
            await stream.start_tls(ssl.create_default_context(), server_hostname="localhost", timeout=5)


async def test_a_silent_server_is_a_read_timeout_and_its_close_makes_the_stream_readable() -> None:
    closed = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await closed.wait()
        writer.close()

    server, port = await _serve(silent)
    async with server:
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=5)
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(1024, timeout=0.05)
        assert stream.get_extra_info("is_readable") is False
        closed.set()
        assert await stream.read(1024, timeout=5) == b""
        assert stream.get_extra_info("is_readable") is True
        await stream.aclose()


async def test_a_refused_connection_is_a_connect_error() -> None:
    server, port = await _serve(_answer)
    server.close()
    await server.wait_closed()
    with pytest.raises(httpcore.ConnectError):
        await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
