"""The JSON API: search, one article, alerts, watches (writes need the bearer token), health."""

from __future__ import annotations

import hmac
import json

from elasticsearch import ConflictError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tradeties.common.reachability import require_elasticsearch
from tradeties.search import reader
from tradeties.search.query import InvalidSearch, result_json

from .app import ctx
from .params import alert_params, search_params
from .watches import Watch

MAX_BODY = 64_000


def healthz(request: Request) -> Response:
    """Liveness: the process answers."""
    return JSONResponse({"status": "ok"})


def readyz(request: Request) -> Response:
    """Readiness: Elasticsearch answers and the watches index exists."""
    c = ctx(request)
    require_elasticsearch(c.settings.elasticsearch)
    c.start()
    return JSONResponse({"status": "ready"})


def search(request: Request) -> Response:
    c = ctx(request)
    params = search_params(request.query_params, default_size=c.settings.api.page_size, encoder="html")
    body = result_json(reader.search(c.es, c.prefix, params))
    body["page"], body["size"] = params.offset // params.size + 1 if params.size else 1, params.size
    return JSONResponse(body)


def article(request: Request) -> Response:
    c = ctx(request)
    article_id = request.path_params["id"]
    if len(article_id) > 200:
        raise InvalidSearch("article id longer than 200 characters")
    doc = reader.article(c.es, c.prefix, article_id)
    if doc is None:
        raise HTTPException(404, f"no article {article_id[:80]!r}")
    return JSONResponse(doc)


def alerts(request: Request) -> Response:
    c = ctx(request)
    params = alert_params(request.query_params, default_size=c.settings.api.page_size)
    total, docs = reader.alerts(c.es, c.prefix, params)
    return JSONResponse({"total": total, "alerts": docs})


def _authorised(request: Request) -> None:
    token = ctx(request).settings.api.token
    if token is None or not token.get_secret_value():
        raise HTTPException(403, "changing watches is disabled: set TRADETIES_API_TOKEN")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token.get_secret_value()}".encode()):
        raise HTTPException(
            401, "a valid 'Authorization: Bearer <token>' header is required", headers={"WWW-Authenticate": "Bearer"}
        )


async def _watch_body(request: Request, **over) -> Watch:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise InvalidSearch(f"request body over {MAX_BODY} bytes")
    try:
        data = json.loads(raw or b"null")
    except ValueError as exc:
        raise InvalidSearch(f"request body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidSearch("request body must be a JSON object (a watch)")
    return Watch.model_validate({**data, **over})


def list_watches(request: Request) -> Response:
    return JSONResponse({"watches": [w.masked() for w in ctx(request).store().list()]})


def get_watch(request: Request) -> Response:
    watch = ctx(request).store().get(request.path_params["name"])
    if watch is None:
        raise HTTPException(404, f"no watch {request.path_params['name'][:80]!r}")
    return JSONResponse(watch.masked())


def watch_deliveries(request: Request) -> Response:
    """The watch's delivery records (``?status=dead``: its dead letters, with their reasons)."""
    from .channels import records

    c = ctx(request)
    status = request.query_params.get("status")
    if status not in (None, "delivered", "dead"):
        raise InvalidSearch(f"status: {status[:20]!r} is not one of delivered, dead")
    if c.store().get(request.path_params["name"]) is None:
        raise HTTPException(404, f"no watch {request.path_params['name'][:80]!r}")
    return JSONResponse({"deliveries": records(c.es, c.prefix, request.path_params["name"], status)})


async def create_watch(request: Request) -> Response:
    _authorised(request)
    watch = await _watch_body(request)
    c = ctx(request)
    try:
        stored = await run_in_threadpool(lambda: c.store().put(watch, create=True))
    except ConflictError:
        raise HTTPException(409, f"watch {watch.name!r} exists; PUT /api/watches/{watch.name} replaces it") from None
    return JSONResponse(stored.masked(), status_code=201, headers={"Location": f"/api/watches/{stored.name}"})


async def replace_watch(request: Request) -> Response:
    _authorised(request)
    watch = await _watch_body(request, name=request.path_params["name"])
    c = ctx(request)
    stored = await run_in_threadpool(lambda: c.store().put(watch))
    return JSONResponse(stored.masked())


async def delete_watch(request: Request) -> Response:
    _authorised(request)
    c = ctx(request)
    if not await run_in_threadpool(lambda: c.store().delete(request.path_params["name"])):
        raise HTTPException(404, f"no watch {request.path_params['name'][:80]!r}")
    return Response(status_code=204)


ROUTES = [
    Route("/healthz", healthz),
    Route("/readyz", readyz),
    Route("/api/search", search),
    Route("/api/articles/{id:path}", article),
    Route("/api/alerts", alerts),
    Route("/api/watches", list_watches, methods=["GET"]),
    Route("/api/watches", create_watch, methods=["POST"]),
    Route("/api/watches/{name}", get_watch, methods=["GET"]),
    Route("/api/watches/{name}", replace_watch, methods=["PUT"]),
    Route("/api/watches/{name}", delete_watch, methods=["DELETE"]),
    Route("/api/watches/{name}/deliveries", watch_deliveries, methods=["GET"]),
]
