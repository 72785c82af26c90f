"""The ASGI application (Starlette): routes, error answers, and what every request shares.

Errors are answered, never leaked: a bad parameter is 400 with what is wrong (and counted, logged
without its value), an unreachable Elasticsearch is 503 with the one line the CLI prints. Handlers
are plain functions run in Starlette's thread pool around a synchronous Elasticsearch client with
a bounded timeout (504 when it passes) and no transport retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import structlog
from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch
from prometheus_client import Counter
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from tradeties.common.reachability import Unreachable
from tradeties.common.settings import Settings
from tradeties.search.client import client_for
from tradeties.search.query import InvalidSearch

from .watches import WatchStore, apply_file

log = structlog.get_logger(__name__)

BAD_REQUESTS = Counter("tradeties_api_bad_requests_total", "Requests refused with 400, by path kind.", ["kind"])
UNAVAILABLE = Counter("tradeties_api_unavailable_total", "Requests answered 503: Elasticsearch unreachable.")
TIMEOUTS = Counter("tradeties_api_timeouts_total", "Requests answered 504: Elasticsearch too slow.")
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class Context:
    """What the handlers share: settings, the Elasticsearch client, the watch store."""

    settings: Settings
    es: Elasticsearch
    watches: WatchStore
    _started: bool = False

    @property
    def prefix(self) -> str:
        return self.settings.elasticsearch.index_prefix

    def base_url(self, request: Request) -> str:
        return (self.settings.api.base_url or str(request.base_url)).rstrip("/")

    def start(self) -> None:
        """Create the watches index and apply config/watches.yaml, once Elasticsearch answers."""
        if self._started:
            return
        names = apply_file(self.watches, self.settings.api.watches)
        if names:
            log.info("watches from file", watches=",".join(names), file=str(self.settings.api.watches))
        self._started = True

    def store(self) -> WatchStore:
        self.start()
        return self.watches


def ctx(request: Request) -> Context:
    return request.app.state.ctx


def _kind(request: Request) -> str:
    path = request.url.path
    if path.startswith("/api/") or path in ("/healthz", "/readyz"):
        return "api"
    return "feed" if path.startswith("/feeds/") else "page"


def _answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _kind(request) == "page":
        return TEMPLATES.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status, headers=headers
        )
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


async def _bad_request(request: Request, exc: Exception) -> Response:
    message = str(exc)
    if isinstance(exc, ValidationError):
        message = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
    BAD_REQUESTS.labels(_kind(request)).inc()
    log.warning("bad request", path=request.url.path, error=message[:300])
    return _answer(request, 400, message)


async def _timeout(request: Request, exc: Exception) -> Response:
    c = ctx(request)
    message = (
        f"Elasticsearch at {c.settings.elasticsearch.url} did not answer within "
        f"{c.settings.api.es_timeout_s:g} s (overloaded?); try again, or raise TRADETIES_API_ES_TIMEOUT_S"
    )
    TIMEOUTS.inc()
    log.warning("elasticsearch timeout", path=request.url.path, timeout_s=c.settings.api.es_timeout_s)
    return _answer(request, 504, message)


async def _unreachable(request: Request, exc: Exception) -> Response:
    c = ctx(request)
    line = (
        exc.line
        if isinstance(exc, Unreachable)
        else Unreachable("Elasticsearch", c.settings.elasticsearch.url, type(exc).__name__).line
    )
    UNAVAILABLE.inc()
    log.warning("elasticsearch unreachable", path=request.url.path, error=line)
    return _answer(request, 503, line)


def create_app(settings: Settings, client: Elasticsearch | None = None) -> Starlette:
    from . import api_routes, feed_routes, page_routes

    es = client or client_for(settings.elasticsearch, request_timeout_s=settings.api.es_timeout_s, max_retries=0)
    app = Starlette(
        routes=[*api_routes.ROUTES, *feed_routes.ROUTES, *page_routes.ROUTES],
        exception_handlers={
            InvalidSearch: _bad_request,
            ValidationError: _bad_request,
            Unreachable: _unreachable,
            TransportConnectionError: _unreachable,
            ConnectionTimeout: _timeout,
            HTTPException: _http_error,
        },
    )
    app.state.ctx = Context(settings, es, WatchStore(es, settings.elasticsearch.index_prefix))
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _answer(request, exc.status_code, exc.detail, exc.headers)


def html(request: Request, template: str, **context) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, context)
