"""Query-string parameters → search parameters, refusing what is out of bounds with a message that
says what is wrong (HTTP 400). The same names serve the JSON API, the page and the feeds."""

from __future__ import annotations

from datetime import date, datetime

from starlette.datastructures import QueryParams

from tradeties.search.alerts import AlertParams
from tradeties.search.query import MAX_WINDOW, InvalidSearch, SearchParams, validate

#: parameter → SearchParams field of the repeatable keyword filters
FILTERS = {"region": "regions", "country": "countries", "sector": "sectors", "event_type": "event_types", "source": "sources"}
RELEVANT = {"yes": True, "no": False, "any": None}
SEARCH_PARAMS = {"q", *FILTERS, "since", "until", "relevant", "page", "size", "sort"}
ALERT_PARAMS = {"q", "region", "country", "since", "until", "page", "size"}
MAX_PAGE_SIZE = 100


def _check_known(params: QueryParams, allowed: set[str]) -> None:
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise InvalidSearch(f"unknown parameter {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    for key in params.keys():
        if key not in FILTERS and len(params.getlist(key)) > 1:
            raise InvalidSearch(f"{key} given more than once")


def _date(name: str, value: str | None) -> date | datetime | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise InvalidSearch(f"{name}: {value[:40]!r} is not an ISO date (YYYY-MM-DD) or datetime") from None


def _int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 6 or not low <= int(value) <= high:
        raise InvalidSearch(f"{name}: {value[:20]!r} is not a whole number from {low} to {high}")
    return int(value)


def paging(params: QueryParams, default_size: int) -> tuple[int, int]:
    """(page, size): page 1-based, size ≤ MAX_PAGE_SIZE, never beyond the result window."""
    size = _int("size", params.get("size"), default_size, 1, MAX_PAGE_SIZE)
    page = _int("page", params.get("page"), 1, 1, MAX_WINDOW // size)
    return page, size


def search_params(params: QueryParams, *, default_size: int, **fixed) -> SearchParams:
    """``fixed`` fields override what the request asks (a feed is always newest first)."""
    _check_known(params, SEARCH_PARAMS)
    relevant = params.get("relevant", "yes")
    if relevant not in RELEVANT:
        raise InvalidSearch(f"relevant: {relevant[:20]!r} is not one of yes, no, any")
    sort = params.get("sort", "relevance")
    if sort not in ("relevance", "newest"):
        raise InvalidSearch(f"sort: {sort[:20]!r} is not one of relevance, newest")
    page, size = paging(params, default_size)
    fields = {field: tuple(params.getlist(name)) for name, field in FILTERS.items()}
    fields.update(
        query=params.get("q", ""),
        since=_date("since", params.get("since")),
        until=_date("until", params.get("until")),
        relevant=RELEVANT[relevant],
        size=size,
        offset=(page - 1) * size,
        sort=sort,
    )
    return validate(SearchParams(**{**fields, **fixed}))


def alert_params(params: QueryParams, *, default_size: int) -> AlertParams:
    _check_known(params, ALERT_PARAMS)
    page, size = paging(params, default_size)
    p = AlertParams(
        query=params.get("q", ""),
        regions=tuple(params.getlist("region")),
        countries=tuple(params.getlist("country")),
        since=_date("since", params.get("since")),
        until=_date("until", params.get("until")),
        size=size,
        offset=(page - 1) * size,
    )
    # The same bounds as article searches (text length, values).
    validate(SearchParams(query=p.query, regions=p.regions, countries=p.countries, since=p.since, until=p.until))
    return p


def to_query(p: SearchParams) -> list[tuple[str, str]]:
    """The query-string items that select ``p``'s articles (no paging): links and feeds of a search."""
    items = [("q", p.query)] if p.query else []
    items += [(name, v) for name, field in FILTERS.items() for v in getattr(p, field)]
    items += [(k, d.isoformat()) for k, d in (("since", p.since), ("until", p.until)) if d]
    if p.relevant is not True:
        items.append(("relevant", "any" if p.relevant is None else "no"))
    return items
