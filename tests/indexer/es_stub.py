"""A tiny HTTP server on 127.0.0.1 that speaks enough Elasticsearch for client-side tests.

Kept only for what a real node cannot be made to do on demand: answer 429 / 503 to chosen bulks,
fail chosen items, refuse point-in-time (ES < 7.10 / some proxies), or hold every bulk for a while
(a loopback proxy in front of the real node, to land a kill or a rebalance mid-stream). Everything
else in tests/indexer runs against the real node.

``responder`` decides each ``_bulk`` answer from the parsed actions; with ``upstream`` set, every
request the responder does not answer (returns None) is forwarded there — a loopback proxy in front
of the real node that can inject 429s.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Responder = Callable[[str, str, list[tuple[dict, dict | None]]], "tuple[int, dict] | None"]


def parse_bulk(body: bytes) -> list[tuple[dict, dict | None]]:
    lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
    out, i = [], 0
    while i < len(lines):
        action = lines[i]
        op = next(iter(action))
        if op == "delete":
            out.append((action, None))
            i += 1
        else:
            out.append((action, lines[i + 1]))
            i += 2
    return out


def bulk_ok(actions: list[tuple[dict, dict | None]], status: int = 201) -> dict:
    items = []
    for action, _ in actions:
        op, meta = next(iter(action.items()))
        items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": status, "result": "created"}})
    return {"took": 1, "errors": False, "items": items}


def bulk_items(actions: list[tuple[dict, dict | None]], per_item: Callable[[dict, dict | None], dict]) -> dict:
    items = []
    for action, source in actions:
        op, meta = next(iter(action.items()))
        items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), **per_item(meta, source)}})
    return {"took": 1, "errors": any(i[next(iter(i))]["status"] >= 300 for i in items), "items": items}


class ESStub:
    def __init__(self, upstream: str | None = None) -> None:
        self.upstream = upstream.rstrip("/") if upstream else None
        self.responder: Responder | None = None
        #: (method, path without query) → handler(body bytes) → (status, json); for non-bulk requests
        self.routes: dict[tuple[str, str], Callable[[bytes], tuple[int, dict]]] = {}
        self.requests: list[tuple[str, str]] = []
        self.bulk_calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                body = self._body()
                stub.requests.append((self.command, self.path))
                path = self.path.split("?")[0]
                if path.endswith("/_bulk"):
                    stub.bulk_calls += 1
                    if stub.responder is not None:
                        answer = stub.responder(self.command, self.path, parse_bulk(body))
                        if answer is not None:
                            status, payload = answer
                            return self._send(status, json.dumps(payload).encode())
                route = stub.routes.get((self.command, path))
                if route is not None:
                    status, payload = route(body)
                    return self._send(status, json.dumps(payload).encode())
                if stub.upstream:
                    headers = {
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() not in ("host", "content-length", "connection", "accept-encoding")
                    }
                    r = httpx.request(self.command, stub.upstream + self.path, content=body, headers=headers, timeout=60)
                    return self._send(r.status_code, r.content, r.headers.get("content-type", "application/json"))
                if path in ("", "/") and self.command in ("GET", "HEAD"):
                    return self._send(
                        200, json.dumps({"version": {"number": "8.19.3"}, "tagline": "You Know, for Search"}).encode()
                    )
                if path.endswith("/_bulk"):
                    return self._send(200, json.dumps(bulk_ok(parse_bulk(body))).encode())
                return self._send(404, json.dumps({"error": {"type": "stub", "reason": self.path}, "status": 404}).encode())

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):  # the client went away (killed): fine
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> ESStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
