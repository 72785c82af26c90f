"""The server-rendered pages: search with facets at /, one article with its evidence, the alerts
timeline, the watches. No JavaScript: facets and paging are links, the search box a GET form."""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tradeties.search import reader
from tradeties.search.alerts import place, route
from tradeties.search.query import FACETS

from .app import TEMPLATES, ctx, html
from .params import FILTERS, alert_params, search_params, to_query

# Private-use characters mark highlights: the snippet is escaped, then they become <mark>.
PRE, POST = "\ue000", "\ue001"
LABELS = {"region": "Region", "country": "Country", "sector": "Sector", "event_type": "Event type", "source": "Source"}


def highlight(snippet: str) -> Markup:
    return Markup(str(escape(snippet)).replace(PRE, "<mark>").replace(POST, "</mark>"))


TEMPLATES.env.filters["highlight"] = highlight
TEMPLATES.env.filters["place"] = place
TEMPLATES.env.filters["route"] = route


def _toggle(items: list[tuple[str, str]], name: str, value: str) -> str:
    """The query string with filter ``name=value`` added, or removed when present."""
    if (name, value) in items:
        return urlencode([i for i in items if i != (name, value)])
    return urlencode([*items, (name, value)])


def search_page(request: Request) -> Response:
    c = ctx(request)
    params = search_params(request.query_params, default_size=c.settings.api.page_size, pre_tag=PRE, post_tag=POST)
    result = reader.search(c.es, c.prefix, params)
    items = [*to_query(params), *([("sort", params.sort)] if params.sort != "relevance" else [])]
    chosen = {name: set(getattr(params, field)) for name, field in FILTERS.items()}
    facets = [
        (
            name,
            LABELS[name],
            [
                (key, result.labels.get(key, key) if name == "region" else key, n, key in chosen[name], _toggle(items, name, key))
                for key, n in buckets
            ],
        )
        for name, buckets in result.facets.items()
        if name in FACETS
    ]
    page = params.offset // params.size + 1
    feed_query = urlencode(to_query(params))
    return html(
        request,
        "search.html",
        params=params,
        result=result,
        facets=facets,
        page=page,
        prev_url=f"?{urlencode([*items, ('page', page - 1)])}" if page > 1 else None,
        next_url=f"?{urlencode([*items, ('page', page + 1)])}"
        if params.offset + params.size < min(result.total, 10_000)
        else None,
        feed_url=f"/feeds/search.atom{'?' + feed_query if feed_query else ''}",
        json_feed_url=f"/feeds/search.json{'?' + feed_query if feed_query else ''}",
        chosen=[(name, v, _toggle(items, name, v)) for name, values in chosen.items() for v in sorted(values)],
        any_url="?"
        + urlencode([i for i in items if i[0] != "relevant"] + ([] if params.relevant is None else [("relevant", "any")])),
    )


def article_page(request: Request) -> Response:
    c = ctx(request)
    article_id = request.path_params["id"][:200]
    doc = reader.article(c.es, c.prefix, article_id)
    if doc is None:
        raise HTTPException(404, f"no article {article_id[:80]!r}")
    return html(request, "article.html", a=doc, body=(doc.get("body") or "")[:5000])


def alerts_page(request: Request) -> Response:
    c = ctx(request)
    params = alert_params(request.query_params, default_size=50)
    total, docs = reader.alerts(c.es, c.prefix, params)
    return html(request, "alerts.html", total=total, alerts=docs)


def watches_page(request: Request) -> Response:
    watches = [(w, urlencode(to_query(w.params()))) for w in ctx(request).store().list()]
    return html(request, "watches.html", watches=watches)


ROUTES = [
    Route("/", search_page),
    Route("/articles/{id:path}", article_page),
    Route("/alerts", alerts_page),
    Route("/watches", watches_page),
]
