"""/feeds/{watch}.atom|.json, /feeds/search.* (any search of the page) and /feeds/alerts.*, with
ETag / Last-Modified validators and 304 answers."""

from __future__ import annotations

import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tradeties.search import reader

from .app import ctx
from .feeds import Feed, alert_entry, article_entry, atom, json_feed
from .params import alert_params, paging, search_params, to_query

MEDIA = {"atom": "application/atom+xml; charset=utf-8", "json": "application/feed+json; charset=utf-8"}


def page_url_for(request: Request, path: str):
    """(format, page) → absolute URL of ``path`` with this request's parameters and that page."""
    base = ctx(request).base_url(request)
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def url_for(fmt: str, page: int) -> str:
        query = urlencode(items + ([("page", str(page))] if page > 1 else []))
        return f"{base}{path}.{fmt}" + (f"?{query}" if query else "")

    return url_for


def _articles_feed(request: Request, feed_id: str, title: str, params, name: str, page_url: str) -> Feed:
    c = ctx(request)
    result = reader.search(c.es, c.prefix, params)
    base = c.base_url(request)
    entries = [article_entry(h, f"{base}/articles/{h.id}") for h in result.hits]
    return Feed(
        id=feed_id,
        title=title,
        entries=entries,
        page_url=page_url,
        url_for=page_url_for(request, f"/feeds/{name}"),
        page=params.offset // params.size + 1,
        has_next=params.offset + params.size < result.total,
    )


def _alerts_feed(request: Request) -> Feed:
    c = ctx(request)
    params = alert_params(request.query_params, default_size=c.settings.api.page_size)
    total, docs = reader.alerts(c.es, c.prefix, params)
    base = c.base_url(request)
    entries = [alert_entry(d, f"{base}/alerts#{d['alert_id']}") for d in docs]
    return Feed(
        id="urn:tradeties:feed:alerts",
        title="tradeties: delegation alerts",
        entries=entries,
        page_url=f"{base}/alerts",
        url_for=page_url_for(request, "/feeds/alerts"),
        page=params.offset // params.size + 1,
        has_next=params.offset + params.size < total,
    )


def feed(request: Request) -> Response:
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if fmt not in MEDIA:
        raise HTTPException(404, f"feeds are .atom or .json, not .{fmt[:20]}")
    c = ctx(request)
    base = c.base_url(request)
    if name == "alerts":
        built = _alerts_feed(request)
    elif name == "search":
        params = search_params(request.query_params, default_size=c.settings.api.page_size, sort="newest", facets=False)
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
        built = _articles_feed(
            request,
            f"urn:tradeties:feed:search:{hashlib.sha256(query.encode()).hexdigest()[:16]}",
            f"tradeties: {params.query or 'all articles'}",
            params,
            "search",
            f"{base}/?{query}",
        )
    else:
        watch = c.store().get(name)
        if watch is None:
            raise HTTPException(404, f"no watch {name[:80]!r}")
        page, size = paging(request.query_params, c.settings.api.page_size)
        params = watch.params(sort="newest", facets=False, size=size, offset=(page - 1) * size)
        built = _articles_feed(
            request,
            f"urn:tradeties:feed:watch:{name}",
            f"tradeties: {watch.title or name}",
            params,
            name,
            f"{base}/?{urlencode(to_query(params))}",
        )
    return conditional(request, atom(built) if fmt == "atom" else json_feed(built), MEDIA[fmt], built)


def conditional(request: Request, body: bytes, media_type: str, built: Feed) -> Response:
    """200 with validators, or 304 when the client's copy is current (If-None-Match wins over
    If-Modified-Since, RFC 9110 §13.2.2)."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = built.updated.replace(microsecond=0)
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True), "Cache-Control": "no-cache"}
    if (tags := request.headers.get("if-none-match")) is not None:
        if etag in {t.strip().removeprefix("W/") for t in tags.split(",")} or tags.strip() == "*":
            return Response(status_code=304, headers=headers)
    elif (since := request.headers.get("if-modified-since")) is not None:
        try:
            if modified <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=headers)
        except (TypeError, ValueError):
            pass  # an unparsable date is ignored (RFC 9110 §13.1.3)
    return Response(body, media_type=media_type, headers=headers)


ROUTES = [Route("/feeds/{name}.{fmt}", feed)]
